import tokenizer, { types, type Tokens } from 'ret';
import { patternTest, type PatternTest } from './patternTest.ts';

/** Longest value the browser tests against a pattern; longer ones are left to the proxy. */
export const BROWSER_PATTERN_MAX_INPUT = 512;

const cache = new Map<string, PatternTest>();

/**
 * A spec's `pattern` for the form's validator, in the browser, where RE2 would cost more than
 * the rest of the validator: JavaScript's engine, but only for patterns that cannot backtrack
 * badly (a repeated part is one character or class, never a group, and at most two parts repeat
 * without bound) and only on values up to {@link BROWSER_PATTERN_MAX_INPUT} characters. Any other
 * pattern (Google PageSpeed's `urls`, lookarounds) passes here and is checked by the proxy, in
 * linear time, which answers with the field's error. So no pattern can freeze the tab.
 */
export function browserPattern(pattern: string): PatternTest {
  let compiled = cache.get(pattern);
  if (!compiled) {
    const re = safeToBacktrack(pattern) ? toRegExp(pattern) : undefined;
    compiled = patternTest(pattern, re ? (value) => value.length > BROWSER_PATTERN_MAX_INPUT || re.test(value) : () => true);
    if (cache.size > 2000) cache.clear();
    cache.set(pattern, compiled);
  }
  return compiled;
}

function toRegExp(pattern: string): RegExp | undefined {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(pattern, flags);
    } catch {
      // next
    }
  }
  return undefined;
}

/** Bounded repetitions up to this count (`?`, `{2,5}`) are treated like a few copies of their part. */
const SMALL_REPETITION = 16;

/**
 * Whether a backtracking engine runs this pattern in polynomial time of low degree: no
 * lookarounds or backreferences; a group repeated without bound has a body of fixed length with
 * no alternatives (`(,[0-9]{10})*`, never `(a|a)*` or `(a+)+`); at most two parts repeat without
 * bound. Conservative: a pattern it refuses may well be fine, and is then left to the proxy.
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

/** The pattern engine to give the form's Ajv (`code: { regExp: browserPatternEngine }`). */
export const browserPatternEngine = Object.assign((pattern: string) => browserPattern(pattern), { code: 'browserPattern' });
