import { RE2JS } from 're2js';
import { safeToBacktrack } from './backtrackSafety.ts';
import { patternTest, type PatternTest } from './patternTest.ts';

export type { PatternTest } from './patternTest.ts';

/** How long one check of a pattern RE2 cannot run (lookarounds, backreferences) may take. */
export const BACKTRACKING_BUDGET_MS = 25;

const cache = new Map<string, PatternTest>();

/**
 * A spec's `pattern` (JSON Schema: ECMA-262 syntax, unanchored search) checked in linear time
 * with RE2 (re2js), so no value, however hostile, can make a check run long: Google PageSpeed's
 * real `urls` pattern takes forever in a backtracking engine on a 100-character value. A pattern
 * RE2 cannot express (lookarounds, as in GitHub's `(?<!\.git)`, or backreferences) runs in
 * JavaScript's own engine under a time budget ({@link BACKTRACKING_BUDGET_MS}, through `node:vm`,
 * where the runtime has it); a check that runs out of time fails. Throws for a pattern neither
 * engine can compile. Cached per pattern.
 */
export function linearPattern(pattern: string): PatternTest {
  let compiled = cache.get(pattern);
  if (!compiled) {
    compiled = compile(pattern);
    if (cache.size > 2000) cache.clear();
    cache.set(pattern, compiled);
  }
  return compiled;
}

function compile(pattern: string): PatternTest {
  try {
    const re = RE2JS.compile(pattern);
    return patternTest(pattern, (value) => re.matcher(value).find());
  } catch {
    // Not RE2 syntax: JavaScript's engine, bounded.
  }
  const re = jsRegExp(pattern);
  // A pattern that cannot backtrack badly (GitHub's repository lookbehind) runs directly on short
  // values: no time budget, so a busy machine never turns a valid value into a refusal. Anything
  // else, or a long value, gets the budget.
  const safe = safeToBacktrack(pattern);
  return patternTest(pattern, (value) => (safe && value.length <= SAFE_DIRECT_LENGTH ? re.test(value) : boundedTest(re, value)));
}

/** Values up to this length are checked directly against a pattern `safeToBacktrack` accepts. */
const SAFE_DIRECT_LENGTH = 2048;

/** A pattern as JavaScript compiles it (with the `u` flag where it can); throws with the reason if it cannot. */
export function jsRegExp(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return new RegExp(pattern); // real specs escape `-` outside classes, which `u` refuses
  }
}

type Vm = { createContext(o: object): object; runInContext(code: string, ctx: object, options: { timeout: number }): unknown };
let vm: Vm | null | undefined;
let sandbox: { re: RegExp | null; value: string } & object;
let context: object | undefined;

function boundedTest(re: RegExp, value: string): boolean {
  if (vm === undefined) {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    vm = (proc?.getBuiltinModule?.('node:vm') as Vm | undefined) ?? null;
  }
  if (!vm) {
    // No way to stop a runaway check here (an edge runtime): only short values are checked at all.
    return value.length <= 256 && re.test(value);
  }
  sandbox ??= { re: null, value: '' };
  context ??= vm.createContext(sandbox);
  sandbox.re = re;
  sandbox.value = value;
  try {
    return vm.runInContext('re.test(value)', context, { timeout: BACKTRACKING_BUDGET_MS }) === true;
  } catch {
    return false; // ran out of time: not accepted
  } finally {
    sandbox.re = null;
    sandbox.value = '';
  }
}

/**
 * The pattern engine to give Ajv (`new Ajv({ code: { regExp: ajvPatternEngine } })`): every
 * `pattern` it compiles is a {@link linearPattern}.
 */
export const ajvPatternEngine = Object.assign((pattern: string) => linearPattern(pattern), { code: 'linearPattern' });
