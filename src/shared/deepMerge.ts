import { EmbedError } from './errors.ts';

type Json = { [key: string]: unknown };

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Airbyte's template merge (`JsonMergingHelper`): copies `base`, then `override`; objects merge
 * recursively, scalars and arrays from `override` win (arrays are replaced, not concatenated).
 * An object meeting a non-object under the same key is refused, as the platform refuses it.
 */
export function deepMerge(base: Json, override: Json, path: string[] = []): Json {
  // Entries, not assignment: a key named `__proto__` stays a key instead of replacing the prototype.
  const out = new Map<string, unknown>(Object.entries(base));
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    const existing = out.get(key);
    if (isPlainObject(existing) && isPlainObject(value)) {
      out.set(key, deepMerge(existing, value, [...path, key]));
    } else if (existing !== undefined && isPlainObject(existing) !== isPlainObject(value)) {
      throw new EmbedError('invalid_config', `"${[...path, key].join('.')}" must be an object here.`, {
        fieldErrors: [{ path: [...path, key], message: 'must be an object' }],
      });
    } else {
      out.set(key, value);
    }
  }
  return Object.fromEntries(out);
}
