import { SECRET_MASK, type ConnectorConfig, type JsonSchema } from './contract.ts';

type Json = { [key: string]: unknown };

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Replaces every value the spec marks `airbyte_secret` with {@link SECRET_MASK}, looking inside
 * nested objects, every `oneOf` option and array items. Values the spec does not describe are
 * kept as they are — so callers must drop unknown keys first if those could hold secrets.
 */
export function maskSecrets(spec: JsonSchema, config: ConnectorConfig): ConnectorConfig {
  return maskValue(spec, config) as ConnectorConfig;
}

function maskValue(schema: JsonSchema | undefined, value: unknown): unknown {
  if (!schema) return value;
  if (schema.airbyte_secret === true && value !== undefined && value !== null && value !== '') return SECRET_MASK;
  if (Array.isArray(value)) {
    const items = schema.items as JsonSchema | undefined;
    return items ? value.map((v) => maskValue(items, v)) : value;
  }
  if (!isObject(value)) return value;
  const out: Json = { ...value };
  const candidates: JsonSchema[] = [schema, ...((schema.oneOf ?? schema.anyOf ?? []) as JsonSchema[])];
  for (const key of Object.keys(out)) {
    for (const candidate of candidates) {
      const prop = (candidate.properties as Record<string, JsonSchema> | undefined)?.[key];
      if (prop) out[key] = maskValue(prop, out[key]);
    }
  }
  return out;
}
