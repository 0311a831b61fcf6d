/**
 * Scenarios 2 and 3 on PostgreSQL: many customers onboarding at once through one proxy process
 * (all succeed; p95 reported next to a single onboarding), and two proxy instances receiving the
 * same new customer's first submit at once, many times (exactly one workspace and one source).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import templatesJson from '../../demo/templates.json';
import { AirbyteClient } from '../../src/server/airbyteClient.ts';
import { createEmbedProxy } from '../../src/server/proxy.ts';
import { createSessionToken } from '../../src/server/sessionToken.ts';
import { parseTemplates } from '../../src/server/templates.ts';
import { startAirbyteEmulator, type AirbyteEmulator } from '../../src/testing/emulator.ts';
import { postgresAvailable, postgresSchema } from '../fixtures/stores.ts';
import { percentile, report, size } from './figures.ts';

const SECRET = 'pg-concurrency-secret-0123456789abcdef';
const ORIGIN = 'https://app.example.com';
const pgUp = await postgresAvailable();

describe.skipIf(!pgUp)('scenarios 2 and 3: PostgreSQL under concurrency', () => {
  let emulator: AirbyteEmulator;
  let schema: Awaited<ReturnType<typeof postgresSchema>>;
  beforeAll(async () => {
    emulator = await startAirbyteEmulator({ jobDurationMs: 600_000, discoverMs: 0 });
    schema = await postgresSchema();
  });
  afterAll(async () => {
    await emulator.close();
    await schema.drop();
  });

  const instance = () =>
    createEmbedProxy({
      airbyte: new AirbyteClient({ baseUrl: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret, retryDelayMs: 20 }),
      sessionSecret: SECRET,
      store: schema.open(),
      templates: parseTemplates(structuredClone(templatesJson)),
      log: () => undefined,
      rateLimit: false,
    });
  const airbyte = () => new AirbyteClient({ baseUrl: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret });

  async function submit(proxy: ReturnType<typeof instance>, customerId: string, key: string) {
    const token = await createSessionToken({ secret: SECRET, customerId, allowedOrigin: ORIGIN });
    const started = performance.now();
    const res = await proxy(
      new Request(`${ORIGIN}/api/embed/sources`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, origin: ORIGIN, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ templateId: 'faker', config: { count: 3 } }),
      }),
    );
    const body = (await res.json()) as { source?: { sourceId: string } };
    return { status: res.status, ms: performance.now() - started, sourceId: body.source?.sourceId };
  }

  it('scenario 2: onboards many customers at once through one proxy process', async () => {
    const customers = size(40, 200);
    const proxy = instance();
    const warm = await submit(proxy, 'load-warmup', 'load-warmup-key');
    const single = [];
    for (let i = 0; i < 3; i++) single.push((await submit(proxy, `load-single-${i}`, `load-single-key-${i}`)).ms);
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: customers }, (_, i) => submit(proxy, `load-${i}`, `load-key-${i}`)));
    const wall = performance.now() - started;
    const ok = results.filter((r) => r.status === 201).length;
    const p50 = percentile(results.map((r) => r.ms), 50);
    const p95 = percentile(results.map((r) => r.ms), 95);
    const singleMs = percentile(single, 50);
    report('2 load', [
      {
        scenario: '2 load',
        check: `${customers} new customers onboarding at once (one process, PostgreSQL)`,
        tried: customers,
        held: ok,
        note: `single onboarding ${singleMs.toFixed(0)} ms; under load p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms (${(p95 / singleMs).toFixed(1)}× single); all done in ${(wall / 1000).toFixed(1)} s`,
      },
    ]);
    expect(warm.status).toBe(201);
    expect(ok).toBe(customers);
  });

  it('scenario 3: two instances get the same new customer’s first submit at once: one workspace, one source', async () => {
    const rounds = size(20, 100);
    const a = instance();
    const b = instance();
    let held = 0;
    const problems: string[] = [];
    for (let i = 0; i < rounds; i++) {
      const customer = `race2-${i}`;
      const [ra, rb] = await Promise.all([submit(a, customer, `race2-key-${i}`), submit(b, customer, `race2-key-${i}`)]);
      if (ra.status === 201 && rb.status === 201 && ra.sourceId === rb.sourceId) held++;
      else problems.push(`${customer}: ${ra.status}/${rb.status}`);
    }
    const client = airbyte();
    const workspaces = (await client.listWorkspaces()).filter((w) => w.name.startsWith('race2-'));
    const perWorkspace = await Promise.all(workspaces.map((w) => client.listSources(w.workspaceId)));
    const exactlyOne = perWorkspace.filter((s) => s.length === 1).length;
    report('3 two instances', [
      { scenario: '3 two instances', check: 'both answers name the same source', tried: rounds, held },
      { scenario: '3 two instances', check: 'exactly one workspace and one source per customer', tried: rounds, held: new Set(workspaces.map((w) => w.name)).size === workspaces.length && workspaces.length === rounds ? exactlyOne : 0 },
    ]);
    expect(problems).toEqual([]);
    expect(workspaces).toHaveLength(rounds);
    expect(exactlyOne).toBe(rounds);
  });
});
