import { mapSchemas, someSchema } from '../form/schemaKeywords.ts';
import { patternTest, type PatternTest } from './patternTest.ts';

/** Longest value the browser tests against a pattern; longer ones are left to the proxy. */
export const BROWSER_PATTERN_MAX_INPUT = 512;

/**
 * The key the proxy writes beside each `pattern` of a spec it serves: the pattern itself where
 * the browser may run it in JavaScript's engine (`safeToBacktrack`), `false` where it may not.
 * The browser then needs no regex parser of its own. A mark counts only beside the very pattern it
 * names, so a pattern built later from others (an `allOf` merge) is never run on another's mark.
 * A spec without marks (one a host passes to `SourceForm` itself) has its patterns judged in the
 * browser instead, by code the form loads only then.
 */
export const PATTERN_SAFE = 'x-aek-pattern-safe';

type Check = (pattern: string) => boolean;
let check: Check | undefined;
let loading: Promise<void> | undefined;

/** Gives the browser its own judge of patterns the spec does not mark (the `/form` entry does this at load). */
export function setBacktrackCheck(fn: Check): void {
  check = fn;
}

/** Loads the judge for unmarked patterns (`ret`'s tokenizer, a few kB) once. */
export function loadBacktrackCheck(): Promise<void> {
  loading ??= import('./backtrackSafety.ts').then((m) => setBacktrackCheck(m.safeToBacktrack));
  return loading;
}

/** What a node's mark says of its pattern: runs (`true`), left to the proxy (`false`), or no word (`undefined`). */
function markVerdict(pattern: string, mark: unknown): boolean | undefined {
  if (mark === pattern) return true;
  if (mark === false) return false;
  return undefined;
}

/** Whether a spec has a pattern with no {@link PATTERN_SAFE} mark of its own (so the form needs the judge before it validates). */
export function hasUnmarkedPatterns(spec: unknown): boolean {
  return someSchema(spec, (node) => typeof node.pattern === 'string' && markVerdict(node.pattern, node[PATTERN_SAFE]) === undefined);
}

/** A deep copy of JSON with every {@link PATTERN_SAFE} key removed, wherever it is (a `$ref` may point anywhere). */
function withoutMarks(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMarks);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== PATTERN_SAFE).map(([k, v]) => [k, withoutMarks(v)]));
}

/**
 * A copy of a spec with every `pattern` marked {@link PATTERN_SAFE} by `safe`, for the browser.
 * Any mark the spec already carried (an operator's template), in a schema or anywhere else, is
 * removed first, never trusted.
 */
export function markPatternSafety<T>(spec: T, safe: Check): T {
  return mapSchemas(withoutMarks(spec), (node) => (typeof node.pattern === 'string' ? { ...node, [PATTERN_SAFE]: safe(node.pattern) ? node.pattern : false } : node)) as T;
}

const compiled = new Map<string, RegExp | null>();
const judged = new Map<string, boolean>();
const passes = (pattern: string) => patternTest(pattern, () => true);

/**
 * A spec's `pattern` for the form's validator, in the browser, where RE2 would cost more than
 * the rest of the validator: JavaScript's engine, but only for patterns that cannot backtrack
 * badly (`mark`: the node's {@link PATTERN_SAFE}, else the loaded judge) and only on values up to
 * {@link BROWSER_PATTERN_MAX_INPUT} characters. Any other pattern (Google PageSpeed's `urls`,
 * lookarounds), or one nothing has judged yet, passes here and is checked by the proxy, in linear
 * time, which answers with the field's error. So no pattern can freeze the tab. The verdict is
 * made on every call (only the compiled RegExp is cached), so one spec's mark never decides for
 * another spec's same pattern.
 */
export function browserPattern(pattern: string, mark?: unknown): PatternTest {
  let verdict = markVerdict(pattern, mark);
  if (verdict === undefined && check) {
    verdict = judged.get(pattern);
    if (verdict === undefined) {
      verdict = check(pattern);
      if (judged.size > 2000) judged.clear();
      judged.set(pattern, verdict);
    }
  }
  if (!verdict) return passes(pattern);
  let re = compiled.get(pattern);
  if (re === undefined) {
    re = toRegExp(pattern) ?? null;
    if (compiled.size > 2000) compiled.clear();
    compiled.set(pattern, re);
  }
  const regExp = re;
  return regExp ? patternTest(pattern, (value) => value.length > BROWSER_PATTERN_MAX_INPUT || regExp.test(value)) : passes(pattern);
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
