/** Two proxy instances over one PostgreSQL store: every event is delivered once, in order per customer. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitEvent } from '../../../src/server/webhooks/events.ts';
import { postgresAvailable, postgresSchema } from '../../fixtures/stores.ts';
import { connectStripe, receiver, RECEIVER_URL, webhookHarness } from './webhookHarness.ts';

const pgUp = await postgresAvailable();

describe.skipIf(!pgUp)('webhooks on PostgreSQL with two instances', () => {
  let schema: Awaited<ReturnType<typeof postgresSchema>>;
  beforeAll(async () => {
    schema = await postgresSchema();
  });
  afterAll(() => schema.drop());

  it('both workers drain one outbox together: each of 400 events arrives once, each customer in order', async () => {
    const hook = receiver();
    // A slow-ish receiver, so the two workers' rounds overlap.
    const slow: typeof fetch = async (input, init) => (await new Promise((r) => setTimeout(r, Math.random() * 5)), hook.fetch(input, init));
    const a = await webhookHarness(hook, { store: schema.open(), proxy: { webhooks: { worker: false, fetch: slow } } });
    const b = await webhookHarness(hook, { store: schema.open(), proxy: { webhooks: { worker: false, fetch: slow } } });
    expect((await a.op('POST', '/webhooks/endpoints', { url: RECEIVER_URL })).status).toBe(201);
    // A real connect through one instance (its event commits with the onboarding) …
    await connectStripe(a, 'customer-pg');
    // … and 400 more, spread over 40 customers, emitted through both.
    for (let i = 0; i < 400; i++) {
      const h = i % 2 ? a : b;
      await emitEvent(h.store, h.clock.now, { type: 'sync.succeeded', customerId: `c${i % 40}`, data: { n: i } });
    }
    const [ra, rb] = await Promise.all([a.worker.drain(), b.worker.drain()]);
    expect(ra + rb).toBe(402);
    expect(ra).toBeGreaterThan(0);
    expect(rb).toBeGreaterThan(0);
    const ids = hook.received.map((r) => r.json.id);
    expect(ids).toHaveLength(402);
    expect(new Set(ids).size).toBe(402);
    for (let c = 0; c < 40; c++) {
      const ns = hook.received.filter((r) => r.json.customerId === `c${c}`).map((r) => r.json.data.n as number);
      expect(ns).toEqual([...ns].sort((x, y) => x - y));
      expect(ns).toHaveLength(10);
    }
    expect(hook.received.filter((r) => r.json.customerId === 'customer-pg').map((r) => r.json.type)).toEqual(['source.connected', 'sync.started']);
    await a.store.close();
    await b.store.close();
  });

  it("a customer's later event waits for the earlier one's transaction to commit, so their order is the commit order", async () => {
    const store = schema.open();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let emitted!: () => void;
    const firstEmitted = new Promise<void>((resolve) => (emitted = resolve));
    const first = store.transaction(async (tx) => {
      await emitEvent(tx, 1, { type: 'sync.started', customerId: 'c-commit-order', data: { n: 1 } });
      emitted();
      await gate;
    });
    await firstEmitted;
    let secondDone = false;
    const second = store.transaction((tx) => emitEvent(tx, 2, { type: 'sync.succeeded', customerId: 'c-commit-order', data: { n: 2 } })).then(() => (secondDone = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Without the per-customer lock the second commits first and could be delivered first.
    expect(secondDone).toBe(false);
    release();
    await Promise.all([first, second]);
    expect(secondDone).toBe(true);
  });
});
