/** The value at `path` (property names, array indexes as strings) inside `data`, or undefined. */
export function valueAt(data: unknown, path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), data);
}
