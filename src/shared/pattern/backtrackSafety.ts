import tokenizer, { types, type Tokens } from 'ret';

/**
 * Most ways the bounded repetitions of a pattern may split a value: each `?` doubles the
 * ways, `{0,5}` multiplies them by six. Beyond this, a pattern is left to the proxy.
 */
const MAX_BOUNDED_WAYS = 256;

/**
 * Whether a backtracking engine runs this pattern in polynomial time of low degree, on values
 * of a few hundred characters: no lookarounds or backreferences; anything repeated more than once
 * (bounded or not) has a body of fixed length with no alternatives (`(,[0-9]{10})*` and
 * `[0-9]{2,4}`, never `(a|a)*`, `(a+)+` or `(\d*){16}`); at most two parts repeat without bound;
 * and the bounded choices (`?`, `{0,5}`) multiply to at most {@link MAX_BOUNDED_WAYS}.
 * Conservative: a pattern it refuses may well be fine, and is then left to the proxy.
 *
 * It needs `ret`'s tokenizer, so the browser does not load it when it can help it: the proxy
 * runs it on every pattern of the specs it serves and writes the verdict beside each
 * (`markPatternSafety`); the form loads this module only for a spec that came some other way.
 */
export function safeToBacktrack(pattern: string): boolean {
  let root: Tokens;
  try {
    root = tokenizer(pattern);
  } catch {
    return false;
  }
  let unbounded = 0;
  let ways = 1;
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
      if (node.max > 1 && !fixed(node.value)) return false;
      if (node.max === Infinity) unbounded++;
      else if ((ways *= node.max - node.min + 1) > MAX_BOUNDED_WAYS) return false;
      return walk(node.value);
    }
    return parts(node).every(walk);
  };
  return walk(root) && unbounded <= 2;
}
