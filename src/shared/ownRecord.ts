/**
 * Plain objects used as maps keyed by someone else's string (a template id, an Airbyte id).
 * `record[key]` alone reads `Object.prototype` for keys such as `constructor` or `toString`, and
 * `record[key] ??= {}` then writes onto the shared `Object` function or prototype: state that leaks
 * into every other customer's request. These helpers touch own properties only.
 */

/** The value stored under `key`, or undefined; never an inherited member such as `constructor`. */
export function ownValue<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** The value stored under `key`, created with `make` when absent; `__proto__` becomes an ordinary key. */
export function ownSlot<T>(record: Record<string, T>, key: string, make: () => T): T {
  if (Object.prototype.hasOwnProperty.call(record, key)) return record[key] as T;
  const value = make();
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  return value;
}

/** Stores `value` under `key` as an own property, even when `key` is `__proto__`. */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
