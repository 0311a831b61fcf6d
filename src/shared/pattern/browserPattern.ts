import { mapSchemas, someSchema } from '../form/schemaKeywords.ts';
import { patternTest, type PatternTest } from './patternTest.ts';

/** Longest value the browser tests against a pattern; longer ones are left to the proxy. */
export const BROWSER_PATTERN_MAX_INPUT = 512;

/**
 * The key the proxy writes beside each `pattern` of a spec it serves: whether the browser may run
 * that pattern in JavaScript's engine (`safeToBacktrack`). The browser then needs no regex parser
 * of its own; a spec without it (one a host passes to `SourceForm` itself) has its patterns
 * judged in the browser instead, by code the form loads only then.
 */
export const PATTERN_SAFE = 'x-aek-pattern-safe';

type Check = (pattern: string) => boolean;
let check: Check | undefined;
let loading: Promise<void> | undefined;

/** Gives the browser its own judge of patterns the spec does not mark (the `/form` entry does this at load). */
export function setBacktrackCheck(fn: Check): void {
  check = fn;
}

/** Whether patterns without a {@link PATTERN_SAFE} mark can be judged now. */
export function hasBacktrackCheck(): boolean {
  return check !== undefined;
}

/** Loads the judge for unmarked patterns (`ret`'s tokenizer, a few kB) once. */
export function loadBacktrackCheck(): Promise<void> {
  loading ??= import('./backtrackSafety.ts').then((m) => setBacktrackCheck(m.safeToBacktrack));
  return loading;
}

/** Whether a spec has a pattern with no {@link PATTERN_SAFE} mark (so the form needs the judge before it validates). */
export function hasUnmarkedPatterns(spec: unknown): boolean {
  return someSchema(spec, (node) => typeof node.pattern === 'string' && typeof node[PATTERN_SAFE] !== 'boolean');
}

/**
 * A copy of a spec with every `pattern` marked {@link PATTERN_SAFE} by `safe`, for the browser;
 * a mark the spec already carried (an operator's template) is replaced, never trusted.
 */
export function markPatternSafety<T>(spec: T, safe: Check): T {
  return mapSchemas(spec, (node) => {
    if (typeof node.pattern === 'string') return { ...node, [PATTERN_SAFE]: safe(node.pattern) };
    if (!(PATTERN_SAFE in node)) return node;
    const { [PATTERN_SAFE]: _drop, ...rest } = node;
    return rest;
  }) as T;
}

const cache = new Map<string, PatternTest>();
const passes = (pattern: string) => patternTest(pattern, () => true);

/**
 * A spec's `pattern` for the form's validator, in the browser, where RE2 would cost more than
 * the rest of the validator: JavaScript's engine, but only for patterns that cannot backtrack
 * badly (`safe`: the spec's {@link PATTERN_SAFE} mark, else the loaded judge) and only on values
 * up to {@link BROWSER_PATTERN_MAX_INPUT} characters. Any other pattern (Google PageSpeed's
 * `urls`, lookarounds), or one nothing has judged yet, passes here and is checked by the proxy,
 * in linear time, which answers with the field's error. So no pattern can freeze the tab.
 */
export function browserPattern(pattern: string, safe?: unknown): PatternTest {
  let compiled = cache.get(pattern);
  if (compiled) return compiled;
  const verdict = typeof safe === 'boolean' ? safe : check?.(pattern);
  // Not judged yet: passes for now, and is judged on a later call once the judge has loaded.
  if (verdict === undefined) return passes(pattern);
  const re = verdict ? toRegExp(pattern) : undefined;
  compiled = re ? patternTest(pattern, (value) => value.length > BROWSER_PATTERN_MAX_INPUT || re.test(value)) : passes(pattern);
  if (cache.size > 2000) cache.clear();
  cache.set(pattern, compiled);
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

/** The pattern engine to give the form's Ajv (`code: { regExp: browserPatternEngine }`): patterns judged by the loaded judge. */
export const browserPatternEngine = Object.assign((pattern: string) => browserPattern(pattern), { code: 'browserPattern' });
