import { readFile } from 'node:fs/promises';
import type { FieldError, JsonSchema } from '../shared/contract.ts';
import { EmbedError } from '../shared/errors.ts';
import { checkAirbyteCron } from '../shared/quartzCron.ts';
import { iconProblem, overlapProblems, requiredProblems, specProblems } from './templateChecks.ts';

/**
 * A source config template, with the field names of Airbyte Embedded's
 * `POST /config_templates/sources`: the connector, the values the operator fixes, and the spec of
 * what the end user fills in.
 */
export interface SourceTemplate {
  id: string;
  /** Catalog name, e.g. "Stripe". */
  name: string;
  /**
   * Catalog icon: an `https:` or relative URL. Left out on create, the operator API fills in the
   * icon Airbyte's registry publishes for the definition (see `registryIconUrl`).
   */
  icon?: string | undefined;
  /**
   * What kind of connector this is, for catalog search ("database" finds Postgres): free text, e.g.
   * the registry's `sourceType` (`api`, `database`, `file`) or the site's own ("Marketing").
   */
  category?: string | undefined;
  /** Session tokens can restrict a customer's catalog to templates with these tags. */
  tags?: string[] | undefined;
  actorDefinitionId: string;
  /** Operator-set values, deep-merged under the user's. Never sent to the browser. */
  partialDefaultConfig: Record<string, unknown>;
  /**
   * The form spec; `advancedAuth` (the connector spec's, pasted whole or given beside it) turns on
   * "Sign in with …" for the option it names. Never sent to the browser as is.
   */
  partialUserConfigSpec: { connectionSpecification: JsonSchema; advancedAuth?: JsonSchema };
  /** OAuth scopes to ask for instead of the connector's defaults (`initiateOAuth`'s `requestedScopes`). */
  requestedScopes?: string[] | undefined;
  requestedOptionalScopes?: string[] | undefined;
}

/**
 * A connection template, with the field names of Airbyte Embedded's
 * `POST /integrations/templates/connections`. Applied to every source a customer creates.
 */
export interface ConnectionTemplate {
  id: string;
  tags?: string[] | undefined;
  destination_name: string;
  destination_definition_id: string;
  destination_config: Record<string, unknown>;
  /** Quartz cron (6 or 7 fields, UTC), e.g. "0 15 2 * * ?"; null for manual syncs. */
  cron_expression: string | null;
  non_breaking_changes_preference: 'ignore' | 'disable' | 'propagate_columns' | 'propagate_fully';
  sync_on_create: boolean;
  /**
   * Which discovered streams the connection syncs; never none:
   * - `suggested` (default): the streams in `fixed_streams` when it lists any, else those the
   *   connector suggests when the proxy can tell (it cannot on Airbyte's public API, which does
   *   not expose suggestions: then every stream);
   * - `all`: every stream;
   * - `choose`: the customer picks after the credentials check (`fixed_streams` always included).
   */
  streams: StreamPolicy;
  /** Streams always synced, with the sync mode, cursor and primary key to use (else the best both sides support). */
  fixed_streams?: FixedStream[] | undefined;
  /**
   * Prefix of every table this connection writes, so two sources of one connector never write
   * the same tables. Placeholders: `{source_id}`, `{source_short_id}` (its first 8 characters).
   * Default `"{source_short_id}_"`; `""` turns it off.
   */
  stream_prefix: string;
  /** Where the tables go: the destination's default namespace (default), the source's, or `namespace_format`. */
  namespace_definition?: 'destination' | 'source' | 'custom_format' | undefined;
  /** With `custom_format`, e.g. `"${SOURCE_NAMESPACE}_acme"`. */
  namespace_format?: string | undefined;
  /** Airbyte's `dataResidency` for the connection (e.g. "auto", "us", "eu"). */
  data_residency?: string | undefined;
}

/** The stream policies of a connection template. */
export type StreamPolicy = 'suggested' | 'all' | 'choose';

/** A stream a connection template names. */
export interface FixedStream {
  name: string;
  namespace?: string | undefined;
  syncMode?: string | undefined;
  cursorField?: string[] | undefined;
  primaryKey?: string[][] | undefined;
}

const STREAM_POLICIES: StreamPolicy[] = ['suggested', 'all', 'choose'];
const SYNC_MODES = [
  'full_refresh_overwrite',
  'full_refresh_overwrite_deduped',
  'full_refresh_append',
  'full_refresh_update',
  'full_refresh_soft_delete',
  'incremental_append',
  'incremental_deduped_history',
  'incremental_update',
  'incremental_soft_delete',
];
/** Default `stream_prefix`: Airbyte Embedded prefixes with the source id too. */
export const DEFAULT_STREAM_PREFIX = '{source_short_id}_';

function fixedStreamsOf(value: unknown, errors: FieldError[]): FixedStream[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    errors.push({ path: ['fixed_streams'], message: 'must be a list of { name, syncMode?, cursorField?, primaryKey? }' });
    return undefined;
  }
  const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  const out: FixedStream[] = [];
  value.forEach((entry, i) => {
    const at = (field: string, message: string) => errors.push({ path: ['fixed_streams', String(i), field], message });
    if (!isObject(entry) || typeof entry.name !== 'string' || !entry.name) return void at('name', 'is required: the stream name');
    if (entry.namespace !== undefined && typeof entry.namespace !== 'string') at('namespace', 'must be text');
    if (entry.syncMode !== undefined && !SYNC_MODES.includes(entry.syncMode as string)) at('syncMode', `must be one of ${SYNC_MODES.join(', ')}`);
    if (entry.cursorField !== undefined && !strings(entry.cursorField)) at('cursorField', 'must be a list of field names, e.g. ["updated_at"]');
    if (entry.primaryKey !== undefined && !(Array.isArray(entry.primaryKey) && entry.primaryKey.every(strings))) at('primaryKey', 'must be a list of field paths, e.g. [["id"]]');
    out.push({
      name: entry.name,
      ...(typeof entry.namespace === 'string' ? { namespace: entry.namespace } : {}),
      ...(typeof entry.syncMode === 'string' ? { syncMode: entry.syncMode } : {}),
      ...(entry.cursorField ? { cursorField: entry.cursorField as string[] } : {}),
      ...(entry.primaryKey ? { primaryKey: entry.primaryKey as string[][] } : {}),
    });
  });
  return out;
}

export interface TemplateSet {
  sources: SourceTemplate[];
  connections: ConnectionTemplate[];
}

type Body = Record<string, unknown>;
const PREFERENCES = ['ignore', 'disable', 'propagate_columns', 'propagate_fully'] as const;
/** Gen-1 Embedded's default when a connection template names no schedule: hourly. */
export const DEFAULT_CRON = '0 0 * * * ?';

function isObject(v: unknown): v is Body {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * What is wrong with a template id, or undefined. Ids key the saga's records and appear in URLs, so
 * they are short slugs, and never a name every JavaScript object already has (`constructor`,
 * `__proto__`, `toString`…): such a key reads and writes shared state instead of the customer's own.
 */
export function templateIdProblem(id: unknown): string | undefined {
  if (typeof id !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(id)) return 'must be 1–64 letters, digits, ".", "_" or "-"';
  if (id === '__proto__' || id in Object.prototype || /^\.+$/.test(id)) return `"${id}" is reserved; choose another id`;
  return undefined;
}

/** What is wrong with an `advancedAuth` block, or undefined (only OAuth 2.0 with a complete-output spec is supported). */
function advancedAuthProblem(a: unknown): string | undefined {
  if (!isObject(a)) return 'must be the connector spec\'s advancedAuth object';
  if (a.auth_flow_type !== undefined && a.auth_flow_type !== 'oauth2.0' && a.auth_flow_type !== 'oauth1.0') return 'auth_flow_type must be oauth2.0 or oauth1.0';
  if (a.predicate_key !== undefined && !(Array.isArray(a.predicate_key) && a.predicate_key.every((k) => typeof k === 'string'))) return 'predicate_key must be a list of property names';
  const spec = a.oauth_config_specification;
  if (!isObject(spec) || !isObject(spec.complete_oauth_output_specification)) return 'needs oauth_config_specification.complete_oauth_output_specification';
  return undefined;
}

function check(errors: FieldError[]): void {
  if (errors.length) {
    throw new EmbedError('invalid_request', `Invalid template: ${errors.map((e) => `${e.path.join('.')} ${e.message.replace(/\.$/, '')}`).join('; ')}.`, { fieldErrors: errors });
  }
}

function tagsOf(v: unknown, errors: FieldError[]): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((t) => typeof t === 'string' && t.length > 0 && t.length <= 64)) {
    errors.push({ path: ['tags'], message: 'must be a list of non-empty strings (at most 64 characters each)' });
    return undefined;
  }
  return [...new Set(v as string[])];
}

/** Where Airbyte's connector registry serves its files (`METADATA_CDN_BASE_URL` + `/metadata`). */
const REGISTRY_METADATA_URL = 'https://connectors.airbyte.com/files/metadata';

/**
 * The icon Airbyte's connector registry publishes for a connector image, e.g. `airbyte/source-stripe`
 * → `https://connectors.airbyte.com/files/metadata/airbyte/source-stripe/latest/icon.svg`; undefined
 * for an image that is not Airbyte's own (a custom definition has no registry icon).
 *
 * Source: airbytehq/airbyte, `airbyte-ci/connectors/metadata_service/lib/metadata_service/registry_entry.py`
 * (`_get_icon_blob_from_gcs` reads `metadata/<dockerRepository>/latest/icon.svg`; the registry's
 * `iconUrl` is that blob under `METADATA_CDN_BASE_URL = "https://connectors.airbyte.com/files"`,
 * `constants.py`); docs.airbyte.com's connector pages show the same URLs.
 * Traps: the registry keys icons by the image *without* registry overrides, so a Cloud-only override
 * (e.g. a `-strict-encrypt` image) may have none: the catalog falls back to the letter when an icon
 * fails to load. A host page with a Content Security Policy must allow
 * `img-src https://connectors.airbyte.com`.
 */
export function registryIconUrl(dockerRepository: string | undefined): string | undefined {
  if (!dockerRepository || !/^airbyte\/(source|destination)-[a-z0-9][a-z0-9-]*$/.test(dockerRepository)) return undefined;
  return `${REGISTRY_METADATA_URL}/${dockerRepository}/latest/icon.svg`;
}

/**
 * Reads a source template from the seed body of `POST /config_templates/sources`
 * (`organizationId`, `actorDefinitionId`, `partialDefaultConfig`, `partialUserConfigSpec`), plus the
 * kit's optional `id`, `name`, `icon`, `category` and `tags`. With `base`, fields absent from `body` keep their
 * value (PATCH). Throws a 400 naming every bad field.
 */
export function sourceTemplateFromBody(body: unknown, base?: SourceTemplate): Omit<SourceTemplate, 'name'> & { name?: string } {
  if (!isObject(body)) throw new EmbedError('invalid_request', 'Send a JSON object.');
  const errors: FieldError[] = [];
  const pick = <T>(key: string) => (key in body ? (body[key] as T) : (base as unknown as Body | undefined)?.[key] as T);
  const actorDefinitionId = pick<unknown>('actorDefinitionId');
  if (typeof actorDefinitionId !== 'string' || !/^[0-9a-f-]{36}$/i.test(actorDefinitionId)) errors.push({ path: ['actorDefinitionId'], message: 'is required: the source definition id (a UUID)' });
  const partialDefaultConfig = pick<unknown>('partialDefaultConfig') ?? {};
  if (!isObject(partialDefaultConfig)) errors.push({ path: ['partialDefaultConfig'], message: 'must be an object ({} for none)' });
  const spec = pick<{ connectionSpecification?: unknown; advancedAuth?: unknown } | undefined>('partialUserConfigSpec');
  if (!isObject(spec) || !isObject(spec.connectionSpecification) || spec.connectionSpecification.type !== 'object') {
    errors.push({
      path: ['partialUserConfigSpec', 'connectionSpecification'],
      message: 'is required: a JSON Schema of type "object" with the fields the customer fills in (Airbyte\'s public API offers no connector specs to derive it from)',
    });
  }
  const name = pick<unknown>('name');
  if (name !== undefined && (typeof name !== 'string' || !name.trim())) errors.push({ path: ['name'], message: 'must be a non-empty string' });
  const icon = pick<unknown>('icon');
  if (icon !== undefined && typeof icon !== 'string') errors.push({ path: ['icon'], message: 'must be a URL string' });
  const badIcon = typeof icon === 'string' ? iconProblem(icon) : undefined;
  if (badIcon) errors.push({ path: ['icon'], message: badIcon });
  const category = pick<unknown>('category');
  if (category !== undefined && (typeof category !== 'string' || !category.trim() || category.trim().length > 64)) errors.push({ path: ['category'], message: 'must be text of 1–64 characters, e.g. "database"' });
  const id = pick<unknown>('id');
  const badId = id === undefined ? undefined : templateIdProblem(id);
  if (badId) errors.push({ path: ['id'], message: badId });
  const tags = tagsOf(pick('tags'), errors);
  const advancedAuth = isObject(spec) ? (spec.advancedAuth ?? (body as Body).advancedAuth) : undefined;
  if (advancedAuth !== undefined) {
    const problem = advancedAuthProblem(advancedAuth);
    if (problem) errors.push({ path: ['partialUserConfigSpec', 'advancedAuth'], message: problem });
  }
  const scopes = (key: string) => {
    const v = pick<unknown>(key);
    if (v !== undefined && !(Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length <= 200) && v.length <= 100)) errors.push({ path: [key], message: 'must be a list of scope names' });
    return v as string[] | undefined;
  };
  const requestedScopes = scopes('requestedScopes');
  const requestedOptionalScopes = scopes('requestedOptionalScopes');
  check(errors);
  // The form spec must work before any customer sees it: compiled, bounded, no remote refs, no field both sides set.
  const connectionSpecification = (spec as { connectionSpecification: JsonSchema }).connectionSpecification;
  check(specProblems(connectionSpecification));
  check(requiredProblems(connectionSpecification));
  check(overlapProblems(connectionSpecification, partialDefaultConfig as Body));
  return {
    id: (id as string | undefined) ?? crypto.randomUUID(),
    ...(name ? { name: (name as string).trim() } : {}),
    ...(icon ? { icon: icon as string } : {}),
    ...(category ? { category: (category as string).trim() } : {}),
    ...(tags ? { tags } : {}),
    actorDefinitionId: actorDefinitionId as string,
    partialDefaultConfig: partialDefaultConfig as Body,
    partialUserConfigSpec: { connectionSpecification, ...(advancedAuth ? { advancedAuth: advancedAuth as JsonSchema } : {}) },
    ...(requestedScopes ? { requestedScopes } : {}),
    ...(requestedOptionalScopes ? { requestedOptionalScopes } : {}),
  };
}

/**
 * Reads a connection template from the seed body of `POST /integrations/templates/connections`
 * (`organization_id`, `destination_name`, `destination_definition_id` or the older
 * `destination_actor_definition_id`, `destination_config`, `cron_expression`,
 * `non_breaking_changes_preference`, `sync_on_create`), plus optional `id` and `tags`. The cron
 * expression must be Quartz and at most hourly, as Airbyte requires; the error says why not.
 */
export function connectionTemplateFromBody(body: unknown, base?: ConnectionTemplate): ConnectionTemplate {
  if (!isObject(body)) throw new EmbedError('invalid_request', 'Send a JSON object.');
  const errors: FieldError[] = [];
  const merged: Body = { ...(base ?? {}), ...body };
  if (body.destination_actor_definition_id !== undefined && body.destination_definition_id === undefined) merged.destination_definition_id = body.destination_actor_definition_id;
  if (typeof merged.destination_name !== 'string' || !merged.destination_name.trim()) errors.push({ path: ['destination_name'], message: 'is required' });
  if (typeof merged.destination_definition_id !== 'string' || !/^[0-9a-f-]{36}$/i.test(merged.destination_definition_id)) {
    errors.push({ path: ['destination_definition_id'], message: 'is required: the destination definition id (a UUID)' });
  }
  if (!isObject(merged.destination_config)) errors.push({ path: ['destination_config'], message: 'is required: the destination configuration object' });
  let cron: string | null = base ? base.cron_expression : DEFAULT_CRON;
  if ('cron_expression' in body) {
    if (body.cron_expression === null) cron = null;
    else {
      const result = checkAirbyteCron(typeof body.cron_expression === 'string' ? body.cron_expression : undefined);
      if (result.ok) cron = result.cron;
      else errors.push({ path: ['cron_expression'], message: `${result.message} Use Quartz syntax with fixed seconds and minutes, e.g. "0 15 2 * * ?" (daily at 02:15 UTC).` });
    }
  }
  const preference = merged.non_breaking_changes_preference ?? 'ignore';
  if (!PREFERENCES.includes(preference as (typeof PREFERENCES)[number])) errors.push({ path: ['non_breaking_changes_preference'], message: `must be one of ${PREFERENCES.join(', ')}` });
  const syncOnCreate = merged.sync_on_create ?? true;
  if (typeof syncOnCreate !== 'boolean') errors.push({ path: ['sync_on_create'], message: 'must be true or false' });
  const id = merged.id ?? crypto.randomUUID();
  const badId = templateIdProblem(id);
  if (badId) errors.push({ path: ['id'], message: badId });
  const tags = tagsOf(merged.tags, errors);
  const streams = merged.streams ?? 'suggested';
  if (!STREAM_POLICIES.includes(streams as StreamPolicy)) errors.push({ path: ['streams'], message: `must be one of ${STREAM_POLICIES.join(', ')}` });
  const fixed = fixedStreamsOf(merged.fixed_streams, errors);
  const prefix = merged.stream_prefix ?? DEFAULT_STREAM_PREFIX;
  if (typeof prefix !== 'string' || prefix.length > 64 || !/^[A-Za-z0-9_{}-]*$/.test(prefix)) errors.push({ path: ['stream_prefix'], message: 'must be up to 64 letters, digits, "_" or "-", with {source_id} or {source_short_id}' });
  const nsDef = merged.namespace_definition;
  if (nsDef !== undefined && !['destination', 'source', 'custom_format'].includes(nsDef as string)) errors.push({ path: ['namespace_definition'], message: 'must be destination, source or custom_format' });
  if (nsDef === 'custom_format' && typeof merged.namespace_format !== 'string') errors.push({ path: ['namespace_format'], message: 'is required with namespace_definition custom_format' });
  if (merged.data_residency !== undefined && typeof merged.data_residency !== 'string') errors.push({ path: ['data_residency'], message: 'must be text, e.g. "auto"' });
  check(errors);
  return {
    id: id as string,
    ...(tags ? { tags } : {}),
    streams: streams as StreamPolicy,
    ...(fixed?.length ? { fixed_streams: fixed } : {}),
    stream_prefix: prefix as string,
    ...(nsDef ? { namespace_definition: nsDef as ConnectionTemplate['namespace_definition'] } : {}),
    ...(typeof merged.namespace_format === 'string' ? { namespace_format: merged.namespace_format } : {}),
    ...(typeof merged.data_residency === 'string' ? { data_residency: merged.data_residency } : {}),
    destination_name: (merged.destination_name as string).trim(),
    destination_definition_id: merged.destination_definition_id as string,
    destination_config: merged.destination_config as Body,
    cron_expression: cron,
    non_breaking_changes_preference: preference as ConnectionTemplate['non_breaking_changes_preference'],
    sync_on_create: syncOnCreate as boolean,
  };
}

/** Whether `input` has a template set's shape (`sources` and `connections` arrays), before its entries are checked. */
export function hasTemplateSetShape(input: unknown): input is { sources: unknown[]; connections: unknown[] } {
  const set = input as { sources?: unknown; connections?: unknown } | null;
  return typeof set === 'object' && set !== null && Array.isArray(set.sources) && Array.isArray(set.connections);
}

/**
 * Checks a template set (a config file's content) and returns it typed. Errors name the template
 * and the field to fix, so a typo fails at start-up rather than at a customer's submit.
 */
export function parseTemplates(input: unknown, where = 'templates'): TemplateSet {
  const set = input;
  if (!hasTemplateSetShape(set)) {
    throw new Error(`Invalid templates (${where}): expected an object with "sources" and "connections" arrays`);
  }
  const at = (what: string, fn: () => unknown) => {
    try {
      return fn();
    } catch (error) {
      throw new Error(`Invalid templates (${where}) ${what}: ${(error as Error).message}`);
    }
  };
  const sources = set.sources.map((s, i) =>
    at(`sources[${i}]`, () => {
      const t = sourceTemplateFromBody(s);
      if (!(s as Body).id || !t.name) throw new Error('a template in a file needs "id" and "name"');
      return t as SourceTemplate;
    }),
  ) as SourceTemplate[];
  const ids = new Set<string>();
  for (const s of sources) {
    if (ids.has(s.id)) throw new Error(`Invalid templates (${where}): duplicate source template id "${s.id}"`);
    ids.add(s.id);
  }
  const connections = set.connections.map((c, i) => at(`connections[${i}]`, () => connectionTemplateFromBody({ id: `connection-${i + 1}`, ...(c as Body) }))) as ConnectionTemplate[];
  return { sources, connections };
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

/** Whether a template is in a catalog restricted to `tags` (`any`: shares one, `all`: has every one). */
export function matchesTags(templateTags: string[] | undefined, tags: string[] | undefined, mode: 'any' | 'all' = 'any'): boolean {
  if (!tags?.length) return true;
  const own = new Set(templateTags ?? []);
  return mode === 'all' ? tags.every((t) => own.has(t)) : tags.some((t) => own.has(t));
}
