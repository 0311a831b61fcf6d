import type { FieldError, JsonSchema } from '../shared/contract.ts';
import { EmbedError } from '../shared/errors.ts';
import { resolvedSpec } from '../shared/secrets.ts';
import { leafPaths, pickSpecPaths, unknownPaths } from '../shared/specPaths.ts';
import { valueAt } from '../shared/valueAt.ts';
import type { OnboardingContext } from './onboarding.ts';
import type { SourceTemplate } from './templates.ts';

type Json = Record<string, unknown>;

/** Characters no config value may hold: C0 controls but tab, line feed and carriage return; DEL. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** A UTF-16 surrogate without its pair: not a character at all (Airbyte's JSON parsers refuse it). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** How deeply a customer's config may nest (real forms reach 8 levels). */
export const MAX_CONFIG_DEPTH = 32;

/** The path to the first value nested deeper than `max` levels, found without recursion; undefined when none is. */
function deeperThan(value: unknown, max: number): string[] | undefined {
  const stack: Array<{ value: unknown; path: string[] }> = [{ value, path: [] }];
  while (stack.length) {
    const { value: v, path } = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (path.length >= max) return path;
    for (const [k, child] of Object.entries(v as Json)) stack.push({ value: child, path: [...path, k] });
  }
  return undefined;
}

/** In a one-line name, line breaks and tabs are control characters too. */
const CONTROL_IN_LINE = /[\u0000-\u001f\u007f]/;

/**
 * Checks a source name the customer typed: text of 1 to 200 characters, no control characters
 * (a NUL once left an orphan source in Airbyte and an onboarding stuck "running"). Returns it
 * trimmed, or undefined when none was given.
 */
export function checkSourceName(name: unknown): string | undefined {
  if (name === undefined || name === null || name === '') return undefined;
  if (typeof name !== 'string' || !name.trim() || name.length > 200) throw new EmbedError('invalid_request', '"name" must be text of 1 to 200 characters.');
  if (CONTROL_IN_LINE.test(name) || LONE_SURROGATE.test(name)) {
    throw new EmbedError('invalid_request', 'The source name contains a control or invalid character. Type the name again without it.', {
      fieldErrors: [{ path: ['name'], message: 'contains a control character', rule: { keyword: 'controlCharacter', params: {} } }],
    });
  }
  return name.trim();
}

/** The paths of every leaf value in the config for which `bad` is true. */
function leafPathsWhere(bad: (leaf: unknown) => boolean, value: unknown, path: string[] = []): string[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leafPathsWhere(bad, v, [...path, String(i)]));
  if (value && typeof value === 'object') return Object.entries(value as Json).flatMap(([k, v]) => leafPathsWhere(bad, v, [...path, k]));
  return bad(value) ? [path] : [];
}
/** A string holding a control character (or an unpaired surrogate). */
const hasControlCharacter = (v: unknown) => typeof v === 'string' && (CONTROL.test(v) || LONE_SURROGATE.test(v));
/** `1e999` parses as Infinity, which passes a `number` check and would reach Airbyte as `null`. */
const isNonFinite = (v: unknown) => typeof v === 'number' && !Number.isFinite(v);

/**
 * The paths of a template's `partialDefaultConfig` the customer can never set: every value the
 * operator fixed (an object is walked into; a list or a scalar is one value).
 */
export function fixedPaths(template: SourceTemplate): string[][] {
  return leafPaths(template.partialDefaultConfig);
}

const startsWith = (path: string[], prefix: string[]) => prefix.length <= path.length && prefix.every((p, i) => p === path[i]);

/** The paths of the values in a config (scalars and lists; objects are walked into, empty ones set nothing). */
function valuePaths(value: unknown, path: string[] = []): string[][] {
  if (value && typeof value === 'object' && !Array.isArray(value)) return Object.entries(value as Json).flatMap(([k, v]) => valuePaths(v, [...path, k]));
  return value === undefined ? [] : [path];
}

/**
 * Checks a customer's values against a template before anything reaches Airbyte, one 400 listing
 * every problem by field:
 * - a value only where the template's form has a field, at every depth (the option a choice names,
 *   list items): no key the form does not define, however nested (`api.endpoint` beside `api.token`);
 * - nothing at, above or below a path the operator fixed in `partialDefaultConfig`;
 * - no control characters in any text;
 * - the form's JSON Schema (patterns in linear time).
 * `masked` paths (secrets sent back as the mask when editing) skip the schema check.
 */
export function validateUserConfig(ctx: OnboardingContext, template: SourceTemplate, config: unknown, masked: (path: string[]) => boolean = () => false): Json {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new EmbedError('invalid_request', '"config" must be a JSON object with the form values.');
  }
  // Walked without recursion, before anything else walks it: a 2,000-deep value must be a 400, not a stack overflow.
  const tooDeep = deeperThan(config, MAX_CONFIG_DEPTH);
  if (tooDeep) {
    throw new EmbedError('invalid_config', `"${tooDeep.slice(0, 3).join('.')}" nests more than ${MAX_CONFIG_DEPTH} levels deep; no connector form goes that deep.`, {
      fieldErrors: [{ path: tooDeep.slice(0, 1), message: `nests more than ${MAX_CONFIG_DEPTH} levels deep`, rule: { keyword: 'maxDepth', params: { limit: MAX_CONFIG_DEPTH } } }],
    });
  }
  const spec = template.partialUserConfigSpec.connectionSpecification;
  const fixed = fixedPaths(template);
  // The customer's values (scalars and lists; an empty object sets nothing) that meet a fixed path.
  const overriding = valuePaths(config).filter((p) => fixed.some((f) => startsWith(p, f) || startsWith(f, p)));
  const fieldErrors: FieldError[] = [
    ...overriding.map((path) => ({ path, message: "is set by the site's operator and cannot be changed here", rule: { keyword: 'fixedField', params: {} } })),
    ...unknownPaths(resolvedSpec(spec), config)
      .filter((u) => !overriding.some((p) => startsWith(p, u) || startsWith(u, p)))
      .map((path) => ({ path, message: 'is not a field of this form', rule: { keyword: 'unknownField', params: {} } })),
    ...leafPathsWhere(hasControlCharacter, config).map((path) => ({ path, message: 'contains a control character; type it again without it', rule: { keyword: 'controlCharacter', params: {} } })),
    ...leafPathsWhere(isNonFinite, config).map((path) => ({ path, message: 'is too large a number; enter a smaller one', rule: { keyword: 'finiteNumber', params: {} } })),
  ];
  const named = new Set(fieldErrors.map((e) => e.path.join('\u0000')));
  fieldErrors.push(...ctx.validator.validate(spec, config as Json).filter((e) => !masked(e.path) && !named.has(e.path.join('\u0000'))));
  if (fieldErrors.length) {
    const n = fieldErrors.length;
    throw new EmbedError('invalid_config', `${n} field${n === 1 ? ' needs' : 's need'} attention. Fix the highlighted field${n === 1 ? '' : 's'} and submit again.`, { fieldErrors });
  }
  return config as Json;
}

/**
 * What the edit form may show of a stored configuration: only the paths the template's form
 * defines (never a value the operator set, at any depth), every secret masked.
 */
export function userView(template: SourceTemplate, configuration: Json): Json {
  const spec = resolvedSpec(template.partialUserConfigSpec.connectionSpecification);
  const fixed = fixedPaths(template);
  const picked = pickSpecPaths(spec, configuration) as Json;
  return dropPaths(picked, fixed);
}

function dropPaths(value: Json, paths: string[][]): Json {
  const out: Json = structuredClone(value);
  for (const path of paths) {
    let node: unknown = out;
    for (let i = 0; i < path.length - 1 && node && typeof node === 'object'; i++) node = (node as Json)[path[i]!];
    if (node && typeof node === 'object' && !Array.isArray(node)) delete (node as Json)[path[path.length - 1]!];
  }
  return out;
}

/** The spec of a template's form, `$ref`s inlined (cached). */
export function templateSpec(template: SourceTemplate): JsonSchema {
  return resolvedSpec(template.partialUserConfigSpec.connectionSpecification);
}
