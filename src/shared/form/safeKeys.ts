/**
 * Property names that a plain object already answers to (`constructor`, `toString`, `__proto__`…)
 * or that path setters refuse (lodash's `set`, which RJSF uses, silently skips `__proto__`,
 * `constructor` and `prototype`). A spec may use any of them as a property name.
 */
const RESERVED = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** Marks an escaped key. Keys that already start with it are escaped too, so the mapping is one-to-one. */
const PREFIX = 'aek_';

/**
 * The key the form uses internally for a spec's property name: itself, unless it is one an
 * object lookup or a path setter would mistake for something else (then prefixed). Any string
 * round-trips through {@link fromSafeKey}.
 */
export function toSafeKey(key: string): string {
  return RESERVED.has(key) || key.startsWith(PREFIX) ? `${PREFIX}${key}` : key;
}

/** The spec's property name for a key made by {@link toSafeKey}. */
export function fromSafeKey(key: string): string {
  return key.startsWith(PREFIX) ? key.slice(PREFIX.length) : key;
}

/** Whether any key of `value` (at any depth) needs escaping: most configs have none. */
function needsMapping(value: unknown, test: (key: string) => boolean): boolean {
  if (Array.isArray(value)) return value.some((v) => needsMapping(v, test));
  if (!value || typeof value !== 'object') return false;
  return Object.keys(value).some((k) => test(k) || needsMapping((value as Record<string, unknown>)[k], test));
}

function mapKeys(value: unknown, map: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => mapKeys(v, map));
  if (!value || typeof value !== 'object') return value;
  // Object.fromEntries defines own properties, so even `__proto__` stays an ordinary key.
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [map(k), mapKeys(v, map)]));
}

/** A config with every key in the form's internal spelling ({@link toSafeKey}), at any depth. */
export function toSafeData<T>(value: T): T {
  return needsMapping(value, (k) => toSafeKey(k) !== k) ? (mapKeys(value, toSafeKey) as T) : value;
}

/** A config from the form with every key back in the spec's spelling. */
export function fromSafeData<T>(value: T): T {
  return needsMapping(value, (k) => k.startsWith(PREFIX)) ? (mapKeys(value, fromSafeKey) as T) : value;
}
