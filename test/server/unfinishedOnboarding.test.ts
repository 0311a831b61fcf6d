import { describe, expect, it } from 'vitest';
import templatesJson from '../../demo/templates.json';
import { hubspotConnector, hubspotTemplate } from '../../demo/hubspot.ts';
import { harness, ORIGIN } from './harness.ts';

const faker = { templateId: 'faker', config: { count: 10 } };
const KEY = 'setup-key-0001';

/** A harness whose Airbyte answers `POST /connections` with 503 while `down.connections` is set. */
async function withFlakyConnections(extra: Parameters<typeof harness>[0] = {}) {
  const down = { connections: true };
  const h = await harness({
    ...extra,
    intercept: (request) => {
      if (down.connections && request.method === 'POST' && new URL(request.url).pathname === '/v1/connections') {
        return new Response(JSON.stringify({ type: 'error', title: 'unexpected-problem', status: 503 }), { status: 503, headers: { 'content-type': 'application/problem+json' } });
      }
      return undefined;
    },
  });
  return { h, down };
}

describe('an onboarding that stopped midway: "Setup not finished", Finish setup, Remove', () => {
  it('lists a source whose connection was never made as unfinished (not "Connected"), and Finish setup makes the connection and the first sync', async () => {
    const { h, down } = await withFlakyConnections();
    const failed = await h.call('POST', '/sources', { body: faker, idempotencyKey: KEY });
    expect(failed.status).toBe(503);
    // The customer reloads: the browser no longer knows the key; the list says where it stopped.
    const list = await h.call('GET', '/sources');
    expect(list.json.data).toHaveLength(1);
    const [source] = list.json.data;
    expect(source.connections).toEqual([]);
    expect(source.setup).toMatchObject({ onboardingKey: KEY, state: 'stopped', step: 'connection', error: { code: 'upstream_unavailable' } });

    down.connections = false;
    const finished = await h.call('POST', `/onboardings/${KEY}/resume`, { body: {} });
    expect(finished.status).toBe(200);
    expect(finished.json.source.sourceId).toBe(source.sourceId);
    expect(finished.json.connections).toHaveLength(1);
    expect(finished.json.connections[0].firstJob).not.toBeNull();
    // Exactly one source and one connection exist in Airbyte: nothing was made twice.
    expect((await h.upstream('/sources')).data).toHaveLength(1);
    expect((await h.upstream('/connections')).data).toHaveLength(1);
    const after = await h.call('GET', '/sources');
    expect(after.json.data[0].setup).toBeUndefined();
    expect(after.json.data[0].connections).toHaveLength(1);
    // Finishing again replays the outcome.
    expect((await h.call('POST', `/onboardings/${KEY}/resume`, { body: {} })).json.connections[0].connection.connectionId).toBe(finished.json.connections[0].connection.connectionId);
  });

  it('resumes after days and a proxy restart: the record holds all it needs, without the customer\'s values', async () => {
    const { h, down } = await withFlakyConnections();
    await h.call('POST', '/sources', { body: faker, idempotencyKey: KEY });
    down.connections = false;
    h.clock.now += 5 * 24 * 3600_000;
    // A second proxy on the same store and the same Airbyte (a restart): nothing kept in memory.
    const again = await harness({ store: h.store, intercept: (request) => h.emulator.handle(request) });
    const resumed = await again.call('POST', `/onboardings/${KEY}/resume`, { body: {} });
    expect(resumed.status).toBe(200);
    expect(resumed.json.source.detail).toBeUndefined();
    expect(resumed.json.connections).toHaveLength(1);
    expect((await h.upstream('/sources')).data).toHaveLength(1);
  });

  it('a source deleted in Airbyte before Finish setup: says so (404) instead of blaming the customer', async () => {
    const { h, down } = await withFlakyConnections();
    await h.call('POST', '/sources', { body: faker, idempotencyKey: KEY });
    down.connections = false;
    // The same store in front of another (empty) Airbyte: the source is gone there.
    const fresh = await harness({ store: h.store });
    const answer = await fresh.call('POST', `/onboardings/${KEY}/resume`, { body: {} });
    expect(answer.status).toBe(404);
    expect(answer.json.error.message).toMatch(/no longer has/);
  });

  it('another customer can neither see, finish nor remove the setup', async () => {
    const { h } = await withFlakyConnections();
    await h.call('POST', '/sources', { body: faker, idempotencyKey: KEY });
    const other = await h.token('customer-b');
    expect((await h.call('GET', '/sources', { token: other })).json.data).toEqual([]);
    const resume = await h.call('POST', `/onboardings/${KEY}/resume`, { body: {}, token: other });
    expect(resume.status).toBe(404);
    const remove = await h.call('DELETE', `/onboardings/${KEY}`, { token: other });
    expect(remove.status).toBe(404);
    expect((await h.upstream('/sources')).data).toHaveLength(1);
  });

  it('Remove deletes what the setup made in Airbyte and it no longer shows', async () => {
    const { h } = await withFlakyConnections();
    await h.call('POST', '/sources', { body: faker, idempotencyKey: KEY });
    expect((await h.upstream('/sources')).data).toHaveLength(1);
    const removed = await h.call('DELETE', `/onboardings/${KEY}`);
    expect(removed.status).toBe(200);
    expect((await h.upstream('/sources')).data).toHaveLength(0);
    expect((await h.call('GET', '/sources')).json.data).toEqual([]);
    // It cannot be finished afterwards.
    const resume = await h.call('POST', `/onboardings/${KEY}/resume`, { body: {} });
    expect(resume.status).toBe(404);
  });

  it('deleting an unfinished source ends its setup too', async () => {
    const { h, down } = await withFlakyConnections();
    await h.call('POST', '/sources', { body: faker, idempotencyKey: KEY });
    const [source] = (await h.call('GET', '/sources')).json.data;
    expect((await h.call('DELETE', `/sources/${source.sourceId}`)).status).toBe(200);
    down.connections = false;
    expect((await h.call('POST', `/onboardings/${KEY}/resume`, { body: {} })).status).toBe(404);
    expect((await h.upstream('/connections')).data).toHaveLength(0);
  });

  it('a setup waiting for the stream choice shows as such and finishes with the choice', async () => {
    const templates = structuredClone(templatesJson) as { connections: Array<Record<string, unknown>> };
    templates.connections[0]!.streams = 'choose';
    const h = await harness({ templates });
    const first = await h.call('POST', '/sources', { body: faker, idempotencyKey: KEY });
    expect(first.status).toBe(202);
    expect(first.json.status).toBe('needs_streams');
    const [source] = (await h.call('GET', '/sources')).json.data;
    expect(source.setup).toMatchObject({ onboardingKey: KEY, state: 'needs_streams', step: 'streams' });
    // Finish setup without a choice asks again; with one it finishes.
    const asked = await h.call('POST', `/onboardings/${KEY}/resume`, { body: {} });
    expect(asked.status).toBe(202);
    expect(asked.json.streams.length).toBeGreaterThan(0);
    const pick = [{ name: asked.json.streams[0].name }];
    const done = await h.call('POST', `/onboardings/${KEY}/resume`, { body: { streams: pick } });
    expect(done.status).toBe(200);
    expect(done.json.connections[0].connection.streamCount).toBe(1);
    expect((await h.call('GET', '/sources')).json.data[0].setup).toBeUndefined();
  });

  it('a setup a request is still working on shows as running (no Finish setup to race it), then as finished', async () => {
    const h = await harness({ emulator: { discoverMs: 1500 }, proxy: { holdOnboardingMs: 50 } });
    const first = await h.call('POST', '/sources', { body: faker, idempotencyKey: KEY });
    expect(first.status).toBe(202);
    await expect.poll(async () => (await h.call('GET', '/sources')).json.data[0]?.setup?.state, { timeout: 5000 }).toBe('running');
    await expect.poll(async () => (await h.call('GET', '/sources')).json.data[0]?.setup, { timeout: 20_000 }).toBeUndefined();
    expect((await h.call('GET', '/sources')).json.data[0].connections).toHaveLength(1);
  });

  it('refuses a malformed resume body with a 400 that says what to send', async () => {
    const { h } = await withFlakyConnections();
    await h.call('POST', '/sources', { body: faker, idempotencyKey: KEY });
    const bad = await h.call('POST', `/onboardings/${KEY}/resume`, { body: { streams: 'all' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/streams/);
    const proto = await h.call('POST', `/onboardings/__proto__/resume`, { body: {} });
    expect(proto.status).toBe(404);
  });
});

describe.each(['cloud', 'self-managed'] as const)('a store that Airbyte (%s) no longer matches', (deployment) => {
  it('a workspace deleted in Airbyte: the list marks its sources removed, and the next connect makes a new workspace instead of a 502', async () => {
    const h = await harness({ emulator: { deployment } });
    const made = await h.call('POST', '/sources', { body: faker });
    expect(made.status).toBe(201);
    const workspaceId = await h.store.getWorkspaceId('customer-a');
    const del = await h.emulator.handle(new Request(`http://emulator.test/v1/workspaces/${workspaceId}`, { method: 'DELETE', headers: { authorization: `Bearer ${await bearer(h)}` } }));
    expect(del.status).toBeLessThan(300);

    const list = await h.call('GET', '/sources');
    expect(list.status).toBe(200);
    expect(list.json.data).toHaveLength(1);
    expect(list.json.data[0]).toMatchObject({ removedInAirbyte: true, connections: [] });

    const again = await h.call('POST', '/sources', { body: faker });
    expect(again.status).toBe(201);
    const newWorkspace = await h.store.getWorkspaceId('customer-a');
    expect(newWorkspace).toBeDefined();
    expect(newWorkspace).not.toBe(workspaceId);
    expect(h.logs.some((l) => l.level === 'warn' && /no longer has workspace/.test(l.message))).toBe(true);
    // The ghost is removed from the list by the customer; Airbyte's 404 is not an error.
    const ghost = list.json.data[0].sourceId;
    expect((await h.call('DELETE', `/sources/${ghost}`)).status).toBe(200);
    expect((await h.call('GET', '/sources')).json.data.map((s: { sourceId: string }) => s.sourceId)).toEqual([again.json.source.sourceId]);
  });

  it('"Sign in with …" in a workspace Airbyte no longer has: a new workspace, a consent URL, no error', async () => {
    const h = await harness({ templates: { sources: [hubspotTemplate, ...templatesJson.sources], connections: templatesJson.connections }, emulator: { deployment, connectors: [hubspotConnector], oauthRedirectOrigins: [ORIGIN] }, proxy: deployment === 'self-managed' ? { oauth: { flow: 'config' } } : {} });
    expect((await h.call('POST', '/sources', { body: faker })).status).toBe(201);
    const workspaceId = await h.store.getWorkspaceId('customer-a');
    await h.emulator.handle(new Request(`http://emulator.test/v1/workspaces/${workspaceId}`, { method: 'DELETE', headers: { authorization: `Bearer ${await bearer(h)}` } }));
    const start = await h.call('POST', '/oauth/start', { body: { templateId: hubspotTemplate.id } });
    expect(start.status, JSON.stringify(start.json)).toBe(200);
    expect(start.json.consentUrl).toMatch(/^http/);
    // Cloud refuses the old workspace (403) and the proxy moves to a new one; self-managed's Config
    // API issues the consent URL without looking at the workspace's tombstone, and the source
    // create that follows repairs it.
    if (deployment === 'cloud') expect(await h.store.getWorkspaceId('customer-a')).not.toBe(workspaceId);
  });

  it('a backend restarted against a fresh Airbyte (an emulator that was reset): connects work and ghosts are marked, never "check your details"', async () => {
    const h = await harness({ emulator: { deployment } });
    expect((await h.call('POST', '/sources', { body: faker })).status).toBe(201);
    const fresh = await harness({ store: h.store, emulator: { deployment } });
    const list = await fresh.call('GET', '/sources');
    expect(list.status).toBe(200);
    expect(list.json.data[0].removedInAirbyte).toBe(true);
    const connect = await fresh.call('POST', '/sources', { body: faker });
    expect(connect.status).toBe(201);
    expect((await fresh.upstream('/workspaces')).data.map((w: { name: string }) => w.name)).toEqual(['customer-a']);
  });
});

async function bearer(h: Awaited<ReturnType<typeof harness>>): Promise<string> {
  const res = await h.emulator.handle(
    new Request('http://emulator.test/v1/applications/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: (await import('../../src/testing/emulator.ts')).DEFAULT_CLIENT_ID, client_secret: (await import('../../src/testing/emulator.ts')).DEFAULT_CLIENT_SECRET }),
    }),
  );
  return ((await res.json()) as { access_token: string }).access_token;
}
