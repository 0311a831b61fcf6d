/**
 * A retry after a source create with no answer looks for the source Airbyte may have made (same
 * name, connector and time). Another onboarding of the same customer, running at once, makes a
 * source that fits that description too: it is that onboarding's, and must never be adopted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { freshEmbeddedStore } from '../fixtures/stores.ts';
import { harness } from './harness.ts';

beforeAll(() => freshEmbeddedStore(), 60_000);
const stripe = (account: string) => ({ templateId: 'stripe', config: { account_id: account, client_secret: 'sk_test', start_date: '2024-01-01T00:00:00Z' } });

describe('source adoption with concurrent onboardings', () => {
  it('does not adopt the source another onboarding just created (before it recorded it)', async () => {
    let creates = 0;
    let retryOfA: Promise<{ status: number; json: any }> | undefined;
    const h = await harness({
      intercept: async (req) => {
        if (req.method !== 'POST' || !new URL(req.url).pathname.endsWith('/sources')) return undefined;
        creates++;
        // A's create never reaches Airbyte (a dropped connection): A stalls with its intent recorded.
        if (creates === 1) throw new TypeError('fetch failed: socket hang up');
        if (creates === 2) {
          // B's create is done in Airbyte; before B hears back, A is retried by its client.
          const response = await h.emulator.handle(req);
          retryOfA = h.call('POST', '/sources', { body: stripe('acct_a'), idempotencyKey: 'concurrent-a-0001' });
          await Promise.race([retryOfA, new Promise((r) => setTimeout(r, 1_000))]);
          return response;
        }
        return undefined;
      },
    });
    const first = await h.call('POST', '/sources', { body: stripe('acct_a'), idempotencyKey: 'concurrent-a-0001' });
    expect(first.status).toBe(503);
    const b = await h.call('POST', '/sources', { body: stripe('acct_b'), idempotencyKey: 'concurrent-b-0001' });
    const a = await retryOfA!;
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.json.source.sourceId).not.toBe(b.json.source.sourceId);

    const sources = (await h.upstream('/sources')).data as Array<{ sourceId: string; configuration: { account_id: string } }>;
    expect(sources).toHaveLength(2);
    expect(sources.find((s) => s.sourceId === a.json.source.sourceId)?.configuration.account_id).toBe('acct_a');
    expect(sources.find((s) => s.sourceId === b.json.source.sourceId)?.configuration.account_id).toBe('acct_b');
    const connections = (await h.upstream('/connections')).data as Array<{ sourceId: string }>;
    expect(connections.map((c) => c.sourceId).sort()).toEqual([a.json.source.sourceId, b.json.source.sourceId].sort());
  });

  it('gives two onboardings of one connector at once two default names ("Stripe", "Stripe 2")', async () => {
    const h = await harness({
      intercept: async (req) => {
        // Airbyte takes its time creating each source: both onboardings are in flight together.
        if (req.method === 'POST' && new URL(req.url).pathname.endsWith('/sources')) await new Promise((r) => setTimeout(r, 400));
        return undefined;
      },
    });
    const first = h.call('POST', '/sources', { body: stripe('acct_one'), idempotencyKey: 'names-one-0001' });
    await new Promise((r) => setTimeout(r, 100));
    const second = h.call('POST', '/sources', { body: stripe('acct_two'), idempotencyKey: 'names-two-0001' });
    const [a, b] = await Promise.all([first, second]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect([a.json.source.name, b.json.source.name].sort()).toEqual(['Stripe', 'Stripe 2']);
    // A name given by the customer is theirs, even if another onboarding has it.
    const named = await h.call('POST', '/sources', { body: { ...stripe('acct_three'), name: 'Stripe' }, idempotencyKey: 'names-three-0001' });
    expect(named.json.source.name).toBe('Stripe');
  });
});
