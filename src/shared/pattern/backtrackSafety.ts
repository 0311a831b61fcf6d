import tokenizer, { types, type Tokens } from 'ret';

/** Bounded repetitions up to this count (`?`, `{2,5}`) are treated like a few copies of their part. */
const SMALL_REPETITION = 16;

/**
 * Whether a backtracking engine runs this pattern in polynomial time of low degree: no
 * lookarounds or backreferences; a group repeated without bound has a body of fixed length with
 * no alternatives (`(,[0-9]{10})*`, never `(a|a)*` or `(a+)+`); at most two parts repeat without
 * bound. Conservative: a pattern it refuses may well be fine, and is then left to the proxy.
 *
 * It needs `ret`'s tokenizer, so the browser does not load it when it can help it: the proxy
 * runs it on every pattern of the specs it serves and writes the verdict beside each
 * ({@link markPatternSafety}); the form loads this module only for a spec that came some other way.
 */
export function safeToBacktrack(pattern: string): boolean {
  let root: Tokens;
  try {
    root = tokenizer(pattern);
  } catch {
    return false;
  }
  let unbounded = 0;
  const parts = (node: Tokens): Tokens[] => ('stack' in node || 'options' in node ? [...((node as { stack?: Tokens[] }).stack ?? []), ...((node as { options?: Tokens[][] }).options ?? []).flat()] : []);
  /** Whether a part always matches the same number of characters, one way. */
  const fixed = (node: Tokens): boolean => {
    if (node.type === types.REPETITION) return node.min === node.max && fixed(node.value);
    if (node.type === types.GROUP) return !(node.options && node.options.length > 1) && parts(node).every(fixed);
    return node.type !== types.REFERENCE;
  };
  const walk = (node: Tokens): boolean => {
    if (node.type === types.REFERENCE) return false;
    if (node.type === types.GROUP && (node.followedBy || node.notFollowedBy || node.lookBehind)) return false;
    if (node.type === types.REPETITION) {
      const bound = node.max !== Infinity && node.max <= SMALL_REPETITION;
      if (!bound) {
        unbounded++;
        if (node.value.type === types.GROUP && !fixed(node.value)) return false;
      }
      return walk(node.value);
    }
    return parts(node).every(walk);
  };
  return walk(root) && unbounded <= 2;
}
