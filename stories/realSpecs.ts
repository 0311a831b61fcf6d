import type { JsonSchema } from '../src/shared/contract.ts';

type SpecFile = { displayName?: string; connectionSpecification: JsonSchema };
const files = import.meta.glob<{ default: SpecFile }>(['../../shared/connector-specs/sources/*.json', '../../shared/connector-specs/destinations/*.json']);
const byName = Object.fromEntries(Object.entries(files).map(([file, load]) => [file.split('/').pop()!.replace(/\.json$/, ''), load]));

/** Names of the real connector specs next to this checkout (../shared/connector-specs), sorted; empty without them. */
export const realSpecNames = Object.keys(byName).sort();

/**
 * A real connector spec's `connectionSpecification`, loaded on demand, or `fallback` (a small
 * hand-written copy of the part a story needs) where ../shared/connector-specs is not there.
 */
export async function realSpec(name: string, fallback: JsonSchema): Promise<JsonSchema> {
  return (await realSpecFile(name))?.connectionSpecification ?? fallback;
}

/** The whole file of a real connector spec (display name and all), or undefined without ../shared. */
export async function realSpecFile(name: string): Promise<SpecFile | undefined> {
  const load = byName[name];
  return load ? (await load()).default : undefined;
}
