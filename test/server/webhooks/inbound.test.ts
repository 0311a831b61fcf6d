/**
 * Airbyte's workspace notifications, end to end: the emulator's job ends → its notification POSTs
 * to the proxy's inbound route → the outbox → the operator's receiver, checked with verifyWebhook.
 */
import { describe, expect, it } from 'vitest';
import { ORIGIN } from '../harness.ts';
import { connectStripe, inboundHarness, receiver, webhookHarness } from './webhookHarness.ts';

describe('inbound Airbyte notifications', () => {
  it('a new workspace points its notifications at the proxy with a token stored only as a hash', async () => {
    const h = await inboundHarness();
    await connectStripe(h, 'customer-a');
    const workspaceId = (await h.store.getWorkspaceId('customer-a'))!;
    const ws = await h.upstream(`/workspaces/${workspaceId}`);
    const url = ws.notifications.failure.webhook.url as string;
    expect(url).toMatch(/^https:\/\/app\.example\.com\/api\/embed\/airbyte\/notifications\/[A-Za-z0-9_-]{43}$/);
    for (const kind of ['failure', 'success', 'syncDisabled', 'syncDisabledWarning', 'connectionUpdateActionRequired', 'connectionUpdate']) expect(ws.notifications[kind].webhook).toEqual({ enabled: true, url });
    const [row] = await h.store.query<{ token: string }>('SELECT token FROM aek_notification_tokens WHERE workspace_id = $1', [workspaceId]);
    expect(row!.token).toMatch(/^[0-9a-f]{64}$/);
    expect(url).not.toContain(row!.token);
  });

  it('a sync that succeeds reaches the receiver as sync.succeeded with rows, bytes and duration, signed', async () => {
    const h = await inboundHarness();
    const created = await connectStripe(h, 'customer-a');
    const connectionId = created.connections[0]!.connection.connectionId;
    await h.settle();
    expect(h.sent.map((s) => s.status)).toEqual([200]);
    expect(h.events().map((r) => r.json.type)).toEqual(['source.connected', 'sync.started', 'sync.succeeded']);
    const event = await h.verified(h.events('sync.succeeded')[0]!);
    const job = await h.upstream(`/jobs/${created.connections[0]!.firstJob!.jobId}`);
    expect(event).toMatchObject({ customerId: 'customer-a', data: { sourceId: created.source.sourceId, connectionId, jobId: job.jobId, rows: job.rowsSynced, bytes: job.bytesSynced, durationMs: 10_000 } });
    expect(job.rowsSynced).toBeGreaterThan(0);
    // The path token never reaches the log.
    const token = new URL(h.sent[0]!.url).pathname.split('/').pop()!;
    expect(JSON.stringify(h.logs)).not.toContain(token);
  });

  it('a sync that fails reaches the receiver as sync.failed with Airbyte\'s reason, and the credentials stay fine', async () => {
    const h = await inboundHarness();
    h.emulator.faults.failJobs({ times: 1, failure: { failureOrigin: 'destination', failureType: 'system_error', externalMessage: 'The warehouse ran out of disk' } });
    const created = await connectStripe(h, 'customer-a');
    await h.settle();
    const failed = await h.verified(h.events('sync.failed')[0]!);
    expect(failed.data).toMatchObject({ sourceId: created.source.sourceId, jobId: created.connections[0]!.firstJob!.jobId, reason: 'The warehouse ran out of disk', rows: 0 });
    expect(h.events('credentials.broken')).toEqual([]);
    expect((await h.call('GET', '/sources', { token: await h.token('customer-a') })).json.data[0].credentialsBroken).toBeUndefined();
  });

  it('a config error marks the credentials broken (GET /sources says so); a later successful sync restores them', async () => {
    const h = await inboundHarness({ configApi: true });
    h.emulator.faults.failJobs({ times: 1, failure: { failureOrigin: 'source', failureType: 'config_error', externalMessage: 'Invalid API key provided' } });
    const created = await connectStripe(h, 'customer-a');
    const connectionId = created.connections[0]!.connection.connectionId;
    await h.settle();
    expect(h.events().map((r) => r.json.type)).toEqual(['source.connected', 'sync.started', 'sync.failed', 'credentials.broken']);
    expect((await h.verified(h.events('credentials.broken')[0]!)).data).toMatchObject({ sourceId: created.source.sourceId, connectionId, reason: 'Invalid API key provided' });
    const list = await h.call('GET', '/sources', { token: await h.token('customer-a') });
    expect(list.json.data[0]).toMatchObject({ sourceId: created.source.sourceId, credentialsBroken: true });
    expect((await h.call('GET', `/sources/${created.source.sourceId}`, { token: await h.token('customer-a') })).json.source.credentialsBroken).toBe(true);
    expect((await h.call('POST', `/connections/${connectionId}/sync`, { token: await h.token('customer-a') })).status).toBe(200);
    await h.settle();
    expect(h.events().slice(4).map((r) => [r.json.type, r.json.data.via])).toEqual([['sync.started', undefined], ['sync.succeeded', undefined], ['credentials.restored', 'sync']]);
    expect((await h.call('GET', '/sources', { token: await h.token('customer-a') })).json.data[0].credentialsBroken).toBeUndefined();
  });

  it('an edit of broken credentials sends credentials.restored at once', async () => {
    const h = await inboundHarness({ configApi: true });
    h.emulator.faults.failJobs({ times: 1, failure: { failureOrigin: 'source', failureType: 'config_error', externalMessage: 'Invalid API key provided' } });
    const created = await connectStripe(h, 'customer-a');
    await h.settle();
    expect(h.events('credentials.broken')).toHaveLength(1);
    const edit = await h.call('PATCH', `/sources/${created.source.sourceId}`, { token: await h.token('customer-a'), body: { config: { account_id: 'acct_customer-a', client_secret: 'sk_test_new_value' } } });
    expect(edit.status).toBe(200);
    expect(edit.json.credentialsBroken).toBeUndefined();
    await h.worker.drain();
    expect(h.events('credentials.restored').map((r) => r.json.data)).toEqual([{ sourceId: created.source.sourceId, via: 'edit' }]);
  });

  it('20 forced failures: a disable warning after the 10th, connection.disabled after the 20th (inactive in Airbyte)', async () => {
    const h = await inboundHarness();
    const created = await connectStripe(h, 'customer-a');
    const connectionId = created.connections[0]!.connection.connectionId;
    await h.settle();
    h.emulator.faults.failJobs({ connectionId });
    for (let i = 0; i < 20; i++) {
      expect((await h.call('POST', `/connections/${connectionId}/sync`, { token: await h.token('customer-a') })).status).toBe(200);
      await h.settle();
    }
    const types = h.events().map((r) => r.json.type).filter((t) => t !== 'sync.started');
    expect(types.filter((t) => t === 'sync.failed')).toHaveLength(20);
    // In order: the warning right after the 10th failure, the disable right after the 20th.
    const failedBefore = (type: string) => types.slice(0, types.indexOf(type)).filter((t) => t === 'sync.failed').length;
    expect(types.filter((t) => t === 'connection.disable_warning')).toHaveLength(1);
    expect(failedBefore('connection.disable_warning')).toBe(10);
    expect(types.at(-1)).toBe('connection.disabled');
    expect(failedBefore('connection.disabled')).toBe(20);
    const disabled = await h.verified(h.events('connection.disabled')[0]!);
    expect(disabled).toMatchObject({ customerId: 'customer-a', data: { sourceId: created.source.sourceId, connectionId } });
    expect((await h.upstream(`/connections/${connectionId}`)).status).toBe('inactive');
  });

  it('refuses a forged token, another workspace, another customer\'s connection; a replay is recorded once', async () => {
    const h = await inboundHarness();
    const a = await connectStripe(h, 'customer-a');
    const b = await connectStripe(h, 'customer-b');
    await h.settle();
    expect(h.sent).toHaveLength(2);
    const [fromA] = h.sent.filter((s) => JSON.parse(s.body).data.connection.id === a.connections[0]!.connection.connectionId);
    const before = h.events().length;
    const body = JSON.parse(fromA!.body);
    // A forged (unknown) token, and a malformed one: 404, nothing said.
    for (const url of [`${ORIGIN}/api/embed/airbyte/notifications/${'x'.repeat(43)}`, `${ORIGIN}/api/embed/airbyte/notifications/short`]) {
      const forged = await h.post(url, fromA!.body);
      expect(forged.status).toBe(404);
      expect((await forged.json()).error.message).toBe('Not found.');
    }
    // A's token with B's workspace, and with B's connection in A's workspace.
    const bWorkspace = (await h.store.getWorkspaceId('customer-b'))!;
    expect((await h.post(fromA!.url, JSON.stringify({ ...body, data: { ...body.data, workspace: { ...body.data.workspace, id: bWorkspace }, jobId: 999 } }))).status).toBe(404);
    expect((await h.post(fromA!.url, JSON.stringify({ ...body, data: { ...body.data, connection: { ...body.data.connection, id: b.connections[0]!.connection.connectionId }, jobId: 998 } }))).status).toBe(404);
    // The same notification again (Airbyte retried, or someone replays it): 200, and no second event.
    const replay = await h.post(fromA!.url, fromA!.body);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ received: true, ignored: 'already received' });
    // Valid but unknown to the proxy (Airbyte's "test notification"): 200, dropped.
    expect(await (await h.post(fromA!.url, JSON.stringify({ text: 'Hello World' }))).json()).toEqual({ received: true, ignored: 'not a notification the proxy reads' });
    // Only POST; a huge body is refused before it is read whole.
    expect((await h.proxy(new Request(fromA!.url))).status).toBe(405);
    expect((await h.post(fromA!.url, JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) }))).status).toBe(413);
    await h.worker.drain();
    expect(h.events().length).toBe(before);
    expect(h.events('sync.succeeded').map((r) => r.json.customerId).sort()).toEqual(['customer-a', 'customer-b']);
  });

  it('a kind the operator turned off is answered 200 and dropped; Airbyte is not even asked to send it', async () => {
    const h = await inboundHarness({ webhooks: { notificationKinds: ['failure'] } });
    const a = await connectStripe(h, 'customer-a');
    const ws = await h.upstream(`/workspaces/${(await h.store.getWorkspaceId('customer-a'))!}`);
    expect(ws.notifications.success.webhook.enabled).toBe(false);
    expect(ws.notifications.failure.webhook.enabled).toBe(true);
    await h.settle();
    expect(h.sent).toEqual([]);
    expect(h.events('sync.succeeded')).toEqual([]);
    // A success message sent anyway (the setting changed in Airbyte's UI) is accepted and dropped.
    const url = ws.notifications.failure.webhook.url as string;
    const job = a.connections[0]!.firstJob!.jobId;
    const success = { text: 'Sync completed', data: { workspace: { id: ws.workspaceId }, connection: { id: a.connections[0]!.connection.connectionId }, jobId: job, success: true } };
    expect(await (await h.post(url, JSON.stringify(success))).json()).toEqual({ received: true, ignored: 'the success notifications are turned off' });
  });

  it('a workspace known from before publicUrl is pointed at the proxy at start-up', async () => {
    const hook = receiver();
    const first = await webhookHarness(hook);
    await connectStripe(first, 'customer-a');
    const workspaceId = (await first.store.getWorkspaceId('customer-a'))!;
    expect((await first.upstream(`/workspaces/${workspaceId}`)).notifications).toEqual({});
    const { createEmbedProxy } = await import('../../../src/server/proxy.ts');
    const second = createEmbedProxy({ airbyte: first.airbyte, sessionSecret: 'test-session-secret-0123456789abcdef0123456789', store: first.store, now: () => first.clock.now, checkAirbyteOnStart: false, log: () => undefined, webhooks: { worker: false, publicUrl: 'https://hooks.app.example.com' } });
    // Any request waits for start-up; the sweep runs right after.
    await second(new Request(`${ORIGIN}/api/embed/templates`));
    await expect.poll(async () => (await first.upstream(`/workspaces/${workspaceId}`)).notifications.failure?.webhook?.url ?? '').toMatch(/^https:\/\/hooks\.app\.example\.com\/api\/embed\/airbyte\/notifications\//);
  });

  it('publicUrl must be an origin', async () => {
    const { createEmbedProxy } = await import('../../../src/server/proxy.ts');
    expect(() => createEmbedProxy({ airbyte: { baseUrl: 'http://x.test/v1', clientId: 'a', clientSecret: 'b' }, sessionSecret: 'test-session-secret-0123456789abcdef0123456789', checkAirbyteOnStart: false, webhooks: { publicUrl: 'https://app.example.com/api/embed' } })).toThrow(/must be the origin Airbyte reaches the proxy at/);
  });
});
