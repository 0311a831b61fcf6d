import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { JsonSchema } from '../shared/contract.ts';

/** A stream as discovery reports it (`GET /streams`, the spec's `StreamProperties`). */
export interface StreamInfo {
  streamName: string;
  streamnamespace?: string;
  syncModes: string[];
  defaultCursorField: string[];
  sourceDefinedCursorField: boolean;
  sourceDefinedPrimaryKey: string[][];
  propertyFields: string[][];
}

/** A connector definition the emulator knows: its identity, its spec and (sources) its streams. */
export interface ConnectorDefinition {
  id: string;
  type: 'source' | 'destination';
  /** Display name, e.g. "Stripe". */
  name: string;
  dockerRepository: string;
  dockerImageTag: string;
  documentationUrl?: string;
  /** The connector's `connectionSpecification`; configurations are validated against it. */
  spec: JsonSchema;
  /** The spec's `advancedAuth` block, for OAuth sources. */
  advancedAuth?: JsonSchema;
  streams?: StreamInfo[];
}

const FULL_REFRESH = ['full_refresh_overwrite', 'full_refresh_append', 'full_refresh_overwrite_deduped'];
const INCREMENTAL = ['incremental_append', 'incremental_deduped_history'];

function stream(streamName: string, fields: string[], cursor?: string): StreamInfo {
  return {
    streamName,
    syncModes: cursor ? [...FULL_REFRESH, ...INCREMENTAL] : FULL_REFRESH,
    defaultCursorField: cursor ? [cursor] : [],
    sourceDefinedCursorField: Boolean(cursor),
    sourceDefinedPrimaryKey: [['id']],
    propertyFields: fields.map((f) => [f]),
  };
}

/** The catalog a source without known streams discovers: one incremental stream. */
export const DEFAULT_STREAMS: StreamInfo[] = [stream('records', ['id', 'updated_at', 'data'], 'updated_at')];

/**
 * Built-in definitions (hand-written, shortened specs of the real connectors) so the emulator
 * works with no spec files: Faker and Stripe sources, the S3 destination.
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
  },
];

interface SpecFile {
  name: string;
  definitionId: string;
  displayName?: string;
  dockerImageTag?: string;
  documentationUrl?: string;
  connectionSpecification: JsonSchema;
  advancedAuth?: JsonSchema;
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
      // Spec files carry no streams; keep the built-in catalog for the same connector.
      this.byId.set(d.id, builtIn && !d.streams ? { ...d, streams: builtIn.streams } : d);
    }
  }

  get(id: string, type: 'source' | 'destination'): ConnectorDefinition | undefined {
    const d = this.byId.get(id);
    return d?.type === type ? d : undefined;
  }

  /** Finds a definition by `sourceType`/`destinationType` ("stripe", "source-stripe" or "airbyte/source-stripe"). */
  byType(typeName: string, type: 'source' | 'destination'): ConnectorDefinition | undefined {
    const wanted = typeName.replace(/^airbyte\//, '').replace(new RegExp(`^${type}-`), '').toLowerCase();
    return this.list(type).find((d) => d.dockerRepository.replace(`airbyte/${type}-`, '').toLowerCase() === wanted);
  }

  list(type: 'source' | 'destination'): ConnectorDefinition[] {
    return [...this.byId.values()].filter((d) => d.type === type).sort((a, b) => a.name.localeCompare(b.name));
  }

  streams(id: string): StreamInfo[] {
    return this.byId.get(id)?.streams ?? DEFAULT_STREAMS;
  }
}
