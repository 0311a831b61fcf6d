/**
 * One customer's burst must not starve the others on the PostgreSQL store: an onboarding never
 * holds a database connection while it waits on Airbyte, and each customer runs only a few at
 * once. Here Airbyte hangs on every source creation; while twelve of one customer's submits wait
 * on it, another customer's catalog and manage view still answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, postgresSchema } from '../fixtures/stores.ts';
import { harness } from './harness.ts';

const pgUp = await postgresAvailable();

describe.skipIf(!pgUp)('fairness on PostgreSQL', () => {
  let schema: Awaited<ReturnType<typeof postgresSchema>>;
  beforeAll(async () => {
    schema = await postgresSchema();
  });
  afterAll(() => schema.drop());

  it('serves another customer while one customer’s onboardings hang on Airbyte', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let hanging = 0;
    let hold = false;
    const h = await harness({
      store: schema.open(),
      proxy: { rateLimit: false },
      intercept: async (request) => {
        if (hold && request.method === 'POST' && new URL(request.url).pathname.endsWith('/sources')) {
          hanging++;
          await released;
        }
        return undefined;
      },
    });
    // Customer B is known to the store before the burst (its workspace and one source).
    expect((await h.call('POST', '/sources', { body: { templateId: 'faker', config: { count: 1 } }, token: await h.token('customer-b') })).status).toBe(201);
    const burstToken = await h.token('customer-a');
    hold = true;
    const burst = Array.from({ length: 12 }, (_, i) => h.call('POST', '/sources', { body: { templateId: 'faker', config: { count: i + 1 } }, token: burstToken, idempotencyKey: `burst-${i}-0000` }));
    await expect.poll(() => hanging, { timeout: 10_000 }).toBeGreaterThan(0);
    const b = await h.token('customer-b');
    const [templates, sources] = await Promise.all([h.call('GET', '/templates', { token: b }), h.call('GET', '/sources', { token: b })]);
    expect(templates.status).toBe(200);
    expect(sources.status).toBe(200);
    expect(sources.json.data).toHaveLength(1);
    // At most a few of A's onboardings reached Airbyte at once.
    expect(hanging).toBeLessThanOrEqual(3);
    release();
    const results = await Promise.all(burst);
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
  }, 60_000);
});
