/**
 * Check before "connected", explicit streams, and the operator's connection-from-connection recipe,
 * on the emulator behaving like Airbyte (a connection created without streams gets only the
 * suggested ones: none for Postgres; a discover fails for wrong credentials; S3 takes only
 * overwrite and append).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import templatesJson from '../../demo/templates.json';
import { freshEmbeddedStore } from '../fixtures/stores.ts';
import { harness, ORIGIN } from './harness.ts';

beforeAll(() => freshEmbeddedStore(), 60_000);

const POSTGRES = 'decd338e-5647-4c0b-adf4-da0e75f5a750';
const OPERATOR_KEY = 'operator-key-0123456789abcdef';

const postgres = {
  id: 'postgres',
  name: 'Postgres',
  actorDefinitionId: POSTGRES,
  partialDefaultConfig: {},
  partialUserConfigSpec: {
    connectionSpecification: {
      type: 'object',
      required: ['host', 'port', 'database', 'username'],
      properties: {
        host: { type: 'string', title: 'Host' },
        port: { type: 'integer', default: 5432 },
        database: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string', airbyte_secret: true },
      },
    },
  },
};
const pgConfig = { host: 'db.customer.example', port: 5432, database: 'shop', username: 'reader', password: 'hunter2' };

function templates(connection: Record<string, unknown> = {}) {
  return { sources: [...templatesJson.sources, postgres], connections: [{ ...templatesJson.connections[0], ...connection }] };
}

const operator = async (h: Awaited<ReturnType<typeof harness>>, method: string, path: string, body?: unknown) => {
  const res = await h.proxy(new Request(`${ORIGIN}/api/embed/operator${path}`, { method, headers: { authorization: `Bearer ${OPERATOR_KEY}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }));
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
};

describe('streams: every connection syncs something, explicitly', () => {
  it('gives a Postgres-like source without suggested streams a connection with every table (Airbyte alone would select none)', async () => {
    const h = await harness({ templates: templates() });
    const res = await h.call('POST', '/sources', { body: { templateId: 'postgres', config: pgConfig } });
    expect(res.status).toBe(201);
    const connection = await h.upstream(`/connections/${res.json.connections[0].connection.connectionId}`);
    expect(connection.configurations.streams.map((s: { name: string }) => s.name).sort()).toEqual(['customers', 'order_items', 'orders']);
    // What the proxy sent: streams named, never left to Airbyte's default.
    const sent = h.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/connections'));
    expect(sent).toHaveLength(1);
    expect(res.json.connections[0].connection.streamCount).toBe(3);
  });

  it('picks incremental append where the stream has a cursor and the destination takes appends, else full refresh overwrite', async () => {
    const h = await harness();
    const res = await h.call('POST', '/sources', { body: { templateId: 'stripe', config: { account_id: 'acct_1', client_secret: 'sk_test' } } });
    expect(res.status).toBe(201);
    const streams = (await h.upstream(`/connections/${res.json.connections[0].connection.connectionId}`)).configurations.streams as Array<{ name: string; syncMode: string }>;
    const mode = Object.fromEntries(streams.map((s) => [s.name, s.syncMode]));
    expect(mode).toMatchObject({ charges: 'incremental_append', customers: 'incremental_append', balance_transactions: 'full_refresh_overwrite' });
  });

  it('syncs only the template’s fixed streams, with their modes, when it names them', async () => {
    const h = await harness({ templates: templates({ fixed_streams: [{ name: 'orders', syncMode: 'full_refresh_append' }, { name: 'customers' }] }) });
    const res = await h.call('POST', '/sources', { body: { templateId: 'postgres', config: pgConfig } });
    expect(res.status).toBe(201);
    const streams = (await h.upstream(`/connections/${res.json.connections[0].connection.connectionId}`)).configurations.streams as Array<{ name: string; syncMode: string }>;
    expect(streams.map((s) => [s.name, s.syncMode]).sort()).toEqual([
      ['customers', 'full_refresh_overwrite'],
      ['orders', 'full_refresh_append'],
    ]);
  });

  it('prefixes each source’s tables with its short id, so two sources of one connector never share tables, and numbers the second name', async () => {
    const h = await harness({ templates: templates() });
    const a = await h.call('POST', '/sources', { body: { templateId: 'postgres', config: pgConfig } });
    const b = await h.call('POST', '/sources', { body: { templateId: 'postgres', config: { ...pgConfig, host: 'db2.customer.example' } } });
    expect([a.json.source.name, b.json.source.name]).toEqual(['Postgres', 'Postgres 2']);
    expect([a.json.source.detail, b.json.source.detail]).toEqual(['db.customer.example', 'db2.customer.example']);
    const prefix = async (r: typeof a) => (await h.upstream(`/connections/${r.json.connections[0].connection.connectionId}`)).prefix;
    expect(await prefix(a)).toBe(`${a.json.source.sourceId.replace(/-/g, '').slice(0, 8)}_`);
    expect(await prefix(a)).not.toBe(await prefix(b));
    const listed = (await h.call('GET', '/sources')).json.data.map((s: { name: string; detail: string }) => `${s.name}: ${s.detail}`);
    expect(listed).toEqual(['Postgres: db.customer.example', 'Postgres 2: db2.customer.example']);
  });
});

describe('check: wrong details are caught before anything is left behind', () => {
  it('answers 400 check_failed with the connector’s message, deletes the source and creates no connection', async () => {
    const h = await harness({ templates: templates() });
    const res = await h.call('POST', '/sources', { body: { templateId: 'postgres', config: { ...pgConfig, password: 'wrong-password' } } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('check_failed');
    expect(res.json.error.message).toMatch(/^Postgres did not accept these details: /);
    expect(res.json.error.message).not.toContain('wrong-password');
    expect((await h.upstream('/sources')).data).toHaveLength(0);
    expect((await h.upstream('/connections')).data).toHaveLength(0);
    expect((await h.call('GET', '/sources')).json.data).toEqual([]);
    // Not retried as an outage: one discover, not four.
    expect(h.calls.filter((c) => c.path.includes('/streams'))).toHaveLength(1);
    // The same values fixed, under a new key, connect.
    const fixed = await h.call('POST', '/sources', { body: { templateId: 'postgres', config: pgConfig } });
    expect(fixed.status).toBe(201);
  });

  it('answers 202 while a slow discover runs, reports the check step, and ends in the result the widget polls', async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const h = await harness({ templates: templates(), emulator: { discoverMs: 120_000, sleep: () => slow }, proxy: { holdOnboardingMs: 50 } });
    const res = await h.call('POST', '/sources', { body: { templateId: 'postgres', config: pgConfig }, idempotencyKey: 'slow-check-0001' });
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ status: 'running', onboardingKey: 'slow-check-0001' });
    const progress = (await h.call('GET', '/onboardings/slow-check-0001')).json;
    expect(progress.status).toBe('running');
    expect(progress.steps.find((s: { step: string }) => s.step === 'check').state).toBe('active');
    release();
    await expect.poll(async () => (await h.call('GET', '/onboardings/slow-check-0001')).json.status).toBe('succeeded');
    const done = (await h.call('GET', '/onboardings/slow-check-0001')).json;
    expect(done.result.source.name).toBe('Postgres');
    expect(done.result.connections).toHaveLength(1);
  });

  it('reports a slow check that then fails as failed, with the connector’s message, and leaves no source', async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const h = await harness({ templates: templates(), emulator: { discoverMs: 120_000, sleep: () => slow }, proxy: { holdOnboardingMs: 50 } });
    const res = await h.call('POST', '/sources', { body: { templateId: 'postgres', config: { ...pgConfig, host: 'db.customer.invalid' } }, idempotencyKey: 'slow-check-0002' });
    expect(res.status).toBe(202);
    release();
    await expect.poll(async () => (await h.call('GET', '/onboardings/slow-check-0002')).json.status).toBe('failed');
    const failed = (await h.call('GET', '/onboardings/slow-check-0002')).json;
    expect(failed.error.code).toBe('check_failed');
    expect((await h.upstream('/sources')).data).toHaveLength(0);
  });
});

describe('choose: the customer picks what to sync after the check', () => {
  it('asks with the discovered streams, refuses an empty choice (keeping the checked source), then syncs exactly the two chosen', async () => {
    const h = await harness({ templates: templates({ streams: 'choose' }) });
    const body = { templateId: 'postgres', config: pgConfig };
    const asked = await h.call('POST', '/sources', { body, idempotencyKey: 'choose-0001' });
    expect(asked.status).toBe(202);
    expect(asked.json.status).toBe('needs_streams');
    expect(asked.json.streams.map((s: { name: string; namespace: string; selected: boolean }) => [s.namespace, s.name, s.selected])).toEqual([
      ['public', 'customers', true],
      ['public', 'orders', true],
      ['public', 'order_items', true],
    ]);
    expect((await h.upstream('/connections')).data).toHaveLength(0);

    const none = await h.call('POST', '/sources', { body: { ...body, streams: [] }, idempotencyKey: 'choose-0001' });
    expect(none.status).toBe(400);
    expect(none.json.error.code).toBe('no_streams');
    expect((await h.upstream('/sources')).data).toHaveLength(1);

    const unknown = await h.call('POST', '/sources', { body: { ...body, streams: [{ name: 'salaries', namespace: 'public' }] }, idempotencyKey: 'choose-0001' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toContain('public.salaries');

    const two = await h.call('POST', '/sources', { body: { ...body, streams: [{ name: 'orders', namespace: 'public' }, { name: 'customers', namespace: 'public' }] }, idempotencyKey: 'choose-0001' });
    expect(two.status).toBe(201);
    const connectionId = two.json.connections[0].connection.connectionId;
    expect((await h.upstream(`/connections/${connectionId}`)).configurations.streams.map((s: { name: string }) => s.name).sort()).toEqual(['customers', 'orders']);
    expect((await h.upstream('/sources')).data).toHaveLength(1);
    expect(two.json.connections[0].connection.canChooseStreams).toBe(true);

    // The manage view changes it later: every discovered stream, the synced ones selected.
    const listed = await h.call('GET', `/connections/${connectionId}/streams`);
    expect(listed.json.streams.map((s: { name: string; selected: boolean }) => [s.name, s.selected])).toEqual([
      ['customers', true],
      ['orders', true],
      ['order_items', false],
    ]);
    expect((await h.call('PATCH', `/connections/${connectionId}/streams`, { body: { streams: [] } })).json.error.code).toBe('no_streams');
    const changed = await h.call('PATCH', `/connections/${connectionId}/streams`, { body: { streams: [{ name: 'order_items', namespace: 'public' }] } });
    expect(changed.status).toBe(200);
    expect((await h.upstream(`/connections/${connectionId}`)).configurations.streams.map((s: { name: string }) => s.name)).toEqual(['order_items']);
    // Another customer can neither read nor change it.
    expect((await h.call('GET', `/connections/${connectionId}/streams`, { token: await h.token('intruder') })).status).toBe(404);
    expect((await h.call('PATCH', `/connections/${connectionId}/streams`, { token: await h.token('intruder'), body: { streams: [{ name: 'orders' }] } })).status).toBe(404);
  });

  it('refuses a stream change where the site chooses the streams', async () => {
    const h = await harness({ templates: templates() });
    const res = await h.call('POST', '/sources', { body: { templateId: 'postgres', config: pgConfig } });
    const connectionId = res.json.connections[0].connection.connectionId;
    const changed = await h.call('PATCH', `/connections/${connectionId}/streams`, { body: { streams: [{ name: 'orders', namespace: 'public' }] } });
    expect(changed.status).toBe(400);
    expect(changed.json.error.message).toMatch(/site chooses/);
  });
});

describe('operator: a connection template from an existing connection', () => {
  it('copies destination, schedule, preferences and streams; asks for the secrets Airbyte masks; new sources get the same streams', async () => {
    const h = await harness({ templates: templates({ fixed_streams: [{ name: 'orders', syncMode: 'full_refresh_append' }] }), operatorKey: OPERATOR_KEY });
    const seed = await h.call('POST', '/sources', { body: { templateId: 'postgres', config: pgConfig } });
    const connectionId = seed.json.connections[0].connection.connectionId;
    const copied = await operator(h, 'POST', '/integrations/templates/connections/from_connection', { connection_id: connectionId, id: 'copied', destination_name: 'Copied lake' });
    expect(copied.status, JSON.stringify(copied.json)).toBe(200);
    expect(copied.json).toMatchObject({
      id: 'copied',
      destination_name: 'Copied lake',
      destination_definition_id: '4816b78f-1489-44c1-9060-4b19d5fa9362',
      cron_expression: '0 15 2 * * ?',
      non_breaking_changes_preference: 'propagate_columns',
      streams: 'suggested',
      fixed_streams: [{ name: 'orders', namespace: 'public', syncMode: 'full_refresh_append' }],
    });
    expect(copied.json.destination_config).toMatchObject({ s3_bucket_name: 'acme-analytics-lake' });
    expect((await operator(h, 'POST', '/integrations/templates/connections/from_connection', { connection_id: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    expect((await operator(h, 'POST', '/integrations/templates/connections/from_connection', {})).status).toBe(400);
  });

  it('names each destination secret Airbyte masks and takes it from the body', async () => {
    const withSecret = { ...templatesJson.connections[0], destination_config: { ...templatesJson.connections[0]!.destination_config, access_key_id: 'AKIA-operator', secret_access_key: 'operator-secret' } };
    const h = await harness({ templates: { sources: [...templatesJson.sources, postgres], connections: [withSecret] }, operatorKey: OPERATOR_KEY });
    const seed = await h.call('POST', '/sources', { body: { templateId: 'postgres', config: pgConfig } });
    const connectionId = seed.json.connections[0].connection.connectionId;
    const masked = await operator(h, 'POST', '/integrations/templates/connections/from_connection', { connection_id: connectionId, id: 'copy-secret' });
    expect(masked.status).toBe(400);
    expect(masked.json.error.fieldErrors.map((e: { path: string[] }) => e.path.join('.')).sort()).toEqual(['destination_config.access_key_id', 'destination_config.secret_access_key']);
    const given = await operator(h, 'POST', '/integrations/templates/connections/from_connection', { connection_id: connectionId, id: 'copy-secret', destination_config: { access_key_id: 'AKIA-operator', secret_access_key: 'operator-secret' } });
    expect(given.status).toBe(200);
  });
});

describe('self-managed with the Config API (configApi: true)', () => {
  it('checks the details before creating anything: wrong ones make no source at all', async () => {
    const h = await harness({ templates: templates(), proxy: { configApi: true } });
    const res = await h.call('POST', '/sources', { body: { templateId: 'postgres', config: { ...pgConfig, password: 'wrong-password' } } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('check_failed');
    expect(h.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/sources'))).toHaveLength(0);
    expect(h.calls.some((c) => c.path.endsWith('/scheduler/sources/check_connection'))).toBe(true);
  });

  it('syncs the streams the connector suggests (Stripe: charges, customers, invoices), which only the Config API tells', async () => {
    const h = await harness({ proxy: { configApi: true } });
    const res = await h.call('POST', '/sources', { body: { templateId: 'stripe', config: { account_id: 'acct_1', client_secret: 'sk_test' } } });
    expect(res.status, res.text).toBe(201);
    const streams = (await h.upstream(`/connections/${res.json.connections[0].connection.connectionId}`)).configurations.streams.map((s: { name: string }) => s.name).sort();
    expect(streams).toEqual(['charges', 'customers', 'invoices']);
  });
});
