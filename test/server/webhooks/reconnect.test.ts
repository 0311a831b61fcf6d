/**
 * Reconnect (a new OAuth sign-in on an existing source) fixes credentials that broke: the
 * emulator fails a sync with a config error → its notification marks the source broken → the
 * customer signs in again through the emulator's consent page → the mark is gone and the
 * operator's receiver gets `credentials.restored` with `via: 'reconnect'`, once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { allowConsent, hubspotConnector, hubspotOAuthConfig, templatesWithHubspot } from '../../fixtures/hubspotOAuth.ts';
import { freshEmbeddedStore } from '../../fixtures/stores.ts';
import { ORIGIN } from '../harness.ts';
import { receiver, RECEIVER_URL, webhookHarness } from './webhookHarness.ts';

beforeAll(() => freshEmbeddedStore(), 60_000);

const CONFIG_ERROR = { failureOrigin: 'source', failureType: 'config_error', externalMessage: 'The refresh token was revoked' } as const;

/** A sign-in proxy whose workspaces' notifications reach it in process (on flush), with a receiver registered. */
async function reconnectHarness() {
  const hook = receiver();
  const ref: { proxy?: (r: Request) => Promise<Response> } = {};
  const h = await webhookHarness(hook, {
    templates: templatesWithHubspot,
    emulator: { connectors: [hubspotConnector], oauthRedirectOrigins: [ORIGIN], notifications: { tickMs: 0, fetch: async (input, init) => ref.proxy!(new Request(input, init)) } },
    proxy: { configApi: true, webhooks: { worker: false, fetch: hook.fetch, publicUrl: ORIGIN } },
  });
  ref.proxy = h.proxy;
  expect((await h.op('POST', '/webhooks/endpoints', { url: RECEIVER_URL })).status).toBe(201);
  const settle = async () => {
    h.clock.now += 11_000;
    await h.emulator.notifications.flush();
    await h.worker.drain();
  };
  /** The customer's "Sign in with HubSpot", clicked through the emulator's consent page to the proxy's callback: a grant id. */
  const signIn = async (): Promise<string> => {
    const start = await h.call('POST', '/oauth/start', { body: { templateId: 'hubspot', inputs: {} } });
    expect(start.status, start.text).toBe(200);
    const outcome = await allowConsent(h.emulator.handle, h.proxy, start.json.consentUrl as string);
    expect(outcome.grantId).toBeTruthy();
    return outcome.grantId!;
  };
  const connect = async () => {
    const created = await h.call('POST', '/sources', { body: { templateId: 'hubspot', config: hubspotOAuthConfig, oauth: { grantId: await signIn() } }, idempotencyKey: crypto.randomUUID() });
    expect(created.status, created.text).toBe(201);
    return created.json as { source: { sourceId: string }; connections: Array<{ connection: { connectionId: string } }> };
  };
  const types = () => hook.received.map((r) => r.json.type);
  const listed = async () => (await h.call('GET', '/sources')).json.data[0] as { sourceId: string; credentialsBroken?: boolean };
  return { ...h, hook, settle, signIn, connect, types, listed };
}

describe('reconnect and broken credentials', () => {
  it('a reconnect of a source whose sign-in broke clears the mark and sends credentials.restored via reconnect, once', async () => {
    const h = await reconnectHarness();
    h.emulator.faults.failJobs({ times: 1, failure: CONFIG_ERROR });
    const created = await h.connect();
    const sourceId = created.source.sourceId;
    await h.settle();
    expect(h.types()).toEqual(['source.connected', 'sync.started', 'sync.failed', 'credentials.broken']);
    expect(await h.listed()).toMatchObject({ sourceId, credentialsBroken: true });

    const res = await h.call('POST', `/sources/${sourceId}/reconnect`, { body: { oauth: { grantId: await h.signIn() } } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.credentialsBroken).toBeUndefined();
    expect((await h.listed()).credentialsBroken).toBeUndefined();
    await h.worker.drain();
    const restored = h.hook.received.filter((r) => r.json.type === 'credentials.restored');
    expect(restored.map((r) => [r.json.customerId, r.json.data])).toEqual([['customer-a', { sourceId, via: 'reconnect' }]]);

    // The next sync succeeds on the new sign-in: nothing left to restore, so no second event.
    const connectionId = created.connections[0]!.connection.connectionId;
    expect((await h.call('POST', `/connections/${connectionId}/sync`)).status).toBe(200);
    await h.settle();
    expect(h.types().slice(4)).toEqual(['credentials.restored', 'sync.started', 'sync.succeeded']);
  });

  it('a reconnect of a healthy source sends no credentials.restored', async () => {
    const h = await reconnectHarness();
    const created = await h.connect();
    await h.settle();
    expect(h.types()).toEqual(['source.connected', 'sync.started', 'sync.succeeded']);
    const res = await h.call('POST', `/sources/${created.source.sourceId}/reconnect`, { body: { oauth: { grantId: await h.signIn() } } });
    expect(res.status, res.text).toBe(200);
    await h.worker.drain();
    expect(h.types()).toEqual(['source.connected', 'sync.started', 'sync.succeeded']);
  });

  it('a reconnect refused (its grant already used) leaves the source marked broken', async () => {
    const h = await reconnectHarness();
    h.emulator.faults.failJobs({ times: 1, failure: CONFIG_ERROR });
    const created = await h.connect();
    await h.settle();
    const grantId = await h.signIn();
    expect((await h.call('POST', `/sources/${created.source.sourceId}/reconnect`, { body: { oauth: { grantId } } })).status).toBe(200);
    // Broken again by the next config error, then a replayed grant does not fix it.
    h.emulator.faults.failJobs({ times: 1, failure: CONFIG_ERROR });
    expect((await h.call('POST', `/connections/${created.connections[0]!.connection.connectionId}/sync`)).status).toBe(200);
    await h.settle();
    expect((await h.listed()).credentialsBroken).toBe(true);
    const again = await h.call('POST', `/sources/${created.source.sourceId}/reconnect`, { body: { oauth: { grantId } } });
    expect(again.status).toBe(400);
    expect((await h.listed()).credentialsBroken).toBe(true);
    await h.worker.drain();
    expect(h.types().filter((t) => t === 'credentials.restored')).toHaveLength(1);
    expect(h.types().filter((t) => t === 'credentials.broken')).toHaveLength(2);
  });
});
