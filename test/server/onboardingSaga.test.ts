import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedProxy } from '../../src/server/proxy.ts';
import { AirbyteClient } from '../../src/server/airbyteClient.ts';
import { parseTemplates } from '../../src/server/templates.ts';
import { createSessionToken } from '../../src/server/sessionToken.ts';
import { startAirbyteEmulator, type AirbyteEmulator } from '../../src/testing/emulator.ts';
import templatesJson from '../../demo/templates.json';
import { freshEmbeddedStore, postgresAvailable, postgresSchema } from '../fixtures/stores.ts';
import { harness, ORIGIN, SESSION_SECRET } from './harness.ts';

beforeAll(() => freshEmbeddedStore(), 60_000);
const stripe = { templateId: 'stripe', config: { account_id: 'acct_123', client_secret: 'sk_test', start_date: '2024-01-01T00:00:00Z' } };

describe('onboarding saga', () => {
  it('adopts a source Airbyte created when the answer was lost, instead of creating a second', async () => {
    // The first POST /sources reaches Airbyte, which creates the source, but the answer never arrives.
    let lost = false;
    const h = await harness({
      intercept: async (req) => {
        if (!lost && req.method === 'POST' && new URL(req.url).pathname.endsWith('/sources')) {
          lost = true;
          await h.emulator.handle(req);
          throw new TypeError('fetch failed: socket hang up');
        }
        return undefined;
      },
    });
    const first = await h.call('POST', '/sources', { body: stripe, idempotencyKey: 'lost-answer-1' });
    expect(first.status).toBe(503);
    expect((await h.upstream('/sources')).data).toHaveLength(1);
    const retry = await h.call('POST', '/sources', { body: stripe, idempotencyKey: 'lost-answer-1' });
    expect(retry.status).toBe(201);
    const sources = (await h.upstream('/sources')).data;
    expect(sources).toHaveLength(1);
    expect(retry.json.source.sourceId).toBe(sources[0].sourceId);
    expect((await h.upstream('/connections')).data).toHaveLength(1);
  });

  it('adopts a workspace whose creation answer was lost, even from a new submission', async () => {
    let lost = false;
    const h = await harness({
      intercept: async (req) => {
        if (!lost && req.method === 'POST' && new URL(req.url).pathname.endsWith('/workspaces')) {
          lost = true;
          await h.emulator.handle(req);
          throw new TypeError('fetch failed: socket hang up');
        }
        return undefined;
      },
    });
    expect((await h.call('POST', '/sources', { body: stripe, idempotencyKey: 'ws-lost-1' })).status).toBe(503);
    // Another submission (another key): the recorded intent makes it look before creating.
    const retry = await h.call('POST', '/sources', { body: stripe, idempotencyKey: 'ws-lost-2' });
    expect(retry.status).toBe(201);
    expect((await h.upstream('/workspaces')).data).toHaveLength(1);
  });

  it('adopts the workspaces Airbyte already had when its store was reset, with one list call in the store’s life', async () => {
    const h = await harness();
    expect((await h.call('POST', '/sources', { body: stripe })).status).toBe(201);
    // The proxy restarts on a store that lost everything (a new database), on the same Airbyte.
    // (Without the start-up check, whose own list call is not the saga's: see operatorErrors.test.ts.)
    const proxy = createEmbedProxy({ airbyte: h.airbyte, sessionSecret: SESSION_SECRET, templates: parseTemplates(structuredClone(templatesJson)), store: await freshEmbeddedStore(), log: () => undefined, now: () => h.clock.now, checkAirbyteOnStart: false });
    const onboard = async (customerId: string, body: unknown) =>
      proxy(new Request(`${ORIGIN}/api/embed/sources`, { method: 'POST', headers: { authorization: `Bearer ${await h.token(customerId)}`, origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
    const before = h.calls.length;
    expect((await onboard('customer-a', { templateId: 'faker', config: { count: 2 } })).status).toBe(201);
    expect((await onboard('customer-b', stripe)).status).toBe(201);
    const after = h.calls.slice(before).map((c) => `${c.method} ${c.path.split('?')[0]}`);
    expect(after.filter((c) => c === 'GET /v1/workspaces')).toHaveLength(1);
    expect((await h.upstream('/workspaces')).data.map((w: { name: string }) => w.name).sort()).toEqual(['customer-a', 'customer-b']);
    // customer-a's destination is found by name in its (not new) workspace.
    expect((await h.upstream('/destinations')).data).toHaveLength(2);
  });

  it('resumes at every step after a failure there, creating each resource once', async () => {
    for (const step of ['/workspaces', '/sources', '/destinations', '/connections', '/jobs']) {
      let failed = false;
      const h = await harness({
        intercept: (req) => {
          if (!failed && req.method === 'POST' && new URL(req.url).pathname.endsWith(step)) {
            failed = true;
            return new Response('<html>502 Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } });
          }
          return undefined;
        },
      });
      const key = `resume-${step.slice(1)}`;
      expect((await h.call('POST', '/sources', { body: stripe, idempotencyKey: key })).status, step).toBe(503);
      expect((await h.call('POST', '/sources', { body: stripe, idempotencyKey: key })).status, step).toBe(201);
      for (const kind of ['workspaces', 'sources', 'destinations', 'connections']) expect((await h.upstream(`/${kind}`)).data, `${step} ${kind}`).toHaveLength(1);
      expect((await h.upstream('/jobs')).data, step).toHaveLength(1);
    }
  });

  it('makes one workspace and one source for a double click (same key), in one process', async () => {
    const h = await harness();
    const [a, b] = await Promise.all([
      h.call('POST', '/sources', { body: stripe, idempotencyKey: 'double-click-1' }),
      h.call('POST', '/sources', { body: stripe, idempotencyKey: 'double-click-1' }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.json).toEqual(b.json);
    expect((await h.upstream('/sources')).data).toHaveLength(1);
    expect((await h.upstream('/workspaces')).data).toHaveLength(1);
  });
});

const pgUp = await postgresAvailable();

describe.skipIf(!pgUp)('two proxy instances on one PostgreSQL', () => {
  let emulator: AirbyteEmulator;
  let schema: Awaited<ReturnType<typeof postgresSchema>>;
  beforeAll(async () => {
    emulator = await startAirbyteEmulator({ jobDurationMs: 60_000, discoverMs: 0 });
    schema = await postgresSchema();
  }, 60_000);
  afterAll(async () => {
    await emulator.close();
    await schema.drop();
  });

  function instance() {
    // Each instance has its own Airbyte client (token cache) and store connection pool.
    const airbyte = new AirbyteClient({ baseUrl: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret, retryDelayMs: 5 });
    return createEmbedProxy({ airbyte, sessionSecret: SESSION_SECRET, store: schema.open(), templates: parseTemplates(structuredClone(templatesJson)), log: () => undefined, rateLimit: false });
  }

  async function post(proxy: ReturnType<typeof instance>, customerId: string, key: string) {
    const token = await createSessionToken({ secret: SESSION_SECRET, customerId, allowedOrigin: ORIGIN });
    const res = await proxy(
      new Request(`${ORIGIN}/api/embed/sources`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, origin: ORIGIN, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(stripe),
      }),
    );
    return { status: res.status, json: (await res.json()) as { source: { sourceId: string } } };
  }

  it('creates exactly one workspace and one source when both get the same first submit at once (20 customers)', async () => {
    const a = instance();
    const b = instance();
    const client = new AirbyteClient({ baseUrl: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret });
    for (let i = 0; i < 20; i++) {
      const customer = `race-${i}`;
      const [ra, rb] = await Promise.all([post(a, customer, `first-submit-${i}`), post(b, customer, `first-submit-${i}`)]);
      expect([ra.status, rb.status]).toEqual([201, 201]);
      expect(ra.json.source.sourceId).toBe(rb.json.source.sourceId);
    }
    const workspaces = await client.listWorkspaces();
    const names = workspaces.map((w) => w.name).filter((n) => n.startsWith('race-'));
    expect(names).toHaveLength(20);
    expect(new Set(names).size).toBe(20);
    for (const w of workspaces.filter((x) => x.name.startsWith('race-'))) {
      expect(await client.listSources(w.workspaceId)).toHaveLength(1);
      expect(await client.listDestinations(w.workspaceId)).toHaveLength(1);
    }
  });

  it('creates one workspace and two sources for two different submits of a new customer at once', async () => {
    const a = instance();
    const b = instance();
    const [ra, rb] = await Promise.all([post(a, 'race-two-keys', 'key-aaaaaaaa'), post(b, 'race-two-keys', 'key-bbbbbbbb')]);
    expect(ra.json.source.sourceId).not.toBe(rb.json.source.sourceId);
    const client = new AirbyteClient({ baseUrl: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret });
    const ws = (await client.listWorkspaces()).filter((w) => w.name === 'race-two-keys');
    expect(ws).toHaveLength(1);
    expect(await client.listSources(ws[0]!.workspaceId)).toHaveLength(2);
    expect(await client.listDestinations(ws[0]!.workspaceId)).toHaveLength(1);
  });
});
