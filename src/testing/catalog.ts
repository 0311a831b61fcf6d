/**
 * What airbyte-platform's server does with a discovered catalog for the public API: the default
 * selection of streams, the sync modes a source/destination pair allows, and the checks of the
 * stream configurations a connection create or patch sends. Each function names the server file it
 * follows; messages are the server's, Kotlin collection formatting included (`[a, b]`, `[[id]]`).
 */
import type { SourceSyncMode, StreamInfo } from './connectors.ts';
import type { StreamConfig } from './emulatorState.ts';

/** A discovered stream with its default configuration flags. */
export interface CatalogEntry {
  stream: StreamInfo;
  /** Selected by default in a new connection. */
  selected: boolean;
  /** Suggested by the connector (same rule as `selected`). */
  suggested: boolean;
}

/**
 * The default configuration of each discovered stream:
 * airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/handlers/helpers/CatalogConverter.kt
 * (`generateDefaultConfiguration`): a stream is selected (and suggested) iff it is the only stream,
 * or the connector suggests streams and lists it.
 */
export function defaultConfiguration(streams: StreamInfo[], suggestedStreams: string[] | undefined): CatalogEntry[] {
  return streams.map((stream) => {
    const selected = streams.length === 1 || (suggestedStreams !== undefined && suggestedStreams.includes(stream.name));
    return { stream, selected, suggested: selected };
  });
}

/** Kotlin's `toString()` of a list (`[a, b]`, nested `[[id], [name]]`), as the server's messages print them. */
export function kt(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(kt).join(', ')}]`;
  return value === undefined || value === null ? 'null' : String(value);
}

/** Public-API sync mode of a (source sync mode, destination sync mode) pair: ConnectionReadMapper.syncModesToConnectionSyncModeEnum. */
const COMBINED: Record<SourceSyncMode, Record<string, string>> = {
  full_refresh: { overwrite: 'full_refresh_overwrite', append: 'full_refresh_append', overwrite_dedup: 'full_refresh_overwrite_deduped', update: 'full_refresh_update', soft_delete: 'full_refresh_soft_delete' },
  incremental: { append: 'incremental_append', append_dedup: 'incremental_deduped_history', update: 'incremental_update', soft_delete: 'incremental_soft_delete' },
};

/**
 * The connection sync modes a stream allows with a destination, as connection create/patch check
 * them: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/helpers/AirbyteCatalogHelper.kt
 * (`validCombinedSyncModes`, via `ConnectionReadMapper.syncModesToConnectionSyncModeEnum` in
 * airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/mappers/ConnectionReadMapper.kt).
 */
export function validCombinedSyncModes(sourceModes: SourceSyncMode[], destinationModes: string[]): string[] {
  const out: string[] = [];
  for (const s of sourceModes) for (const d of destinationModes) {
    const combined = COMBINED[s]?.[d];
    if (combined && !out.includes(combined)) out.push(combined);
  }
  return out;
}

/**
 * The `syncModes` of `GET /streams`:
 * airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/StreamsController.kt
 * (`getValidSyncModes`). Without a destination it returns null, which the server's Jackson setting
 * `serialization-inclusion: NON_ABSENT` (airbyte-server/src/main/resources/application.yml) leaves out
 * of the answer. It never lists `full_refresh_overwrite_deduped`.
 */
export function streamSyncModes(sourceModes: SourceSyncMode[], destinationModes: string[] | undefined): string[] | undefined {
  if (!destinationModes?.length) return undefined;
  const out: string[] = [];
  const has = (m: string) => destinationModes.includes(m);
  if (sourceModes.includes('full_refresh')) {
    if (has('append')) out.push('full_refresh_append');
    if (has('overwrite')) out.push('full_refresh_overwrite');
    if (has('update')) out.push('full_refresh_update');
    if (has('soft_delete')) out.push('full_refresh_soft_delete');
  }
  if (sourceModes.includes('incremental')) {
    if (has('append')) out.push('incremental_append');
    if (has('append_dedup')) out.push('incremental_deduped_history');
    if (has('update')) out.push('incremental_update');
    if (has('soft_delete')) out.push('incremental_soft_delete');
  }
  return out;
}

/** One stream of `GET /streams` (the spec's `StreamProperties`), per StreamsController.kt. */
export function streamProperties(stream: StreamInfo, destinationModes: string[] | undefined) {
  const syncModes = streamSyncModes(stream.supportedSyncModes, destinationModes);
  return {
    streamName: stream.name,
    ...(stream.namespace === undefined ? {} : { streamnamespace: stream.namespace }),
    ...(syncModes ? { syncModes } : {}),
    defaultCursorField: stream.defaultCursorField,
    sourceDefinedCursorField: stream.sourceDefinedCursor,
    sourceDefinedPrimaryKey: stream.sourceDefinedPrimaryKey,
    propertyFields: stream.fields.map((f) => [f]),
  };
}

/**
 * The streams of a connection created without stream configurations (or with `streams: []`):
 * AirbyteCatalogHelper.kt `updateAllStreamsFullRefreshOverwrite` keeps each stream's default
 * `selected` and sets full refresh | overwrite; only selected streams are kept in the connection
 * (CatalogConverter.kt `toConfiguredInternal`), so a source with several streams and no suggested
 * streams gets none. The default cursor is kept; the primary key is not copied.
 */
export function defaultStreams(entries: CatalogEntry[]): StreamConfig[] {
  return entries
    .filter((e) => e.selected)
    .map((e) => ({ name: e.stream.name, ...(e.stream.namespace === undefined ? {} : { namespace: e.stream.namespace }), syncMode: 'full_refresh_overwrite', cursorField: e.stream.defaultCursorField, primaryKey: [] }));
}

const PK_MODES = ['incremental_deduped_history', 'full_refresh_overwrite_deduped', 'incremental_update', 'full_refresh_update'];
const INCREMENTAL_MODES = ['incremental_deduped_history', 'incremental_append', 'incremental_update', 'incremental_soft_delete'];
const STREAMS_LINK = 'Please call the https://reference.airbyte.com/reference/getstreamproperties endpoint to see the valid stream name and namespace combinations.';

class StreamProblem extends Error {}
const fail = (message: string): never => {
  throw new StreamProblem(message);
};

/** AirbyteCatalogHelper.selectCursorField: the source's cursor when it defines one, else the given one, else the default. */
function selectCursorField(stream: StreamInfo, given: StreamConfig): string[] {
  if (stream.sourceDefinedCursor) return stream.defaultCursorField;
  return given.cursorField?.length ? given.cursorField : stream.defaultCursorField;
}

/** AirbyteCatalogHelper.selectPrimaryKey: the source's key when it defines one, else the given one. */
function selectPrimaryKey(stream: StreamInfo, given: StreamConfig): string[][] {
  return stream.sourceDefinedPrimaryKey.length ? stream.sourceDefinedPrimaryKey : (given.primaryKey ?? []);
}

const sameSet = (a: string[], b: string[]) => new Set(a).size === new Set(b).size && a.every((x) => b.includes(x));
const samePaths = (a: string[][], b: string[][]) => a.length === b.length && a.every((p, i) => kt(p) === kt(b[i]));

/** AirbyteCatalogHelper.validateFieldSelection. */
function validateFieldSelection(given: StreamConfig, stream: StreamInfo) {
  if (given.selectedFields === undefined || given.selectedFields === null) return;
  const top = stream.fields;
  if (!given.selectedFields.length) fail(`No fields selected for stream ${stream.name}. The list of valid field names includes: ${kt(top)}.`);
  const names = given.selectedFields.map((f) => {
    if (!f.fieldPath?.length) fail(`Selected field path cannot be empty for stream:  ${stream.name}.`);
    if (f.fieldPath.length > 1) fail(`Nested field selection not supported for stream ${stream.name}.`);
    return f.fieldPath[0]!;
  });
  if (new Set(names).size !== names.length) fail(`Duplicate fields selected in configuration for stream: ${stream.name}.`);
  if (!names.every((n) => top.includes(n))) fail(`Invalid fields selected for stream ${stream.name}. The list of valid field names includes: ${kt(top)}.`);
  if (PK_MODES.includes(given.syncMode)) {
    const pk = selectPrimaryKey(stream, given).map((k) => k[0]).filter((k): k is string => k !== undefined);
    if (!pk.every((k) => names.includes(k))) {
      fail(`Primary key fields are not selected properly for stream: ${stream.name}. Please include primary key(s) in the configuration for this stream.`);
    }
  }
  if (INCREMENTAL_MODES.includes(given.syncMode)) {
    const cursor = selectCursorField(stream, given);
    if (cursor.length && !names.includes(cursor[0]!)) {
      fail(`Cursor field is not selected properly for stream: ${stream.name}. Please include the cursor field in selected fields for this stream.`);
    }
  }
}

/** AirbyteCatalogHelper.validateCursorField. */
function validateCursorField(cursorField: string[] | undefined, stream: StreamInfo) {
  const fields = stream.fields.map((f) => [f]);
  if (stream.sourceDefinedCursor) {
    if (cursorField?.length && !sameSet(cursorField, stream.defaultCursorField)) {
      fail(`Cursor Field ${kt(cursorField)} is already defined by source for stream: ${stream.name}. Do not include a cursor field configuration for this stream.`);
    }
  } else if (cursorField?.length) {
    if (!fields.some((f) => kt(f) === kt(cursorField))) fail(`Invalid cursor field for stream: ${stream.name}. The list of valid cursor fields include: ${kt(fields)}.`);
  } else if (!stream.defaultCursorField.length) {
    fail(`No default cursor field for stream: ${stream.name}. Please include a cursor field configuration for this stream.`);
  }
}

/** AirbyteCatalogHelper.validatePrimaryKey. */
function validatePrimaryKey(primaryKey: string[][] | undefined, stream: StreamInfo) {
  const sourceDefined = stream.sourceDefinedPrimaryKey.length > 0;
  const configured = (primaryKey?.length ?? 0) > 0;
  if (sourceDefined && configured && !samePaths(stream.sourceDefinedPrimaryKey, primaryKey!)) {
    fail(`Primary key for stream: ${stream.name} is already pre-defined. Please remove the primaryKey or provide the value as ${kt(stream.sourceDefinedPrimaryKey)}.`);
  }
  if (!configured && !sourceDefined) fail(`No default primary key for stream: ${stream.name}. Please include a primary key configuration for this stream.`);
  const valid = stream.fields.map((f) => [f]);
  for (const key of primaryKey ?? []) {
    if (!valid.some((v) => kt(v) === kt(key))) fail(`Invalid primary key for stream: ${stream.name}. The list of valid primary keys fields: ${kt(valid)}.`);
    if (new Set(key).size !== key.length) fail(`Duplicate primary key detected for stream: ${stream.name}, please don't provide the same column more than once. Key: ${kt(primaryKey)}`);
  }
}

/** AirbyteCatalogHelper.validateStreamConfig: field selection, then sync mode, then cursor and primary key. */
function validateStreamConfig(given: StreamConfig, destinationModes: string[], stream: StreamInfo) {
  validateFieldSelection(given, stream);
  if (!given.syncMode || given.syncMode === 'full_refresh_overwrite') return;
  const valid = validCombinedSyncModes(stream.supportedSyncModes, destinationModes);
  if (!valid.includes(given.syncMode)) fail(`Cannot set sync mode to ${given.syncMode} for stream ${given.name}. Valid sync modes are: ${kt(valid)}`);
  switch (given.syncMode) {
    case 'incremental_append':
      validateCursorField(given.cursorField, stream);
      break;
    case 'incremental_deduped_history':
      validateCursorField(given.cursorField, stream);
      validatePrimaryKey(given.primaryKey, stream);
      break;
    case 'full_refresh_update':
    case 'incremental_update':
      validatePrimaryKey(given.primaryKey, stream);
      break;
    default:
  }
}

/** AirbyteCatalogHelper.findAndValidateCatalogStreamAndConfiguration: by name, then by name and namespace. */
function findStream(catalog: StreamInfo[], name: string, namespace: string | undefined): StreamInfo {
  const byName = catalog.filter((s) => s.name === name);
  if (byName.length === 1) return byName[0]!;
  const both = byName.filter((s) => s.namespace === namespace);
  if (both.length === 1) return both[0]!;
  if (both.length > 1) fail(`Multiple streams found with name [${name}] and namespace [${kt(namespace)}]. ${STREAMS_LINK}`);
  return fail(`No streams found with name [${name}] and namespace [${kt(namespace)}]. ${STREAMS_LINK}`);
}

/**
 * Checks the stream configurations of a connection create or patch against the discovered catalog
 * and the destination's sync modes, and returns what the connection stores:
 * airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/helpers/AirbyteCatalogHelper.kt
 * (`getValidConfiguredStreams`, `toAirbyteStreamConfiguration`). A string is the 400's message.
 */
export function configuredStreams(catalog: StreamInfo[], given: StreamConfig[], destinationModes: string[]): StreamConfig[] | string {
  try {
    const seen = new Set<string>();
    return given.map((g) => {
      const stream = findStream(catalog, g.name, g.namespace);
      validateStreamConfig(g, destinationModes, stream);
      const key = `${g.name}\u0000${kt(g.namespace)}`;
      if (seen.has(key)) fail(`Duplicate stream found in configuration for stream name [${g.name}] in namespace [${kt(g.namespace)}].`);
      seen.add(key);
      const syncMode = g.syncMode ?? 'full_refresh_overwrite';
      const full = syncMode.startsWith('full_refresh');
      // toAirbyteStreamConfiguration: full refresh keeps the stream's default cursor; the chosen ones otherwise.
      const cursorField = full ? stream.defaultCursorField : selectCursorField(stream, g);
      const primaryKey = syncMode === 'full_refresh_overwrite' || syncMode === 'full_refresh_append' ? stream.sourceDefinedPrimaryKey : selectPrimaryKey(stream, g);
      const namespace = g.namespace ?? stream.namespace;
      return {
        name: stream.name,
        ...(namespace === undefined ? {} : { namespace }),
        syncMode,
        cursorField,
        primaryKey,
        ...(g.selectedFields ? { selectedFields: g.selectedFields } : {}),
      };
    });
  } catch (error) {
    if (error instanceof StreamProblem) return error.message;
    throw error;
  }
}

const HOST_KEY = /(^|_)(host|hostname|host_name|server|endpoint|url|uri|domain)$/i;

/** The host name in a host-like value: `db.example.invalid`, `db.example.invalid:5432` or a URL. */
function hostOf(value: string): string {
  try {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return new URL(value).hostname;
  } catch {
    // not a URL: fall through
  }
  return value.split(/[/:]/)[0] ?? value;
}

/**
 * The emulator's stand-in for a connector refusing its configuration (a discover or check fails):
 * any string containing `wrong` (any case), or a host-like property (`host`, `hostname`, `server`,
 * `endpoint`, `url`, `*_host`, `*_url`, …) whose host ends in `.invalid` (RFC 2606: never resolves).
 * Returns the connector's message, naming the field, or undefined when the configuration "works".
 */
export function wrongCredentials(configuration: unknown, path: string[] = []): string | undefined {
  if (Array.isArray(configuration)) {
    for (const [i, v] of configuration.entries()) {
      const found = wrongCredentials(v, [...path, String(i)]);
      if (found) return found;
    }
    return undefined;
  }
  if (!configuration || typeof configuration !== 'object') return undefined;
  for (const [key, value] of Object.entries(configuration)) {
    const at = [...path, key].join('.');
    if (typeof value === 'string') {
      if (HOST_KEY.test(key)) {
        const host = hostOf(value.trim()).toLowerCase().replace(/\.$/, '');
        if (host === 'invalid' || host.endsWith('.invalid')) return `Could not connect: the host name ${host} (field ${at}) does not resolve.`;
      }
      if (/wrong/i.test(value)) return `Authentication failed: the credentials were refused (field ${at}).`;
    } else {
      const found = wrongCredentials(value, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}
