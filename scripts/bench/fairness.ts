/**
 * Fairness: another customer's latency while one customer bursts. Customer B reads its manage
 * view (GET /sources: the store, then two Airbyte calls) one request after another, first alone,
 * then while customer A submits `burst` onboardings at once (each several Airbyte calls), with
 * Airbyte answering every call after `latencyMs`. On PostgreSQL when one answers at
 * AEK_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test), else on PGlite.
 * Goal: B's p95 under the burst at most 1.5× its p95 alone.
 */
import pg from 'pg';
import templatesJson from '../../demo/templates.json';
import { AirbyteClient, createEmbedProxy, createEmbeddedStore, createPostgresStore, createSessionToken, parseTemplates, type ProxyStore } from '../../src/server.ts';
import { createAirbyteEmulatorHandler, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '../../src/testing/emulator.ts';
import { quantile, type Row } from './report.ts';

const ORIGIN = 'https://app.example.com';
const SECRET = 'bench-session-secret-0123456789abcdef0123456789';
const POSTGRES_URL = process.env.AEK_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresStore(): Promise<{ store: ProxyStore; label: string; drop: () => Promise<void> } | undefined> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch {
    return undefined;
  }
  const schema = `aek_bench_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}`, max: 10 });
  return {
    store: createPostgresStore({ pool }),
    label: 'PostgreSQL (pool of 10)',
    drop: async () => {
      await pool.end();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

export async function measureFairness(options: { burst: number; reads: number; latencyMs: number; log: (line: string) => void }): Promise<Row[]> {
  const db = (await postgresStore()) ?? { store: createEmbeddedStore(), label: 'PGlite', drop: async () => undefined };
  const emulator = await createAirbyteEmulatorHandler({ jobDurationMs: 60_000, discoverMs: 0 });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const airbyte = new AirbyteClient({
    baseUrl: 'http://emulator.bench/v1',
    clientId: DEFAULT_CLIENT_ID,
    clientSecret: DEFAULT_CLIENT_SECRET,
    fetch: async (input, init) => {
      await sleep(options.latencyMs);
      return emulator.handle(new Request(input, init));
    },
  });
  const proxy = createEmbedProxy({ airbyte, sessionSecret: SECRET, store: db.store, templates: parseTemplates(structuredClone(templatesJson)), rateLimit: false, ipRateLimit: false, log: () => undefined });
  const tokenA = await createSessionToken({ secret: SECRET, customerId: 'bench-a', allowedOrigin: ORIGIN });
  const tokenB = await createSessionToken({ secret: SECRET, customerId: 'bench-b', allowedOrigin: ORIGIN });
  const call = async (method: string, path: string, token: string, body?: unknown, key?: string) => {
    const res = await proxy(
      new Request(`${ORIGIN}/api/embed${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, origin: ORIGIN, ...(body ? { 'content-type': 'application/json' } : {}), ...(key ? { 'idempotency-key': key } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      }),
    );
    await res.arrayBuffer();
    return res.status;
  };
  const faker = { templateId: 'faker', config: { count: 10 } };
  try {
    // Both customers exist, with a source each, before anything is timed.
    await call('POST', '/sources', tokenA, faker, 'bench-a-warm-0000');
    await call('POST', '/sources', tokenB, faker, 'bench-b-warm-0000');
    const readB = async () => {
      const times: number[] = [];
      for (let i = 0; i < options.reads; i++) {
        const t0 = performance.now();
        const status = await call('GET', '/sources', tokenB);
        if (status !== 200) throw new Error(`customer B's read answered ${status}`);
        times.push(performance.now() - t0);
      }
      return times;
    };
    const alone = await readB();
    let statuses: number[] = [];
    const burstStart = performance.now();
    const burst = Promise.all(Array.from({ length: options.burst }, (_, i) => call('POST', '/sources', tokenA, faker, `bench-burst-${i}-0000`))).then((s) => (statuses = s));
    const underBurst = await readB();
    await burst;
    const burstMs = performance.now() - burstStart;
    const p95Alone = quantile(alone, 0.95);
    const p95Burst = quantile(underBurst, 0.95);
    const ok = statuses.filter((s) => s === 201).length;
    options.log(`  another customer's GET /sources p95: ${p95Burst.toFixed(0)} ms under a burst of ${options.burst} onboardings, ${p95Alone.toFixed(0)} ms alone (${(p95Burst / p95Alone).toFixed(2)}×); ${ok}/${options.burst} onboardings created, the burst took ${burstMs.toFixed(0)} ms`);
    return [
      {
        section: 'fairness',
        name: `another customer's GET /sources p95 during one customer's burst of ${options.burst} onboardings`,
        kit: p95Burst,
        baseline: p95Alone,
        unit: 'ms',
        ratio: p95Burst / p95Alone,
        goal: '≤ 1.5× alone',
        met: p95Burst / p95Alone <= 1.5,
        note: `${db.label}; Airbyte answering in ${options.latencyMs} ms; ${options.reads} reads each; ${ok}/${options.burst} onboardings succeeded (others got 429 past the queue)`,
      },
    ];
  } finally {
    await db.store.close().catch(() => undefined);
    await db.drop();
  }
}
