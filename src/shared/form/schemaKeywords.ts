/**
 * Where a JSON Schema holds subschemas: one schema, a list, or a map of them. Walkers that must
 * not mistake a value (a `default`, an `enum` entry, a property named `pattern`) for a schema
 * follow only these.
 */
export const SCHEMA_KEYWORDS = new Set(['items', 'additionalProperties', 'additionalItems', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems']);
export const SCHEMA_ARRAYS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);
export const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas', 'dependencies']);

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A copy of `node` with `visit` applied to every schema in it, innermost first, following only
 * the keywords above; everything else is kept as it is. `__proto__` stays an ordinary key.
 */
export function mapSchemas(node: unknown, visit: (schema: Record<string, unknown>) => Record<string, unknown>): unknown {
  if (!isPlainObject(node)) return node;
  const out = Object.entries(node).map(([key, value]): [string, unknown] => {
    if (SCHEMA_ARRAYS.has(key) && Array.isArray(value)) return [key, value.map((v) => mapSchemas(v, visit))];
    if (SCHEMA_MAPS.has(key) && isPlainObject(value)) return [key, Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? v : mapSchemas(v, visit)]))];
    if (SCHEMA_KEYWORDS.has(key)) return [key, mapSchemas(value, visit)];
    return [key, value];
  });
  return visit(Object.fromEntries(out));
}

/** Whether `test` holds for any schema in `node` (same walk as {@link mapSchemas}). */
export function someSchema(node: unknown, test: (schema: Record<string, unknown>) => boolean): boolean {
  if (!isPlainObject(node)) return false;
  if (test(node)) return true;
  for (const [key, value] of Object.entries(node)) {
    if (SCHEMA_ARRAYS.has(key) && Array.isArray(value) && value.some((v) => someSchema(v, test))) return true;
    if (SCHEMA_MAPS.has(key) && isPlainObject(value) && Object.values(value).some((v) => !Array.isArray(v) && someSchema(v, test))) return true;
    if (SCHEMA_KEYWORDS.has(key) && !Array.isArray(value) && someSchema(value, test)) return true;
  }
  return false;
}
