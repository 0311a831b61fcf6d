import { readFile } from 'node:fs/promises';
import type { JsonSchema } from '../shared/contract.ts';

/**
 * A source config template, with the field names of Airbyte Embedded's
 * `POST /config_templates/sources`: the connector, the values the operator fixes, and the spec of
 * what the end user fills in.
 */
export interface SourceTemplate {
  id: string;
  /** Catalog name, e.g. "Stripe". */
  name: string;
  icon?: string;
  actorDefinitionId: string;
  /** Operator-set values, deep-merged under the user's. Never sent to the browser. */
  partialDefaultConfig: Record<string, unknown>;
  partialUserConfigSpec: { connectionSpecification: JsonSchema };
}

/**
 * A connection template, with the field names of Airbyte Embedded's
 * `POST /integrations/templates/connections`. Applied to every source a customer creates.
 */
export interface ConnectionTemplate {
  id?: string;
  destination_name: string;
  destination_definition_id: string;
  destination_config: Record<string, unknown>;
  /** Quartz cron (6 or 7 fields, UTC), e.g. "0 15 2 * * ?"; null or absent for manual syncs. */
  cron_expression?: string | null;
  non_breaking_changes_preference?: 'ignore' | 'disable' | 'propagate_columns' | 'propagate_fully';
  sync_on_create?: boolean;
}

export interface TemplateSet {
  sources: SourceTemplate[];
  connections: ConnectionTemplate[];
}

function fail(where: string, what: string): never {
  throw new Error(`Invalid templates (${where}): ${what}`);
}

/**
 * Checks the shape of a template set and returns it typed. Errors name the template and the
 * field to fix, so a typo in a config file fails at start-up rather than at a customer's submit.
 */
export function parseTemplates(input: unknown, where = 'templates'): TemplateSet {
  const set = input as Partial<TemplateSet> | null;
  if (!set || !Array.isArray(set.sources) || !Array.isArray(set.connections)) {
    fail(where, 'expected an object with "sources" and "connections" arrays');
  }
  const ids = new Set<string>();
  set.sources.forEach((t, i) => {
    const at = `sources[${i}]${t?.id ? ` "${t.id}"` : ''}`;
    if (!t || typeof t.id !== 'string' || !t.id) fail(where, `${at} needs a string "id"`);
    if (ids.has(t.id)) fail(where, `${at}: duplicate id`);
    ids.add(t.id);
    if (typeof t.name !== 'string') fail(where, `${at} needs a string "name"`);
    if (typeof t.actorDefinitionId !== 'string') fail(where, `${at} needs "actorDefinitionId" (the source definition id)`);
    if (typeof t.partialDefaultConfig !== 'object' || t.partialDefaultConfig === null) fail(where, `${at} needs an object "partialDefaultConfig" ({} for none)`);
    const spec = t.partialUserConfigSpec?.connectionSpecification;
    if (typeof spec !== 'object' || spec === null || (spec as JsonSchema).type !== 'object') {
      fail(where, `${at} needs "partialUserConfigSpec.connectionSpecification", a JSON Schema of type "object"`);
    }
  });
  set.connections.forEach((t, i) => {
    const at = `connections[${i}]`;
    if (!t || typeof t.destination_name !== 'string' || !t.destination_name) fail(where, `${at} needs a string "destination_name"`);
    if (typeof t.destination_definition_id !== 'string') fail(where, `${at} needs "destination_definition_id"`);
    if (typeof t.destination_config !== 'object' || t.destination_config === null) fail(where, `${at} needs an object "destination_config"`);
    if (t.cron_expression != null && typeof t.cron_expression !== 'string') fail(where, `${at}: "cron_expression" must be a Quartz cron string`);
  });
  return set as TemplateSet;
}

/** Reads and checks a JSON template file (see `demo/templates.json` for the format). */
export async function loadTemplatesFile(path: string): Promise<TemplateSet> {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`Templates file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseTemplates(json, path);
}
