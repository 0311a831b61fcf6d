/** The outbox and its worker: signed deliveries of what the proxy does, retries, order, dead letters. */
import { describe, expect, it, vi } from 'vitest';
import { emitEvent } from '../../../src/server/webhooks/events.ts';
import { verifyWebhook } from '../../../src/server/webhooks/verify.ts';
import { createWebhookWorker, RETRY_SCHEDULE_MS } from '../../../src/server/webhooks/delivery.ts';
import { connectStripe, receiver, RECEIVER_URL, webhookHarness } from './webhookHarness.ts';

async function withEndpoint(h: Awaited<ReturnType<typeof webhookHarness>>, body: Record<string, unknown> = {}) {
  const created = await h.op('POST', '/webhooks/endpoints', { url: RECEIVER_URL, ...body });
  expect(created.status).toBe(201);
  return created.json as { id: string; secret: string };
}

describe('webhook delivery', () => {
  it('a connect is delivered once as source.connected then sync.started, signed with the endpoint secret', async () => {
    const hook = receiver();
    const h = await webhookHarness(hook);
    const endpoint = await withEndpoint(h);
    const created = await connectStripe(h, 'customer-a');
    expect(await h.worker.drain()).toBe(2);
    expect(hook.received.map((r) => r.json.type)).toEqual(['source.connected', 'sync.started']);
    const [connected, started] = hook.received;
    expect(connected!.url).toBe(RECEIVER_URL);
    expect(connected!.headers['webhook-id']).toBe(connected!.json.id);
    expect(connected!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    const event = await verifyWebhook(new Request(RECEIVER_URL, { method: 'POST', headers: connected!.headers, body: connected!.body }), endpoint.secret);
    expect(event).toMatchObject({ type: 'source.connected', customerId: 'customer-a', data: { sourceId: created.source.sourceId, templateId: 'stripe', connectionIds: [created.connections[0]!.connection.connectionId] } });
    expect(started!.json.data).toMatchObject({ jobId: created.connections[0]!.firstJob!.jobId, trigger: 'first_sync' });
    // The customer's secret never travels in an event.
    expect(hook.received.map((r) => r.body).join()).not.toContain('sk_test_secret_value');
    // A replay of the same submission answers from the record: no second event.
    const again = await h.call('POST', '/sources', { body: { templateId: 'stripe', config: { account_id: 'acct_customer-a', client_secret: 'sk_test_secret_value' } }, idempotencyKey: (await h.store.listSources('customer-a'))[0]!.onboardingKey });
    expect(again.status).toBe(201);
    expect(await h.worker.drain()).toBe(0);
  });

  it('edit, sync now and delete each send one event, with what changed but never the values', async () => {
    const hook = receiver();
    const h = await webhookHarness(hook);
    await withEndpoint(h, { eventTypes: ['source.updated', 'source.deleted', 'sync.started'] });
    const created = await connectStripe(h, 'customer-a');
    const sourceId = created.source.sourceId;
    const connectionId = created.connections[0]!.connection.connectionId;
    expect((await h.call('PATCH', `/sources/${sourceId}`, { body: { name: 'Billing', config: { account_id: 'acct_2', client_secret: 'sk_new_secret' } } })).status).toBe(200);
    h.clock.now += 11_000;
    const job = await h.call('POST', `/connections/${connectionId}/sync`);
    expect(job.status).toBe(200);
    expect((await h.call('DELETE', `/sources/${sourceId}`)).status).toBe(200);
    await h.worker.drain();
    // Only the subscribed types (no source.connected); the first sync's sync.started came too.
    expect(hook.received.map((r) => [r.json.type, r.json.data.trigger ?? r.json.data.changed])).toEqual([
      ['sync.started', 'first_sync'],
      ['source.updated', ['config', 'name']],
      ['sync.started', 'manual'],
      ['source.deleted', undefined],
    ]);
    expect(hook.received[2]!.json.data.jobId).toBe(job.json.jobId);
    expect(hook.received.map((r) => r.body).join()).not.toMatch(/sk_new_secret|acct_2/);
  });

  it('an event recorded by an instance that died before sending is delivered by the next one over the same store', async () => {
    const hook = receiver();
    const first = await webhookHarness(hook);
    await withEndpoint(first);
    await connectStripe(first, 'customer-a');
    // The first instance never ran its worker (it "crashed"); a new one starts over its store.
    const second = await webhookHarness(hook, { store: first.store });
    expect(await second.worker.drain()).toBe(2);
    expect(hook.received.map((r) => r.json.type)).toEqual(['source.connected', 'sync.started']);
  });

  it('a delivery whose sender died mid-POST is sent again by another worker once its lease expires, same id', async () => {
    const hook = receiver();
    const h = await webhookHarness(hook);
    await withEndpoint(h, { eventTypes: ['source.connected'] });
    await connectStripe(h, 'customer-a');
    hook.answer = () => 'hang';
    const dying = createWebhookWorker({ store: h.store, now: () => h.clock.now, fetch: hook.fetch, timeoutMs: 600_000 });
    void dying.runOnce();
    await expect.poll(() => hook.received.length).toBe(1);
    hook.answer = () => 204;
    // Within the lease nobody else takes it …
    expect(await h.worker.runOnce()).toBe(0);
    h.clock.now += 700_000;
    expect(await h.worker.drain()).toBe(1);
    expect(hook.received).toHaveLength(2);
    expect(hook.received[1]!.json.id).toBe(hook.received[0]!.json.id);
    const [delivery] = (await h.op('GET', '/webhooks/deliveries')).json.data;
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 204 });
  });

  it('a receiver down for an hour gets everything afterwards, in order per customer, each event once', async () => {
    const hook = receiver();
    const h = await webhookHarness(hook);
    await withEndpoint(h);
    let down = true;
    hook.answer = () => (down ? 503 : 200);
    const customers = ['c1', 'c2', 'c3'];
    for (const c of customers) await connectStripe(h, c);
    for (const c of customers) {
      const [source] = await h.store.listSources(c);
      h.clock.now += 11_000;
      expect((await h.call('POST', `/connections/${source!.connectionIds[0]}/sync`, { token: await h.token(c) })).status).toBe(200);
      expect((await h.call('PATCH', `/sources/${source!.sourceId}`, { token: await h.token(c), body: { name: `Renamed ${c}` } })).status).toBe(200);
    }
    const start = h.clock.now;
    while (h.clock.now - start < 3_600_000) {
      await h.worker.drain();
      h.clock.now += 60_000;
    }
    const failedAttempts = hook.received.length;
    expect(failedAttempts).toBeGreaterThan(0);
    down = false;
    // The next retry after an hour of failures comes within the schedule's next step (2 h + jitter).
    for (let i = 0; i < 200 && (await h.op('GET', '/webhooks/deliveries?status=pending')).json.data.length; i++) {
      h.clock.now += 5 * 60_000;
      await h.worker.drain();
    }
    expect((await h.op('GET', '/webhooks/deliveries?status=pending')).json.data).toEqual([]);
    const ok = hook.received.slice(failedAttempts).filter((r) => r.json);
    const ids = ok.map((r) => r.json.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(customers.length * 4);
    for (const c of customers) {
      expect(ok.filter((r) => r.json.customerId === c).map((r) => r.json.type)).toEqual(['source.connected', 'sync.started', 'sync.started', 'source.updated']);
    }
    // While the first event of a customer was failing, its later ones were never sent.
    for (const c of customers) {
      const firstId = hook.received.find((r) => r.json.customerId === c)!.json.id;
      expect(hook.received.slice(0, failedAttempts).filter((r) => r.json.customerId === c).every((r) => r.json.id === firstId)).toBe(true);
    }
  });

  it('after the whole retry schedule (over 24 h) a delivery is dead, listed with its status, and retried on request', async () => {
    const hook = receiver();
    const h = await webhookHarness(hook);
    const endpoint = await withEndpoint(h, { eventTypes: ['source.connected'] });
    const tries: number[] = [];
    hook.answer = () => (tries.push(h.clock.now), 500);
    await connectStripe(h, 'customer-a');
    const start = h.clock.now;
    for (let i = 0; i < 100 && !(await h.op('GET', '/webhooks/deliveries?status=dead')).json.data.length; i++) {
      await h.worker.drain();
      h.clock.now += 60 * 60_000;
    }
    expect(hook.received).toHaveLength(RETRY_SCHEDULE_MS.length + 1);
    expect(tries.at(-1)! - start).toBeGreaterThanOrEqual(24 * 3_600_000);
    const [dead] = (await h.op('GET', `/webhooks/deliveries?status=dead&endpointId=${endpoint.id}`)).json.data;
    expect(dead).toMatchObject({ status: 'dead', attempts: 8, lastStatus: 500, lastError: 'The receiver answered 500', eventType: 'source.connected', customerId: 'customer-a' });
    hook.answer = () => 200;
    const retried = await h.op('POST', `/webhooks/deliveries/${dead.id}/retry`);
    expect(retried.status).toBe(202);
    expect(retried.json.status).toBe('pending');
    expect(await h.worker.drain()).toBe(1);
    expect((await h.op('GET', `/webhooks/deliveries/${dead.id}`)).json).toMatchObject({ status: 'delivered', lastStatus: 200 });
    expect(hook.received.at(-1)!.json.id).toBe(dead.eventId);
    expect((await h.op('POST', `/webhooks/deliveries/${dead.id}/retry`)).status).toBe(400);
    expect((await h.op('POST', '/webhooks/deliveries/dlv_nope/retry')).status).toBe(404);
  });

  it('410 Gone turns the endpoint off; its events wait and go once it is enabled again', async () => {
    const hook = receiver();
    const h = await webhookHarness(hook);
    const endpoint = await withEndpoint(h, { eventTypes: ['source.connected'] });
    hook.answer = () => 410;
    await connectStripe(h, 'customer-a');
    await h.worker.drain();
    expect((await h.op('GET', `/webhooks/endpoints/${endpoint.id}`)).json).toMatchObject({ enabled: false, disabledReason: 'The receiver answered 410 Gone' });
    expect(h.logs.some((l) => l.level === 'warn' && l.message.includes('410'))).toBe(true);
    hook.answer = () => 200;
    h.clock.now += 3_600_000;
    expect(await h.worker.drain()).toBe(0);
    expect((await h.op('PATCH', `/webhooks/endpoints/${endpoint.id}`, { enabled: true })).json.enabled).toBe(true);
    expect(await h.worker.drain()).toBe(1);
    expect(hook.received.map((r) => r.json.type)).toEqual(['source.connected', 'source.connected']);
  });

  it('a timeout or a network error is retried, and the log never holds the secret or the payload', async () => {
    const hook = receiver();
    const h = await webhookHarness(hook);
    const endpoint = await withEndpoint(h, { eventTypes: ['source.connected'] });
    hook.answer = () => 'network';
    await connectStripe(h, 'customer-a');
    await h.worker.drain();
    const [d] = (await h.op('GET', '/webhooks/deliveries')).json.data;
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('Could not reach the receiver') });
    expect(d.lastStatus).toBeUndefined();
    hook.answer = () => 'hang';
    const quick = createWebhookWorker({ store: h.store, now: () => h.clock.now, fetch: hook.fetch, timeoutMs: 50 });
    h.clock.now += 10_000;
    await quick.drain();
    expect((await h.op('GET', '/webhooks/deliveries')).json.data[0]).toMatchObject({ status: 'pending', attempts: 2, lastError: 'No answer within 0.05 s' });
    const logged = JSON.stringify(h.logs);
    expect(logged).not.toContain(endpoint.secret.slice(6));
    expect(logged).not.toContain('sk_test_secret_value');
  });

  it("a receiver that hangs on one customer's event does not hold up another customer's while polling", async () => {
    const hook = receiver();
    const h = await webhookHarness(hook, { proxy: { webhooks: { worker: false, fetch: hook.fetch, timeoutMs: 6_000, pollMs: 20 } } });
    expect((await h.op('POST', '/webhooks/endpoints', { url: RECEIVER_URL })).status).toBe(201);
    hook.answer = (r) => (r.json.customerId === 'slow-customer' ? 'hang' : 204);
    await emitEvent(h.store, h.clock.now, { type: 'sync.started', customerId: 'slow-customer', data: { n: 1 } });
    h.worker.start();
    try {
      await vi.waitFor(() => expect(hook.received.map((r) => r.json.customerId)).toContain('slow-customer'), { timeout: 2_000 });
      // Recorded while the first delivery hangs: it goes out while that one still hangs (before
      // its 6 s timeout), where a worker that waits for its whole batch would hold it back.
      await emitEvent(h.store, h.clock.now, { type: 'sync.started', customerId: 'quick-customer', data: { n: 2 } });
      await vi.waitFor(() => expect(hook.received.map((r) => r.json.customerId)).toContain('quick-customer'), { timeout: 4_000 });
    } finally {
      await h.worker.stop();
    }
  });
});
