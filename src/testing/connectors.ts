import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { JsonSchema } from '../shared/contract.ts';

/** A source-level sync mode, as a connector's catalog declares it (`supported_sync_modes`). */
export type SourceSyncMode = 'full_refresh' | 'incremental';

/**
 * A stream as the source's discover reports it (the protocol's `AirbyteStream`): source-level sync
 * modes, cursor, primary key and top-level fields. The public API's `StreamProperties` and the
 * connection checks are derived from it together with the destination's sync modes.
 */
export interface StreamInfo {
  /** Stream name, e.g. `users`. */
  name: string;
  /** Namespace (schema for databases, e.g. `public`); absent for most API sources. */
  namespace?: string | undefined;
  /** `full_refresh` and/or `incremental`. */
  supportedSyncModes: SourceSyncMode[];
  /** The cursor the source suggests (`default_cursor_field`); may be empty. */
  defaultCursorField: string[];
  /** Whether the source imposes the cursor (`source_defined_cursor`). */
  sourceDefinedCursor: boolean;
  /** The source's primary key (`source_defined_primary_key`); may be empty. */
  sourceDefinedPrimaryKey: string[][];
  /** Top-level property names of the stream's JSON schema. */
  fields: string[];
}

/** A connector definition the emulator knows: its identity, its spec and (sources) its streams. */
export interface ConnectorDefinition {
  id: string;
  type: 'source' | 'destination';
  /** Display name, e.g. "Stripe". */
  name: string;
  dockerRepository: string;
  dockerImageTag: string;
  documentationUrl?: string | undefined;
  /** The connector's `connectionSpecification`; configurations are validated against it. */
  spec: JsonSchema;
  /** The spec's `advancedAuth` block, for OAuth sources. */
  advancedAuth?: JsonSchema | undefined;
  /** Sources: the catalog a discover returns (a catalog is derived from the name when absent). */
  streams?: StreamInfo[] | undefined;
  /**
   * Sources: the registry's `suggestedStreams.streams`. With it, exactly these streams are selected
   * by default in a new connection; without it only a source's single stream is (CatalogConverter).
   */
  suggestedStreams?: string[] | undefined;
  /**
   * Destinations: the spec's `supportedDestinationSyncModes` (`overwrite`, `append`, `append_dedup`,
   * `overwrite_dedup`, `update`, `soft_delete`); default `['overwrite', 'append', 'append_dedup']`.
   */
  supportedDestinationSyncModes?: string[] | undefined;
}

/** Destination sync modes of a destination definition that does not declare them. */
export const DEFAULT_DESTINATION_SYNC_MODES = ['overwrite', 'append', 'append_dedup'];

/** A stream with an `id` primary key; with a cursor it is incremental with that source-defined cursor. */
function stream(name: string, fields: string[], cursor?: string, extra: Partial<StreamInfo> = {}): StreamInfo {
  return {
    name,
    supportedSyncModes: cursor ? ['full_refresh', 'incremental'] : ['full_refresh'],
    defaultCursorField: cursor ? [cursor] : [],
    sourceDefinedCursor: Boolean(cursor),
    sourceDefinedPrimaryKey: [['id']],
    fields,
    ...extra,
  };
}

/** A database table: full refresh or incremental with a cursor the user picks, primary key `id`. */
function table(name: string, fields: string[], namespace = 'public'): StreamInfo {
  return { name, namespace, supportedSyncModes: ['full_refresh', 'incremental'], defaultCursorField: [], sourceDefinedCursor: false, sourceDefinedPrimaryKey: [['id']], fields };
}

/** FNV-1a: a small stable hash, so derived catalogs are the same on every run. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

const API_STREAMS = ['users', 'accounts', 'events', 'contacts', 'orders', 'invoices', 'campaigns', 'tickets', 'projects', 'messages', 'transactions', 'products'];
const DB_TABLES = ['customers', 'orders', 'order_items', 'products', 'accounts', 'events', 'invoices', 'payments'];

/** Whether a spec describes a database (it asks for a host and a database), whose streams are tables. */
export function isDatabaseSpec(spec: JsonSchema): boolean {
  const props = (spec as { properties?: Record<string, unknown> }).properties ?? {};
  return 'host' in props && 'database' in props;
}

/**
 * The catalog of a connector with no built-in one (loaded from `connectorSpecsDir`): 2–4 streams
 * picked by a hash of its name, so it is the same on every run. Databases get tables in `public`
 * and suggest nothing; API sources suggest their first stream or two.
 */
export function derivedCatalog(connectorName: string, spec: JsonSchema): { streams: StreamInfo[]; suggestedStreams?: string[] } {
  const h = hash(connectorName);
  const count = 2 + (h % 3);
  const db = isDatabaseSpec(spec);
  const pool = db ? DB_TABLES : API_STREAMS;
  const names = Array.from({ length: count }, (_, i) => pool[(h + i * 5) % pool.length]!).filter((n, i, all) => all.indexOf(n) === i);
  if (db) return { streams: names.map((n) => table(n, ['id', 'name', 'created_at', 'updated_at'])) };
  // The last stream is full-refresh only, like many API "snapshot" endpoints.
  const streams = names.map((n, i) => (i === names.length - 1 ? stream(n, ['id', 'name', 'created_at']) : stream(n, ['id', 'name', 'created_at', 'updated_at'], 'updated_at')));
  return { streams, suggestedStreams: names.slice(0, 1 + ((h >>> 3) % 2)) };
}

/**
 * Built-in definitions (hand-written, shortened specs of the real connectors) so the emulator
 * works with no spec files: Faker, Stripe and Postgres sources, the S3 destination. Their catalogs
 * follow the real connectors: Faker has 3 streams and suggests none (so a new connection without
 * stream configurations selects none), Stripe suggests some of its streams, Postgres has 3 tables in
 * `public` with user-chosen cursors, S3 writes `overwrite` and `append` only.
 */
export const BUILT_IN_CONNECTORS: ConnectorDefinition[] = [
  {
    id: 'dfd88b22-b603-4c3d-aad7-3701784586b1',
    type: 'source',
    name: 'Sample Data',
    dockerRepository: 'airbyte/source-faker',
    dockerImageTag: '6.2.38',
    documentationUrl: 'https://docs.airbyte.com/integrations/sources/faker',
    spec: {
      type: 'object',
      required: [],
      additionalProperties: true,
      properties: {
        count: { type: 'integer', minimum: 1, default: 1000, title: 'Count' },
        seed: { type: 'integer', default: -1, title: 'Seed' },
        records_per_slice: { type: 'integer', minimum: 1, default: 1000, title: 'Records Per Stream Slice' },
        always_updated: { type: 'boolean', default: true, title: 'Always Updated' },
        parallelism: { type: 'integer', minimum: 1, default: 4, title: 'Parallelism' },
      },
    },
    streams: [
      stream('users', ['id', 'name', 'email', 'created_at', 'updated_at'], 'updated_at'),
      stream('products', ['id', 'make', 'model', 'price', 'updated_at'], 'updated_at'),
      stream('purchases', ['id', 'user_id', 'product_id', 'purchased_at', 'updated_at'], 'updated_at'),
    ],
  },
  {
    id: 'e094cb9a-26de-4645-8761-65c0c425d1de',
    type: 'source',
    name: 'Stripe',
    dockerRepository: 'airbyte/source-stripe',
    dockerImageTag: '5.15.6',
    documentationUrl: 'https://docs.airbyte.com/integrations/sources/stripe',
    spec: {
      type: 'object',
      required: ['client_secret', 'account_id'],
      properties: {
        account_id: { type: 'string', title: 'Account ID' },
        client_secret: { type: 'string', title: 'Secret Key', airbyte_secret: true },
        start_date: { type: 'string', format: 'date-time', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' },
        lookback_window_days: { type: 'integer', minimum: 0, default: 0 },
        slice_range: { type: 'integer', minimum: 1, default: 365 },
        num_workers: { type: 'integer', minimum: 1, default: 10 },
        call_rate_limit: { type: 'integer' },
      },
    },
    streams: [
      stream('charges', ['id', 'amount', 'currency', 'customer', 'created', 'updated'], 'updated'),
      stream('customers', ['id', 'email', 'name', 'created', 'updated'], 'updated'),
      stream('invoices', ['id', 'customer', 'total', 'status', 'created', 'updated'], 'updated'),
      stream('balance_transactions', ['id', 'amount', 'type', 'created']),
    ],
    // The registry's suggestedStreams for Stripe; balance_transactions is not among them.
    suggestedStreams: ['charges', 'customers', 'invoices'],
  },
  {
    id: 'decd338e-5647-4c0b-adf4-da0e75f5a750',
    type: 'source',
    name: 'Postgres',
    dockerRepository: 'airbyte/source-postgres',
    dockerImageTag: '3.7.2-rc.1',
    documentationUrl: 'https://docs.airbyte.com/integrations/sources/postgres',
    spec: {
      type: 'object',
      required: ['host', 'port', 'database', 'username'],
      additionalProperties: true,
      properties: {
        host: { type: 'string', title: 'Host', order: 0 },
        port: { type: 'integer', title: 'Port', minimum: 0, maximum: 65536, default: 5432, order: 1 },
        database: { type: 'string', title: 'Database Name', order: 2 },
        schemas: { type: 'array', title: 'Schemas', items: { type: 'string' }, minItems: 0, uniqueItems: true, default: ['public'], order: 3 },
        username: { type: 'string', title: 'Username', order: 4 },
        password: { type: 'string', title: 'Password', airbyte_secret: true, order: 5 },
      },
    },
    streams: [
      table('customers', ['id', 'email', 'name', 'created_at', 'updated_at']),
      table('orders', ['id', 'customer_id', 'total', 'status', 'created_at', 'updated_at']),
      table('order_items', ['id', 'order_id', 'product', 'quantity', 'price']),
    ],
  },
  {
    id: '4816b78f-1489-44c1-9060-4b19d5fa9362',
    type: 'destination',
    name: 'S3',
    dockerRepository: 'airbyte/destination-s3',
    dockerImageTag: '1.5.9',
    documentationUrl: 'https://docs.airbyte.com/integrations/destinations/s3',
    spec: {
      type: 'object',
      required: ['s3_bucket_name', 's3_bucket_path', 's3_bucket_region', 'format'],
      additionalProperties: true,
      properties: {
        access_key_id: { type: 'string', airbyte_secret: true },
        secret_access_key: { type: 'string', airbyte_secret: true },
        role_arn: { type: 'string' },
        s3_bucket_name: { type: 'string' },
        s3_bucket_path: { type: 'string' },
        s3_bucket_region: { type: 'string' },
        format: { type: 'object', required: ['format_type'], properties: { format_type: { type: 'string', enum: ['Avro', 'CSV', 'JSONL', 'Parquet'] } } },
        s3_endpoint: { type: 'string' },
      },
    },
    // destination-s3's spec: supportedDestinationSyncModes [overwrite, append] (no dedup).
    supportedDestinationSyncModes: ['overwrite', 'append'],
  },
];

interface SpecFile {
  name: string;
  definitionId: string;
  displayName?: string | undefined;
  dockerImageTag?: string | undefined;
  documentationUrl?: string | undefined;
  connectionSpecification: JsonSchema;
  advancedAuth?: JsonSchema | undefined;
  supportedDestinationSyncModes?: string[] | undefined;
  suggestedStreams?: { streams?: string[] } | undefined;
}

/**
 * Reads connector spec files laid out as `<dir>/sources/*.json` and `<dir>/destinations/*.json`,
 * each `{ name, definitionId, displayName, dockerImageTag, connectionSpecification, advancedAuth? }`
 * (the format of Airbyte's connector registry exports, e.g. `../shared/connector-specs`).
 */
export function loadConnectorSpecsDir(dir: string): ConnectorDefinition[] {
  const out: ConnectorDefinition[] = [];
  for (const [sub, type] of [['sources', 'source'], ['destinations', 'destination']] as const) {
    let files: string[];
    try {
      files = readdirSync(path.join(dir, sub)).filter((f) => f.endsWith('.json'));
    } catch {
      continue;
    }
    for (const file of files) {
      const raw = JSON.parse(readFileSync(path.join(dir, sub, file), 'utf8')) as SpecFile;
      if (!raw.definitionId || !raw.connectionSpecification) throw new Error(`${path.join(dir, sub, file)} has no definitionId or connectionSpecification`);
      out.push({
        id: raw.definitionId,
        type,
        name: raw.displayName ?? raw.name,
        dockerRepository: `airbyte/${raw.name}`,
        dockerImageTag: raw.dockerImageTag ?? 'latest',
        ...(raw.documentationUrl ? { documentationUrl: raw.documentationUrl } : {}),
        spec: raw.connectionSpecification,
        ...(raw.advancedAuth ? { advancedAuth: raw.advancedAuth } : {}),
        ...(raw.supportedDestinationSyncModes ? { supportedDestinationSyncModes: raw.supportedDestinationSyncModes } : {}),
        ...(raw.suggestedStreams?.streams ? { suggestedStreams: raw.suggestedStreams.streams } : {}),
      });
    }
  }
  if (!out.length) throw new Error(`No connector specs found under ${dir}/sources or ${dir}/destinations`);
  return out;
}

/** Definitions by id, later entries (spec files, options) overriding built-ins with the same id. */
export class ConnectorRegistry {
  private readonly byId = new Map<string, ConnectorDefinition>();

  constructor(definitions: ConnectorDefinition[]) {
    for (const d of definitions) {
      const builtIn = this.byId.get(d.id);
      // Spec files carry no catalog: keep the built-in catalog and sync modes for the same connector.
      this.byId.set(
        d.id,
        builtIn
          ? {
              ...d,
              ...(d.streams || !builtIn.streams ? {} : { streams: builtIn.streams, ...(builtIn.suggestedStreams ? { suggestedStreams: builtIn.suggestedStreams } : {}) }),
              ...(d.supportedDestinationSyncModes || !builtIn.supportedDestinationSyncModes ? {} : { supportedDestinationSyncModes: builtIn.supportedDestinationSyncModes }),
            }
          : d,
      );
    }
  }

  /** The definition with this id and type, if known. */
  get(id: string, type: 'source' | 'destination'): ConnectorDefinition | undefined {
    const d = this.byId.get(id);
    return d?.type === type ? d : undefined;
  }

  /** Finds a definition by `sourceType`/`destinationType` ("stripe", "source-stripe" or "airbyte/source-stripe"). */
  byType(typeName: string, type: 'source' | 'destination'): ConnectorDefinition | undefined {
    const wanted = typeName.replace(/^airbyte\//, '').replace(new RegExp(`^${type}-`), '').toLowerCase();
    return this.list(type).find((d) => d.dockerRepository.replace(`airbyte/${type}-`, '').toLowerCase() === wanted);
  }

  /** Definitions of one type, by name. */
  list(type: 'source' | 'destination'): ConnectorDefinition[] {
    return [...this.byId.values()].filter((d) => d.type === type).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** A source's catalog and suggested streams: its own, else one derived from its name. */
  catalog(id: string): { streams: StreamInfo[]; suggestedStreams?: string[] } {
    const d = this.byId.get(id);
    if (!d) return { streams: [] };
    if (d.streams) return { streams: d.streams, ...(d.suggestedStreams ? { suggestedStreams: d.suggestedStreams } : {}) };
    const derived = derivedCatalog(d.dockerRepository.replace(/^airbyte\//, ''), d.spec);
    return d.suggestedStreams ? { streams: derived.streams, suggestedStreams: d.suggestedStreams } : derived;
  }

  /** A destination's supported destination sync modes. */
  destinationSyncModes(id: string): string[] {
    return this.byId.get(id)?.supportedDestinationSyncModes ?? DEFAULT_DESTINATION_SYNC_MODES;
  }
}
