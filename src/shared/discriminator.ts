import type { JsonSchema } from './contract.ts';

/**
 * The discriminator of a oneOf of objects, found by structure (never by name): the property every
 * option has, with a `const` (or a single-value `enum`) that differs between options.
 */
export function findDiscriminator(options: JsonSchema[]): { key: string; values: unknown[] } | undefined {
  if (options.length < 1 || !options.every((o) => o.properties && typeof o.properties === 'object')) return undefined;
  const constOf = (p: JsonSchema | undefined): unknown =>
    p === undefined ? undefined : 'const' in p ? p.const : Array.isArray(p.enum) && p.enum.length === 1 ? p.enum[0] : undefined;
  const first = options[0]!.properties as Record<string, JsonSchema>;
  for (const key of Object.keys(first)) {
    const values = options.map((o) => constOf((o.properties as Record<string, JsonSchema>)[key]));
    if (values.some((v) => v === undefined)) continue;
    if (new Set(values.map((v) => JSON.stringify(v))).size === values.length) return { key, values };
  }
  return undefined;
}
