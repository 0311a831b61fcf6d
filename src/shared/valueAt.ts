/**
 * The value at `path` (property names, array indexes as strings) inside `data`, or undefined.
 * Own properties only: `constructor` or `__proto__` is a value only where the data holds one.
 */
export function valueAt(data: unknown, path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (node && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, key) ? (node as Record<string, unknown>)[key] : undefined), data);
}
