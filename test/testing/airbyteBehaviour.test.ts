/**
 * The emulator behaves as airbyte-platform's server does (commit 310e6cb6ac0e, the source of
 * ../shared/airbyte-api/api.yaml). Each test names the server file it follows.
 */
import { describe, expect, it } from 'vitest';
import { ConnectorRegistry, loadConnectorSpecsDir, type ConnectorDefinition } from '../../src/testing/connectors.ts';
import { SHARED_SPECS, specsMissingMessage } from '../fixtures/sharedSpecs.ts';
import { emulatorClient, FAKER, S3, S3_CONFIG, STRIPE } from './emulatorClient.ts';

const POSTGRES = 'decd338e-5647-4c0b-adf4-da0e75f5a750';
const PG_CONFIG = { host: 'db.example.com', port: 5432, database: 'shop', username: 'reader', password: 'hunter2' };
const STRIPE_CONFIG = { account_id: 'acct_1', client_secret: 'sk_test_1' };
/** A destination that declares no sync modes: overwrite, append and append_dedup. */
const WAREHOUSE: ConnectorDefinition = {
  id: '22222222-3333-4444-8555-666666666666',
  type: 'destination',
  name: 'Warehouse',
  dockerRepository: 'airbyte/destination-warehouse',
  dockerImageTag: '1.0.0',
  spec: { type: 'object', properties: { schema: { type: 'string' } } },
};
/** A source with a single stream. */
const SINGLE: ConnectorDefinition = {
  id: '33333333-4444-4555-8666-777777777777',
  type: 'source',
  name: 'Single',
  dockerRepository: 'airbyte/source-single',
  dockerImageTag: '1.0.0',
  spec: { type: 'object', properties: { api_key: { type: 'string', airbyte_secret: true } } },
  streams: [{ name: 'items', supportedSyncModes: ['full_refresh'], defaultCursorField: [], sourceDefinedCursor: false, sourceDefinedPrimaryKey: [['id']], fields: ['id', 'title'] }],
};

/** A client with a workspace, an S3 and a Warehouse destination, and a helper to add sources. */
async function setup(options: Parameters<typeof emulatorClient>[0] = {}) {
  const c = await emulatorClient({ connectors: [WAREHOUSE, SINGLE], ...options });
  const ws = (await c.api('POST', '/workspaces', { name: 'acme' })).json;
  const s3 = (await c.api('POST', '/destinations', { name: 'Lake', workspaceId: ws.workspaceId, definitionId: S3, configuration: S3_CONFIG })).json;
  const warehouse = (await c.api('POST', '/destinations', { name: 'WH', workspaceId: ws.workspaceId, definitionId: WAREHOUSE.id, configuration: {} })).json;
  const source = async (definitionId: string, configuration: Record<string, unknown>, name = 'src') => {
    const res = await c.api('POST', '/sources', { name, workspaceId: ws.workspaceId, definitionId, configuration });
    expect(res.status).toBe(200);
    return res.json;
  };
  return { c, ws, s3, warehouse, source };
}

describe('emulator: default stream selection (CatalogConverter.generateDefaultConfiguration)', () => {
  // airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/handlers/helpers/CatalogConverter.kt and
  // airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/helpers/AirbyteCatalogHelper.kt (updateAllStreamsFullRefreshOverwrite)
  it('gives a connection without stream configurations only the streams the connector suggests, in full_refresh_overwrite', async () => {
    const { c, s3, source } = await setup();
    const stripe = await source(STRIPE, STRIPE_CONFIG);
    const conn = (await c.api('POST', '/connections', { sourceId: stripe.sourceId, destinationId: s3.destinationId })).json;
    expect(conn.configurations.streams.map((s: { name: string; syncMode: string }) => `${s.name}:${s.syncMode}`)).toEqual([
      'charges:full_refresh_overwrite',
      'customers:full_refresh_overwrite',
      'invoices:full_refresh_overwrite',
    ]);
  });

  it('selects no stream of a source with several streams and no suggested streams (Faker, Postgres), also for streams: []', async () => {
    const { c, s3, source } = await setup();
    const faker = await source(FAKER, { count: 10 });
    const pg = await source(POSTGRES, PG_CONFIG);
    for (const body of [{}, { configurations: { streams: [] } }]) {
      for (const src of [faker, pg]) {
        const conn = await c.api('POST', '/connections', { sourceId: src.sourceId, destinationId: s3.destinationId, ...body });
        expect(conn.status).toBe(200);
        expect(conn.json.configurations.streams).toEqual([]);
      }
    }
  });

  it('selects the only stream of a single-stream source', async () => {
    const { c, s3, source } = await setup();
    const single = await source(SINGLE.id, { api_key: 'k' });
    const conn = (await c.api('POST', '/connections', { sourceId: single.sourceId, destinationId: s3.destinationId })).json;
    expect(conn.configurations.streams).toEqual([{ name: 'items', syncMode: 'full_refresh_overwrite', cursorField: [], primaryKey: [] }]);
  });

  it('runs a sync of a connection with zero streams to success with 0 rows', async () => {
    // A job of an empty catalog has nothing to read; the emulator's jobs.ts reports 0 rows.
    const { c, s3, source } = await setup();
    const faker = await source(FAKER, { count: 10 });
    const conn = (await c.api('POST', '/connections', { sourceId: faker.sourceId, destinationId: s3.destinationId })).json;
    const job = (await c.api('POST', '/jobs', { connectionId: conn.connectionId, jobType: 'sync' })).json;
    c.clock.now += 10_000;
    expect((await c.api('GET', `/jobs/${job.jobId}`)).json).toMatchObject({ status: 'succeeded', rowsSynced: 0, bytesSynced: 0 });
  });
});

describe('emulator: catalogs and GET /streams (StreamsController.getStreamProperties)', () => {
  // airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/StreamsController.kt
  it('lists the sync modes the destination allows with destinationId, and none without it', async () => {
    const { c, s3, warehouse, source } = await setup();
    const faker = await source(FAKER, { count: 10 });
    const bare = (await c.api('GET', `/streams?sourceId=${faker.sourceId}`)).json;
    expect(bare.map((s: { streamName: string }) => s.streamName)).toEqual(['users', 'products', 'purchases']);
    // getValidSyncModes returns null without a destination; NON_ABSENT serialization leaves it out.
    expect(bare[0]).not.toHaveProperty('syncModes');
    expect(bare[0]).toMatchObject({ defaultCursorField: ['updated_at'], sourceDefinedCursorField: true, sourceDefinedPrimaryKey: [['id']], propertyFields: [['id'], ['name'], ['email'], ['created_at'], ['updated_at']] });
    const withS3 = (await c.api('GET', `/streams?sourceId=${faker.sourceId}&destinationId=${s3.destinationId}`)).json;
    expect(withS3[0].syncModes).toEqual(['full_refresh_append', 'full_refresh_overwrite', 'incremental_append']);
    const withWarehouse = (await c.api('GET', `/streams?sourceId=${faker.sourceId}&destinationId=${warehouse.destinationId}`)).json;
    expect(withWarehouse[0].syncModes).toEqual(['full_refresh_append', 'full_refresh_overwrite', 'incremental_append', 'incremental_deduped_history']);
  });

  it('discovers Postgres tables in namespace public with user-chosen cursors', async () => {
    const { c, source } = await setup();
    const pg = await source(POSTGRES, PG_CONFIG);
    const streams = (await c.api('GET', `/streams?sourceId=${pg.sourceId}`)).json;
    expect(streams.map((s: { streamName: string; streamnamespace: string }) => `${s.streamnamespace}.${s.streamName}`)).toEqual(['public.customers', 'public.orders', 'public.order_items']);
    expect(streams[0]).toMatchObject({ defaultCursorField: [], sourceDefinedCursorField: false, sourceDefinedPrimaryKey: [['id']] });
  });
});

describe.skipIf(!SHARED_SPECS)(`emulator: catalogs derived for spec-file connectors (${specsMissingMessage})`, () => {
  it('derives a stable 2–4 stream catalog from the name: tables in public for databases, suggested streams for APIs', () => {
    const defs = loadConnectorSpecsDir(SHARED_SPECS!);
    const registry = new ConnectorRegistry(defs);
    const again = new ConnectorRegistry(loadConnectorSpecsDir(SHARED_SPECS!));
    const mysql = defs.find((d) => d.dockerRepository === 'airbyte/source-mysql')!;
    const github = defs.find((d) => d.dockerRepository === 'airbyte/source-github')!;
    const db = registry.catalog(mysql.id);
    expect(db.streams.length).toBeGreaterThanOrEqual(2);
    expect(db.streams.length).toBeLessThanOrEqual(4);
    expect(db.streams.every((s) => s.namespace === 'public')).toBe(true);
    expect(db.suggestedStreams).toBeUndefined();
    const api = registry.catalog(github.id);
    expect(api.streams.length).toBeGreaterThanOrEqual(2);
    expect(api.suggestedStreams).toEqual(api.streams.slice(0, api.suggestedStreams!.length).map((s) => s.name));
    expect(again.catalog(github.id)).toEqual(api);
  });

  it('keeps the built-in catalog of a connector that also has a spec file (Postgres, S3)', async () => {
    const { c, s3, source } = await setup({ connectorSpecsDir: SHARED_SPECS });
    const pg = await source(POSTGRES, PG_CONFIG);
    const streams = (await c.api('GET', `/streams?sourceId=${pg.sourceId}&destinationId=${s3.destinationId}`)).json;
    expect(streams.map((s: { streamName: string }) => s.streamName)).toEqual(['customers', 'orders', 'order_items']);
    expect(streams[0].syncModes).toEqual(['full_refresh_append', 'full_refresh_overwrite', 'incremental_append']);
  });
});

describe('emulator: discover runs, takes time, caches and fails (SourceService.getSourceSchema)', () => {
  // airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/services/SourceService.kt and
  // airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/handlers/SchedulerHandler.kt (discover: cache by config hash)
  it('waits discoverMs in connection create and GET /streams, and answers from the cache for the same configuration', async () => {
    const waits: number[] = [];
    const { c, s3, source } = await setup({ discoverMs: 45_000, sleep: async (ms) => void waits.push(ms) });
    const faker = await source(FAKER, { count: 10 });
    await c.api('GET', `/streams?sourceId=${faker.sourceId}`);
    expect(waits).toEqual([45_000]);
    await c.api('GET', `/streams?sourceId=${faker.sourceId}&ignoreCache=false`);
    await c.api('POST', '/connections', { sourceId: faker.sourceId, destinationId: s3.destinationId });
    expect(waits).toEqual([45_000]); // both from the cache
    await c.api('GET', `/streams?sourceId=${faker.sourceId}&ignoreCache=true`);
    expect(waits).toHaveLength(2);
    await c.api('PATCH', `/sources/${faker.sourceId}`, { configuration: { count: 11 } });
    await c.api('GET', `/streams?sourceId=${faker.sourceId}`);
    expect(waits).toHaveLength(3); // a new configuration is a cache miss
  });

  it('discovers in PATCH /connections only when stream configurations are sent', async () => {
    // airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/ConnectionsController.kt (patchConnection)
    const waits: number[] = [];
    const { c, s3, source } = await setup({ discoverMs: 1000, sleep: async (ms) => void waits.push(ms) });
    const faker = await source(FAKER, { count: 10 });
    const conn = (await c.api('POST', '/connections', { sourceId: faker.sourceId, destinationId: s3.destinationId })).json;
    await c.api('GET', `/streams?sourceId=${faker.sourceId}&ignoreCache=true`);
    expect(waits).toHaveLength(2);
    await c.api('PATCH', `/connections/${conn.connectionId}`, { name: 'renamed' });
    expect(waits).toHaveLength(2);
    await c.api('PATCH', `/sources/${faker.sourceId}`, { configuration: { count: 12 } });
    const patched = await c.api('PATCH', `/connections/${conn.connectionId}`, { configurations: { streams: [{ name: 'users' }] } });
    expect(patched.json.configurations.streams.map((s: { name: string }) => s.name)).toEqual(['users']);
    expect(waits).toHaveLength(3);
  });

  it.each([
    ['a secret containing "wrong"', STRIPE, { account_id: 'acct_1', client_secret: 'sk_WRONG_key' }, /client_secret/],
    ['a host under .invalid', POSTGRES, { ...PG_CONFIG, host: 'db.example.invalid' }, /db\.example\.invalid.*host/],
  ])('fails the discover for %s: 500 unexpected-problem "Something went wrong in the connector. logs:…"', async (_what, definitionId, configuration, field) => {
    const { c, s3, source } = await setup();
    const src = await source(definitionId, configuration);
    for (const res of [
      await c.api('POST', '/connections', { sourceId: src.sourceId, destinationId: s3.destinationId }),
      await c.api('GET', `/streams?sourceId=${src.sourceId}`),
    ]) {
      expect(res.status).toBe(500);
      // api-problems.yaml UnexpectedProblemResponse: its type has no fragment.
      expect(res.json).toMatchObject({ type: 'https://reference.airbyte.com/reference/errors', title: 'unexpected-problem', status: 500 });
      expect(res.json.data.message).toMatch(/^Something went wrong in the connector\. logs:/);
      expect(res.json.data.message).toMatch(field);
    }
    expect((await c.api('GET', `/connections`)).json.data).toEqual([]);
  });

  it('lets discoverFails decide instead of the credentials rule', async () => {
    const { c, source } = await setup({ discoverFails: ({ configuration }) => (configuration.count === 13 ? 'Unlucky number.' : undefined) });
    const ok = await source(FAKER, { count: 12, seed: 1 }, 'ok');
    const bad = await source(FAKER, { count: 13 }, 'bad');
    expect((await c.api('GET', `/streams?sourceId=${ok.sourceId}`)).status).toBe(200);
    const res = await c.api('GET', `/streams?sourceId=${bad.sourceId}`);
    expect(res.json.data.message).toBe('Something went wrong in the connector. logs:Unlucky number.');
  });

  it('waits on a real timer by default for discoverMs', async () => {
    const { c, source } = await setup({ discoverMs: 60 });
    const faker = await source(FAKER, { count: 1 });
    const started = performance.now();
    expect((await c.api('GET', `/streams?sourceId=${faker.sourceId}`)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });
});

describe('emulator: stream configurations checked against source and destination (AirbyteCatalogHelper)', () => {
  // airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/helpers/AirbyteCatalogHelper.kt (validateStreamConfig, validCombinedSyncModes)
  it('refuses a sync mode the destination cannot write, with the valid combined modes', async () => {
    const { c, s3, warehouse, source } = await setup();
    const faker = await source(FAKER, { count: 10 });
    const streams = [{ name: 'users', syncMode: 'incremental_deduped_history' }];
    const refused = await c.api('POST', '/connections', { sourceId: faker.sourceId, destinationId: s3.destinationId, configurations: { streams } });
    expect(refused.status).toBe(400);
    expect(refused.json.data.message).toBe('Cannot set sync mode to incremental_deduped_history for stream users. Valid sync modes are: [full_refresh_overwrite, full_refresh_append, incremental_append]');
    const accepted = await c.api('POST', '/connections', { sourceId: faker.sourceId, destinationId: warehouse.destinationId, configurations: { streams } });
    expect(accepted.status).toBe(200);
    expect(accepted.json.configurations.streams).toEqual([{ name: 'users', syncMode: 'incremental_deduped_history', cursorField: ['updated_at'], primaryKey: [['id']] }]);
  });

  it('accepts full_refresh_overwrite (or no sync mode) whatever the destination supports', async () => {
    const { c, s3, source } = await setup();
    const stripe = await source(STRIPE, STRIPE_CONFIG);
    const res = await c.api('POST', '/connections', { sourceId: stripe.sourceId, destinationId: s3.destinationId, configurations: { streams: [{ name: 'balance_transactions' }, { name: 'charges', syncMode: 'full_refresh_overwrite' }] } });
    expect(res.status).toBe(200);
  });

  it.each([
    [{ name: 'customers', syncMode: 'incremental_append' }, 'No default cursor field for stream: customers. Please include a cursor field configuration for this stream.'],
    [{ name: 'customers', syncMode: 'incremental_append', cursorField: ['nope'] }, 'Invalid cursor field for stream: customers. The list of valid cursor fields include: [[id], [email], [name], [created_at], [updated_at]].'],
    [{ name: 'customers', syncMode: 'incremental_deduped_history', cursorField: ['updated_at'], primaryKey: [['email']] }, 'Primary key for stream: customers is already pre-defined. Please remove the primaryKey or provide the value as [[id]].'],
    [{ name: 'customers', syncMode: 'incremental_deduped_history', cursorField: ['updated_at'], selectedFields: [{ fieldPath: ['email'] }, { fieldPath: ['updated_at'] }] }, 'Primary key fields are not selected properly for stream: customers. Please include primary key(s) in the configuration for this stream.'],
  ])('refuses %j on Postgres → Warehouse with Airbyte’s message', async (stream, message) => {
    const { c, warehouse, source } = await setup();
    const pg = await source(POSTGRES, PG_CONFIG);
    const res = await c.api('POST', '/connections', { sourceId: pg.sourceId, destinationId: warehouse.destinationId, configurations: { streams: [stream] } });
    expect(res.status).toBe(400);
    expect(res.json.data.message).toBe(message);
  });

  it('stores a user-chosen cursor and the namespace for a database stream', async () => {
    const { c, warehouse, source } = await setup();
    const pg = await source(POSTGRES, PG_CONFIG);
    const res = await c.api('POST', '/connections', { sourceId: pg.sourceId, destinationId: warehouse.destinationId, configurations: { streams: [{ name: 'orders', syncMode: 'incremental_append', cursorField: ['updated_at'] }] } });
    expect(res.json.configurations.streams).toEqual([{ name: 'orders', namespace: 'public', syncMode: 'incremental_append', cursorField: ['updated_at'], primaryKey: [['id']] }]);
  });

  it('checks PATCH /connections the same way', async () => {
    const { c, s3, source } = await setup();
    const faker = await source(FAKER, { count: 10 });
    const conn = (await c.api('POST', '/connections', { sourceId: faker.sourceId, destinationId: s3.destinationId })).json;
    const res = await c.api('PATCH', `/connections/${conn.connectionId}`, { configurations: { streams: [{ name: 'users', syncMode: 'incremental_deduped_history' }] } });
    expect(res.status).toBe(400);
    expect(res.json.data.message).toMatch(/^Cannot set sync mode to incremental_deduped_history for stream users\./);
  });
});

describe('emulator: smaller Airbyte behaviours', () => {
  it('strips configuration.sourceType before validating and storing (ActorConfigurationHelper.removeSourceTypeNode)', async () => {
    // airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/helpers/ActorConfigurationHelper.kt,
    // airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/SourcesController.kt
    const { c, ws } = await setup();
    const strict = { ...SINGLE, id: '44444444-5555-4666-8777-888888888888', dockerRepository: 'airbyte/source-strict', spec: { type: 'object', additionalProperties: false, properties: { api_key: { type: 'string' } } } };
    const c2 = await emulatorClient({ connectors: [strict] });
    const ws2 = (await c2.api('POST', '/workspaces', { name: 'x' })).json;
    const created = await c2.api('POST', '/sources', { name: 's', workspaceId: ws2.workspaceId, configuration: { sourceType: 'strict', api_key: 'k' } });
    expect(created.status).toBe(200);
    expect(created.json.configuration).toEqual({ api_key: 'k' });
    const put = await c2.api('PUT', `/sources/${created.json.sourceId}`, { name: 's', configuration: { sourceType: 'strict', api_key: 'k2' } });
    expect(put.json.configuration).toEqual({ api_key: 'k2' });
    // Neither definitionId nor sourceType: 422; an unknown sourceType: 400 value-not-found.
    expect((await c.api('POST', '/sources', { name: 'x', workspaceId: ws.workspaceId, configuration: {} })).json).toMatchObject({ status: 422, title: 'unprocessable-entity' });
    expect((await c.api('POST', '/sources', { name: 'x', workspaceId: ws.workspaceId, configuration: { sourceType: 'nope' } })).json).toMatchObject({ status: 400, title: 'value-not-found', data: { value: 'nope' } });
  });

  it('reads cron expressions back with " UTC" appended, and accepts them with it (ConnectionReadMapper, normalizeCronExpression)', async () => {
    // airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/mappers/ConnectionReadMapper.kt,
    // airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/helpers/AirbyteCatalogHelper.kt (normalizeCronExpression)
    const { c, s3, source } = await setup();
    const faker = await source(FAKER, { count: 1 });
    const plain = (await c.api('POST', '/connections', { sourceId: faker.sourceId, destinationId: s3.destinationId, schedule: { scheduleType: 'cron', cronExpression: '0 0 12 * * ?' } })).json;
    const utc = (await c.api('POST', '/connections', { sourceId: faker.sourceId, destinationId: s3.destinationId, schedule: { scheduleType: 'cron', cronExpression: '0 0 12 * * ? UTC' } })).json;
    expect(plain.schedule).toEqual({ scheduleType: 'cron', cronExpression: '0 0 12 * * ? UTC' });
    expect(utc.schedule).toEqual({ scheduleType: 'cron', cronExpression: '0 0 12 * * ? UTC' });
    expect((await c.api('GET', `/connections/${plain.connectionId}`)).json.schedule.cronExpression).toBe('0 0 12 * * ? UTC');
    expect((await c.api('GET', '/connections')).json.data.map((x: { schedule: { cronExpression: string } }) => x.schedule.cronExpression)).toEqual(['0 0 12 * * ? UTC', '0 0 12 * * ? UTC']);
    // Sending back what was read keeps it as it was.
    const patched = await c.api('PATCH', `/connections/${plain.connectionId}`, { schedule: plain.schedule });
    expect(patched.json.schedule.cronExpression).toBe('0 0 12 * * ? UTC');
  });

  it('keeps deleted sources, destinations and connections as tombstones, listed only with includeDeleted=true', async () => {
    // airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/handlers/SourceHandler.kt (deleteSource → tombstoneSource),
    // airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/converters/ConnectionHelper.kt (deleteConnection → deprecated)
    const { c, ws, s3, source } = await setup();
    const stripe = await source(STRIPE, STRIPE_CONFIG);
    const conn = (await c.api('POST', '/connections', { sourceId: stripe.sourceId, destinationId: s3.destinationId })).json;
    expect((await c.api('DELETE', `/connections/${conn.connectionId}`)).status).toBe(204);
    expect((await c.api('GET', `/connections/${conn.connectionId}`)).json).toMatchObject({ connectionId: conn.connectionId, status: 'deprecated' });
    expect((await c.api('GET', `/connections?workspaceIds=${ws.workspaceId}`)).json.data).toEqual([]);
    expect((await c.api('GET', `/connections?workspaceIds=${ws.workspaceId}&includeDeleted=true`)).json.data.map((x: { status: string }) => x.status)).toEqual(['deprecated']);

    expect((await c.api('DELETE', `/sources/${stripe.sourceId}`)).status).toBe(204);
    const deleted = await c.api('GET', `/sources/${stripe.sourceId}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toMatchObject({ sourceId: stripe.sourceId, configuration: {} });
    expect((await c.api('GET', `/sources?workspaceIds=${ws.workspaceId}`)).json.data).toEqual([]);
    expect((await c.api('GET', `/sources?workspaceIds=${ws.workspaceId}&includeDeleted=true`)).json.data.map((x: { sourceId: string }) => x.sourceId)).toEqual([stripe.sourceId]);

    expect((await c.api('DELETE', `/destinations/${s3.destinationId}`)).status).toBe(204);
    expect((await c.api('GET', `/destinations?workspaceIds=${ws.workspaceId}`)).json.data.map((d: { name: string }) => d.name)).toEqual(['WH']);
    expect((await c.api('GET', `/destinations?workspaceIds=${ws.workspaceId}&includeDeleted=true`)).json.data).toHaveLength(2);
  });

  it.each(['inactive', 'deprecated'])('refuses a sync of an %s connection with 409 state-conflict (SchedulerHandler: "Can only sync an active connection")', async (status) => {
    // airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/handlers/SchedulerHandler.kt (submitManualSyncToWorker) →
    // airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/errorHandlers/ConfigClientErrorHandler.kt (IllegalStateException)
    const { c, s3, source } = await setup();
    const faker = await source(FAKER, { count: 1 });
    const conn = (await c.api('POST', '/connections', { sourceId: faker.sourceId, destinationId: s3.destinationId, status })).json;
    const res = await c.api('POST', '/jobs', { connectionId: conn.connectionId, jobType: 'sync' });
    expect(res.status).toBe(409);
    expect(res.json).toEqual({ type: 'https://reference.airbyte.com/reference/errors#409-state-conflict', title: 'state-conflict', status: 409, detail: 'State conflict', data: { message: 'Could not fulfill request' } });
    // A reset is not refused for the status.
    expect((await c.api('POST', '/jobs', { connectionId: conn.connectionId, jobType: 'reset' })).status).toBe(200);
  });

  it('refuses refresh jobs with 422 (JobsController: "Refreshes are not supported in the public API")', async () => {
    // airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/JobsController.kt
    const { c, s3, source } = await setup();
    const faker = await source(FAKER, { count: 1 });
    const conn = (await c.api('POST', '/connections', { sourceId: faker.sourceId, destinationId: s3.destinationId })).json;
    const res = await c.api('POST', '/jobs', { connectionId: conn.connectionId, jobType: 'refresh' });
    expect(res.json).toMatchObject({ status: 422, title: 'unprocessable-entity', data: { message: 'Refreshes are not supported in the public API' } });
  });

  it('uses the problem type URLs and details of api-problems.yaml', async () => {
    // airbyte-api/problems-api/src/main/openapi/api-problems.yaml
    const { c } = await setup({ deployment: 'self-managed' });
    expect((await c.api('GET', '/sources/00000000-0000-4000-8000-000000000000')).json).toMatchObject({
      type: 'https://reference.airbyte.com/reference/errors#resource-not-found',
      detail: 'The requested resource could not be found.',
    });
    expect((await c.api('POST', '/workspaces', {})).json).toMatchObject({
      type: 'https://reference.airbyte.com/reference/errors#bad-request',
      detail: 'The request could not be understood by the server due to malformed syntax.',
    });
  });
});

describe('emulator: self-managed Config API beside the public API (/api/v1)', () => {
  // airbyte-api/server-api/src/main/openapi/config.yaml; airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/handlers/SchedulerHandler.kt
  async function config(c: Awaited<ReturnType<typeof setup>>['c'], path: string, body: unknown) {
    const token = (await c.raw('POST', '/applications/token', { client_id: 'emulator-client-id', client_secret: 'emulator-client-secret' })).json.access_token;
    const res = await c.emulator.handle(new Request(`http://emulator.test/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) }));
    return { status: res.status, json: await res.json() };
  }

  it('discovers a schema with CatalogConverter’s suggested/selected flags, and reports a failed discover in jobInfo', async () => {
    const { c, source } = await setup();
    const stripe = await source(STRIPE, STRIPE_CONFIG);
    const ok = await config(c, '/sources/discover_schema', { sourceId: stripe.sourceId, disable_cache: true });
    expect(ok.status).toBe(200);
    expect(ok.json.jobInfo).toMatchObject({ configType: 'discover_schema', succeeded: true });
    expect(ok.json.catalog.streams.map((s: { stream: { name: string }; config: { selected: boolean; suggested: boolean } }) => `${s.stream.name}:${s.config.selected}:${s.config.suggested}`)).toEqual([
      'charges:true:true',
      'customers:true:true',
      'invoices:true:true',
      'balance_transactions:false:false',
    ]);
    const bad = await source(STRIPE, { account_id: 'acct_1', client_secret: 'wrong' }, 'bad');
    const failed = await config(c, '/sources/discover_schema', { sourceId: bad.sourceId });
    expect(failed.json.catalog).toBeUndefined();
    expect(failed.json.jobInfo).toMatchObject({ succeeded: false, failureReason: { externalMessage: expect.stringContaining('client_secret') } });
  });

  it('checks a source configuration: succeeded, or failed with the connector’s message', async () => {
    const { c, ws } = await setup();
    const good = await config(c, '/scheduler/sources/check_connection', { sourceDefinitionId: POSTGRES, workspaceId: ws.workspaceId, connectionConfiguration: PG_CONFIG });
    expect(good.json).toMatchObject({ status: 'succeeded', jobInfo: { configType: 'check_connection_source', succeeded: true } });
    const bad = await config(c, '/scheduler/sources/check_connection', { sourceDefinitionId: POSTGRES, workspaceId: ws.workspaceId, connectionConfiguration: { ...PG_CONFIG, host: 'pg.corp.invalid' } });
    expect(bad.json).toMatchObject({ status: 'failed', message: expect.stringContaining('pg.corp.invalid') });
    const unauthenticated = await c.emulator.handle(new Request('http://emulator.test/api/v1/scheduler/sources/check_connection', { method: 'POST', body: '{}' }));
    expect(unauthenticated.status).toBe(401);
  });
});
