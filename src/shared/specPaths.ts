import type { JsonSchema } from './contract.ts';
import { findDiscriminator } from './discriminator.ts';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasOwn = (o: unknown, key: string) => isObject(o) && Object.prototype.hasOwnProperty.call(o, key);

/** The options of a oneOf/anyOf node a value can be in: the one its discriminator names, else all. */
function optionsFor(node: JsonSchema, value: unknown): JsonSchema[] {
  const options = ((Array.isArray(node.oneOf) ? node.oneOf : Array.isArray(node.anyOf) ? node.anyOf : []) as unknown[]).filter(isObject) as JsonSchema[];
  if (!options.length) return [];
  const discriminator = findDiscriminator(options);
  if (discriminator && isObject(value) && hasOwn(value, discriminator.key)) {
    const held = JSON.stringify(value[discriminator.key]);
    const index = discriminator.values.findIndex((v) => JSON.stringify(v) === held);
    if (index >= 0) return [options[index]!];
  }
  return options;
}

/**
 * The schema of `parent[key]` in a (resolved, `$ref`-free) spec, or undefined when the spec has
 * no place for that key: a property of the node or of the option its value is in (by
 * discriminator, else any option), an `additionalProperties` schema, or anything in an object the
 * spec leaves open (no `properties` keyword anywhere). Own properties only: a key named `constructor` or
 * `__proto__` is a field only if the spec names it.
 */
export function childSchema(node: JsonSchema, parent: unknown, key: string): JsonSchema | undefined {
  const candidates = [node, ...optionsFor(node, parent)];
  for (const c of candidates) {
    if (hasOwn(c.properties, key)) {
      const child = (c.properties as Json)[key];
      return isObject(child) ? (child as JsonSchema) : {};
    }
  }
  for (const c of candidates) if (isObject(c.additionalProperties)) return c.additionalProperties as JsonSchema;
  // Open: no candidate lists properties at all (`properties: {}` lists none, and is closed).
  const open = candidates.every((c) => !isObject(c.properties) && c.additionalProperties !== false);
  return open ? {} : undefined;
}

/** Every schema any option of `node` (or `node` itself) gives `key`: for masking, where any of them being secret counts. */
export function everyChildSchema(node: JsonSchema, key: string): JsonSchema[] {
  const options = ((Array.isArray(node.oneOf) ? node.oneOf : Array.isArray(node.anyOf) ? node.anyOf : []) as unknown[]).filter(isObject) as JsonSchema[];
  return [node, ...options].filter((c) => hasOwn(c.properties, key)).map((c) => (c.properties as Json)[key]).filter(isObject) as JsonSchema[];
}

/** The schema of each item of an array node (`items`, or the first of a tuple), or undefined. */
export function itemSchema(node: JsonSchema): JsonSchema | undefined {
  const items = node.items;
  if (isObject(items)) return items as JsonSchema;
  if (Array.isArray(items) && isObject(items[0])) return items[0] as JsonSchema;
  return undefined;
}

/**
 * Every path in `config` that the spec has no place for, at any depth (through objects, the
 * chosen option of each choice and list items): what a customer must not send.
 */
export function unknownPaths(spec: JsonSchema, config: unknown): string[][] {
  const out: string[][] = [];
  const walk = (node: JsonSchema, value: unknown, path: string[]) => {
    if (Array.isArray(value)) {
      const items = itemSchema(node);
      if (items) value.forEach((v, i) => walk(items, v, [...path, String(i)]));
      return;
    }
    if (!isObject(value)) return;
    for (const key of Object.keys(value)) {
      const child = childSchema(node, value, key);
      if (!child) out.push([...path, key]);
      else walk(child, value[key], [...path, key]);
    }
  };
  walk(spec, config, []);
  return out;
}

/** `config` with only the paths the spec has a place for (see unknownPaths): what a form may show. */
export function pickSpecPaths(spec: JsonSchema, config: unknown): unknown {
  const walk = (node: JsonSchema, value: unknown): unknown => {
    if (Array.isArray(value)) {
      const items = itemSchema(node);
      return items ? value.map((v) => walk(items, v)) : value;
    }
    if (!isObject(value)) return value;
    const entries: Array<[string, unknown]> = [];
    for (const key of Object.keys(value)) {
      const child = childSchema(node, value, key);
      if (child) entries.push([key, walk(child, value[key])]);
    }
    return Object.fromEntries(entries);
  };
  return walk(spec, config);
}

/** The paths of every value in a plain config (objects are walked into; arrays and scalars are values). */
export function leafPaths(config: unknown, path: string[] = []): string[][] {
  if (!isObject(config)) return [path];
  const keys = Object.keys(config);
  if (!keys.length) return path.length ? [path] : [];
  return keys.flatMap((k) => leafPaths(config[k], [...path, k]));
}
