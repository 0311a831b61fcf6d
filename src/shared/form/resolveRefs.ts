import { createComparator, createMerger, createShallowAllOfMerge } from '@x0k/json-schema-merge';
import { createDeduplicator, createIntersector } from '@x0k/json-schema-merge/lib/array';
import type { JsonSchema } from '../contract.ts';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const { compareSchemaDefinitions, compareSchemaValues } = createComparator();
const { mergeArrayOfSchemaDefinitions } = createMerger({
  intersectJson: createIntersector(compareSchemaValues),
  deduplicateJsonSchemaDef: createDeduplicator(compareSchemaDefinitions),
});
const mergeAllOf = createShallowAllOfMerge(mergeArrayOfSchemaDefinitions);

/** Keywords whose value is one schema. */
const SCHEMA_KEYWORDS = ['items', 'additionalProperties', 'additionalItems', 'not', 'if', 'then', 'else', 'contains', 'propertyNames'];
/** Keywords whose value is a list of schemas. */
const SCHEMA_LIST_KEYWORDS = ['oneOf', 'anyOf', 'allOf'];
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', 'definitions', '$defs', 'dependencies'];
/** Annotations a `$ref`'s or a union's own node keeps over those of what it points to. */
const ANNOTATIONS = ['title', 'description', 'default', 'examples', 'order', 'group', 'always_show', 'airbyte_secret', 'airbyte_hidden', 'multiline', 'pattern_descriptor', 'display_type'];

/** How deep `$ref`s may nest inside each other before the rest is left as an open schema. */
const MAX_REF_DEPTH = 32;

/** Why a `$ref` could not be inlined, left on the node in its place. */
export const UNRESOLVED_REF = 'x-aek-unresolved-ref';

/**
 * Turns the shapes pydantic-generated and newer CDK specs take into the plain shape Airbyte's own
 * specs (and the kit's form rules) use, so every Airbyte treatment (secrets, hidden fields,
 * discriminators, order) applies behind them too:
 * - local `$ref`s (`#/definitions/…`, `#/$defs/…`, any JSON pointer into the spec) are inlined,
 *   the referring node's own annotations (title, description, default, `airbyte_secret`…) kept
 *   over the target's; `definitions`/`$defs` are dropped afterwards;
 * - `allOf` is merged into one schema (pydantic wraps an enum in `allOf: [{$ref}]`);
 * - `anyOf`/`oneOf` with a `{type: "null"}` branch become the other branch, nullable;
 *   `anyOf` of objects becomes `oneOf` (a tagged union); any other `anyOf` takes its first branch
 *   (the form offers one input; the proxy still validates against the original spec).
 * Remote refs are never fetched and cyclic refs are not unrolled: both become an open schema
 * carrying {@link UNRESOLVED_REF}. Values (`default`, `examples`, `enum`, `const`) are copied,
 * never walked. Returns a new schema; the input is not changed. Framework-free.
 */
export function resolveRefs(spec: JsonSchema): JsonSchema {
  const resolved = walk(spec, spec, []) as JsonSchema;
  delete resolved.definitions;
  delete resolved.$defs;
  return resolved;
}

function pointerTarget(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  const parts = ref.slice(1).split('/').filter((p, i) => i > 0 || p !== '');
  let node: unknown = root;
  for (const raw of parts) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(node, part)) return undefined;
    node = (node as Json)[part];
  }
  return node;
}

function walk(node: unknown, root: JsonSchema, refs: string[]): unknown {
  if (!isObject(node)) return node;
  let current: Json = node;
  if (typeof current.$ref === 'string') {
    const { $ref: ref, ...siblings } = current;
    const target = refs.includes(ref as string) || refs.length >= MAX_REF_DEPTH ? undefined : pointerTarget(root, ref as string);
    if (!isObject(target)) return { ...walkKeywords(siblings, root, refs), [UNRESOLVED_REF]: ref };
    const inlined = walk(target, root, [...refs, ref as string]) as Json;
    current = { ...inlined, ...walkKeywords(siblings, root, refs) };
    return current;
  }
  current = walkKeywords(current, root, refs);
  if (Array.isArray(current.allOf)) current = mergeAll(current);
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(current[keyword])) current = simplifyUnion(current, keyword);
  }
  return current;
}

function walkKeywords(node: Json, root: JsonSchema, refs: string[]): Json {
  const out: Json = { ...node };
  for (const k of SCHEMA_KEYWORDS) if (isObject(out[k])) out[k] = walk(out[k], root, refs);
  for (const k of SCHEMA_LIST_KEYWORDS) if (Array.isArray(out[k])) out[k] = (out[k] as unknown[]).map((s) => walk(s, root, refs));
  for (const k of SCHEMA_MAP_KEYWORDS) {
    if (!isObject(out[k]) || k === 'definitions' || k === '$defs') continue;
    // Object.fromEntries defines own properties: a key named `__proto__` stays a key.
    out[k] = Object.fromEntries(Object.entries(out[k] as Json).map(([name, s]) => [name, Array.isArray(s) ? s : walk(s, root, refs)]));
  }
  return out;
}

function mergeAll(node: Json): Json {
  const parts = (node.allOf as unknown[]).filter(isObject);
  if (parts.length === 1) {
    const { allOf: _a, ...rest } = node;
    return { ...parts[0], ...rest };
  }
  // `patternProperties` stay out of the merge, which would compile each key with `new RegExp`
  // (a key from a hostile template could backtrack for ever); the parts' maps are joined instead.
  const keyPatterns = new Map<string, unknown[]>();
  const withoutKeyPatterns = (part: Json): Json => {
    const { patternProperties, ...rest } = part;
    if (isObject(patternProperties)) for (const [key, schema] of Object.entries(patternProperties)) keyPatterns.set(key, [...(keyPatterns.get(key) ?? []), schema]);
    return rest;
  };
  const own = withoutKeyPatterns(node);
  const plain = { ...own, allOf: parts.map(withoutKeyPatterns) };
  let merged: Json;
  try {
    merged = mergeAllOf(plain as never) as Json;
  } catch {
    // Contradictory parts: keep the first one's shape so the form still shows an input.
    const { allOf: _a, ...rest } = plain;
    merged = { ...plain.allOf[0], ...rest };
  }
  if (keyPatterns.size) merged.patternProperties = Object.fromEntries([...keyPatterns].map(([key, schemas]) => [key, schemas.length === 1 ? schemas[0] : { allOf: schemas }]));
  return merged;
}

const isNullBranch = (s: unknown) => isObject(s) && (s.type === 'null' || (Array.isArray(s.enum) && s.enum.length === 1 && s.enum[0] === null));
const isObjectBranch = (s: unknown) => isObject(s) && (s.type === 'object' || isObject(s.properties));

function simplifyUnion(node: Json, keyword: 'anyOf' | 'oneOf'): Json {
  const branches = (node[keyword] as unknown[]).filter(isObject);
  const nullable = branches.some(isNullBranch);
  const rest = branches.filter((b) => !isNullBranch(b));
  const { [keyword]: _union, ...own } = node;
  if (rest.length === 0) return { ...own, type: 'null' };
  if (rest.length > 1 && rest.every(isObjectBranch)) {
    // A tagged union of objects: the form's oneOf handling (discriminator by structure) applies.
    return { ...own, ...(own.type === undefined ? { type: 'object' } : {}), oneOf: rest };
  }
  if (rest.length > 1 && keyword === 'oneOf') return node;
  const chosen = rest[0]!;
  const merged: Json = { ...chosen };
  for (const key of Object.keys(own)) if (ANNOTATIONS.includes(key) || !(key in merged)) merged[key] = own[key];
  if (nullable && typeof merged.type === 'string') merged.type = [merged.type, 'null'];
  return merged;
}
