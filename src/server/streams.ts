import type { StreamOption, StreamRef } from '../shared/contract.ts';
import { EmbedError } from '../shared/errors.ts';
import type { ConnectionSyncMode, StreamConfiguration, StreamProperties } from './airbyteTypes.ts';
import { DEFAULT_STREAM_PREFIX, type ConnectionTemplate, type FixedStream } from './templates.ts';

/** A stream as the saga remembers it from the credentials check (a discover). */
export interface DiscoveredStream extends StreamRef {
  /** The connector suggests it; unknown on Airbyte's public API, which does not say (then false). */
  suggested: boolean;
}

const sameStream = (a: StreamRef, b: StreamRef) => a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
const matches = (fixed: FixedStream, s: StreamRef) => fixed.name === s.name && (fixed.namespace === undefined || fixed.namespace === (s.namespace ?? ''));
const label = (s: StreamRef) => (s.namespace ? `${s.namespace}.${s.name}` : s.name);

/** The discovered streams, as `GET /streams` lists them. */
export function discovered(properties: StreamProperties[]): DiscoveredStream[] {
  return properties.map((p) => ({ name: p.streamName, ...(p.streamnamespace ? { namespace: p.streamnamespace } : {}), suggested: false }));
}

/** The streams a template fixes that the source really has. */
function fixedOf(template: ConnectionTemplate, streams: StreamRef[]): StreamRef[] {
  return streams.filter((s) => (template.fixed_streams ?? []).some((f) => matches(f, s)));
}

/**
 * The streams a new connection syncs under its template's policy, before any sync-mode choice:
 * `suggested`: the fixed ones if the template names any, else the suggested ones, else all
 * (Airbyte itself would select none for a connector that suggests nothing: the trap this avoids);
 * `all`: all; `choose`: the customer's choice plus the fixed ones. Never empty: an empty result
 * is a `no_streams` error naming who can fix it.
 */
export function selectStreams(template: ConnectionTemplate, streams: DiscoveredStream[], chosen: StreamRef[] | undefined): StreamRef[] {
  const fixed = fixedOf(template, streams);
  const policy = template.streams ?? 'suggested';
  let selected: StreamRef[];
  if (policy === 'all') selected = streams;
  else if (policy === 'choose') selected = [...fixed, ...streams.filter((s) => (chosen ?? []).some((c) => sameStream(c, s)) && !fixed.some((f) => sameStream(f, s)))];
  else if (fixed.length) selected = fixed;
  else if (streams.some((s) => s.suggested)) selected = streams.filter((s) => s.suggested);
  else selected = streams;
  if (!selected.length) {
    throw streams.length
      ? new EmbedError('no_streams', `None of the streams this site syncs (${(template.fixed_streams ?? []).map((f) => f.name).join(', ')}) exists in this source. The site's team must update its connection template.`)
      : new EmbedError('no_streams', 'This source has nothing to sync with these details (it lists no tables or streams). Check the database, schemas or account you entered.');
  }
  return selected.map((s) => ({ name: s.name, ...(s.namespace ? { namespace: s.namespace } : {}) }));
}

/**
 * What the stream chooser shows before the connection exists: every discovered stream, the
 * template's fixed ones required, the rest preselected as the `suggested` policy would pick them.
 */
export function streamOptions(template: ConnectionTemplate, streams: DiscoveredStream[]): StreamOption[] {
  const fixed = fixedOf(template, streams);
  const preselect = streams.some((s) => s.suggested) ? streams.filter((s) => s.suggested) : streams;
  return streams.map((s) => {
    const required = fixed.some((f) => sameStream(f, s));
    return { name: s.name, ...(s.namespace ? { namespace: s.namespace } : {}), suggested: s.suggested, required, selected: required || preselect.some((p) => sameStream(p, s)) };
  });
}

/**
 * Checks the customer's choice against what the source discovered: at least one stream, each one
 * discovered. Errors say what to do (the chooser stays open with the choice kept).
 */
export function checkChoice(choice: unknown, streams: DiscoveredStream[]): StreamRef[] {
  if (!Array.isArray(choice) || choice.some((c) => !c || typeof c !== 'object' || typeof (c as StreamRef).name !== 'string')) {
    throw new EmbedError('invalid_request', '"streams" must be a list of { name, namespace? }.');
  }
  if (!choice.length) throw new EmbedError('no_streams', 'Choose at least one table to sync.');
  const unknown = (choice as StreamRef[]).filter((c) => !streams.some((s) => sameStream(s, c)));
  if (unknown.length) throw new EmbedError('invalid_request', `This source has no stream named ${unknown.map(label).join(', ')}. Reload the list and choose again.`);
  return (choice as StreamRef[]).map((c) => ({ name: c.name, ...(c.namespace ? { namespace: c.namespace } : {}) }));
}

/**
 * The best sync mode both the source stream and the destination allow, as the rule and
 * Airbyte's validation (`AirbyteCatalogHelper.validateStreamConfig`) agree: incremental append
 * where the stream has a cursor and the destination takes appends, else full refresh overwrite
 * (which Airbyte always accepts).
 */
function bestMode(p: StreamProperties | undefined): Pick<StreamConfiguration, 'syncMode' | 'cursorField'> {
  const hasCursor = Boolean(p?.sourceDefinedCursorField || p?.defaultCursorField?.length);
  if (p && hasCursor && p.syncModes?.includes('incremental_append')) {
    return { syncMode: 'incremental_append', ...(!p.sourceDefinedCursorField && p.defaultCursorField?.length ? { cursorField: p.defaultCursorField } : {}) };
  }
  return { syncMode: 'full_refresh_overwrite' };
}

/**
 * `configurations.streams` for a connection: each selected stream with the template's fixed mode,
 * cursor and key where it names them, else the best mode. `properties` are from `GET /streams`
 * with the destination, so they list the sync modes both sides allow.
 */
export function streamConfigurations(template: ConnectionTemplate, selected: StreamRef[], properties: StreamProperties[], current: StreamConfiguration[] = []): StreamConfiguration[] {
  return selected.map((s) => {
    const p = properties.find((x) => x.streamName === s.name && (x.streamnamespace ?? '') === (s.namespace ?? ''));
    const fixed = (template.fixed_streams ?? []).find((f) => matches(f, s));
    const kept = current.find((c) => sameStream(c, s));
    const base: StreamConfiguration = { name: s.name, ...(s.namespace ? { namespace: s.namespace } : {}) };
    if (fixed?.syncMode) {
      return { ...base, syncMode: fixed.syncMode as ConnectionSyncMode, ...(fixed.cursorField ? { cursorField: fixed.cursorField } : {}), ...(fixed.primaryKey ? { primaryKey: fixed.primaryKey } : {}) };
    }
    if (kept?.syncMode) return { ...kept, ...base };
    return { ...base, ...bestMode(p) };
  });
}

/** The table prefix of a source's connections, from the template's `stream_prefix`. */
export function streamPrefix(template: ConnectionTemplate, sourceId: string): string {
  return (template.stream_prefix ?? DEFAULT_STREAM_PREFIX).replaceAll('{source_id}', sourceId.replace(/-/g, '_')).replaceAll('{source_short_id}', sourceId.replace(/-/g, '').slice(0, 8));
}
