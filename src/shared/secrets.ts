import { SECRET_MASK, type ConnectorConfig, type JsonSchema } from './contract.ts';
import { resolveRefs } from './form/resolveRefs.ts';
import { childSchema, everyChildSchema, itemSchema } from './specPaths.ts';

const resolved = new WeakMap<JsonSchema, JsonSchema>();

/** A spec with its `$ref`s inlined (see resolveRefs), computed once per spec object. */
export function resolvedSpec(spec: JsonSchema): JsonSchema {
  let out = resolved.get(spec);
  if (!out) {
    out = resolveRefs(spec);
    resolved.set(spec, out);
  }
  return out;
}

/**
 * Replaces every value the spec marks `airbyte_secret` with {@link SECRET_MASK}, at any depth:
 * nested objects, the option each choice holds (every option where it names none), list items,
 * and behind `$ref`s. Values the spec does not describe are kept as they are, so callers must
 * drop unknown keys first (pickSpecPaths) if those could hold secrets.
 */
export function maskSecrets(spec: JsonSchema, config: ConnectorConfig): ConnectorConfig {
  return maskValue(resolvedSpec(spec), config) as ConnectorConfig;
}

function maskValue(schema: JsonSchema, value: unknown): unknown {
  if (schema.airbyte_secret === true && value !== undefined && value !== null && value !== '') return SECRET_MASK;
  if (Array.isArray(value)) {
    const items = itemSchema(schema);
    return items ? value.map((v) => maskValue(items, v)) : value;
  }
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, v]) => {
      // Secret in any option counts: a stored config may still hold another option's fields.
      if (everyChildSchema(schema, key).some((c) => c.airbyte_secret === true) && v !== undefined && v !== null && v !== '') return [key, SECRET_MASK];
      const child = childSchema(schema, value, key);
      return [key, child ? maskValue(child, v) : v];
    }),
  );
}
