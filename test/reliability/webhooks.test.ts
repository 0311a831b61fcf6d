/**
 * Scenario 8: webhooks that lose nothing. N syncs across M customers (full: 1,000 / 100; short:
 * 60 / 10) through a proxy in its own process, Airbyte (the emulator) notifying it of every job's
 * end; the operator's receiver (a real HTTP server here, checking every request with
 * verifyWebhook) fails 30 % of requests (500s, dropped connections, answers slower than the
 * worker waits), and the proxy is SIGKILLed mid-delivery (requests held open at the receiver) and
 * started again over the same store. Every emitted event must arrive, exactly the emitted set by
 * `webhook-id`, each customer's in order; duplicates only of deliveries in flight at a kill.
 *
 * Time is compressed: the worker runs the Standard Webhooks schedule scaled 1 h → 1 s (its
 * `schedule` option; same steps, same count before `dead`), polls every 25 ms and waits 1 s for
 * an answer (a lease is then 6 s). The receiver never fails one event's 7th attempt or later, so
 * nothing goes dead by chance (0.3^8 per event would be 0.14 dead a full run): dead letters and
 * their replay are delivery.test.ts's.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createSessionToken } from '../../src/server/sessionToken.ts';
import { RETRY_SCHEDULE_MS } from '../../src/server/webhooks/delivery.ts';
import { verifyWebhook } from '../../src/server/webhooks/verify.ts';
import { startAirbyteEmulator, type AirbyteEmulator } from '../../src/testing/emulator.ts';
import { FULL, report, size } from './figures.ts';
import { killProxyProcess, sharedProxyStore, startProxyProcess, type ProxyChild } from './proxyChild.ts';

const SEED = Number(process.env.RELIABILITY_SEED ?? 19);
const CUSTOMERS = size(10, 100);
const SYNCS = size(60, 1000);
const ROUNDS = SYNCS / CUSTOMERS;
/** After which rounds' notifications the proxy is killed (round 0 is the connects and first syncs). */
const KILL_AFTER = FULL ? [2, 5, 8] : [2];
const FAIL_RATE = 0.3;
const SYNC_FAIL_RATE = 0.2;
/** Attempts after which the receiver stops failing an event (the schedule allows 8). */
const MAX_FAILED_ATTEMPTS = 6;
const WORKER = { pollMs: 25, timeoutMs: 1000, leaseMs: 6000, batchSize: 200, schedule: RETRY_SCHEDULE_MS.map((ms) => Math.round(ms / 3600)) };
const SECRET = 'webhooks-reliability-session-secret-0123456789';
const OPERATOR_KEY = 'webhooks-reliability-operator-key-0123456789';
const ORIGIN = 'https://app.example.com';
const JOB_MS = 1000;

/** A seeded die in [0, 1): the same (seed, parts) always rolls the same, whatever the order of requests. */
function roll(...parts: Array<string | number>): number {
  return createHash('sha256').update([SEED, ...parts].join(':')).digest().readUInt32BE(0) / 2 ** 32;
}

type Fault = '500' | 'drop' | 'timeout';
interface Receipt {
  id: string;
  type: string;
  customerId: string;
  order: number;
}

/**
 * The operator's receiver: verifies each request with verifyWebhook (400 when it does not verify),
 * fails 30 % (seeded by event id and attempt), records what it accepted with 2xx. Mode `hold`
 * keeps new requests open, unanswered; once `killReady` and two or more are held, the next
 * request is accepted and `onKill` called as its answer is written, so the proxy dies with
 * requests in flight and one accepted but not yet recorded as delivered.
 */
function startReceiver(secret: () => string) {
  const attempts = new Map<string, number>();
  const receipts: Receipt[] = [];
  const faults: Record<Fault, number> = { '500': 0, drop: 0, timeout: 0 };
  const held = new Map<ServerResponse, string>();
  const state = { mode: 'normal' as 'normal' | 'hold' | 'kill-next' | 'killed', killReady: false, onKill: () => {}, requests: 0, verified: 0, refused: [] as string[] };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      state.requests++;
      const body = Buffer.concat(chunks).toString('utf8');
      let event;
      try {
        event = await verifyWebhook({ headers: req.headers, body }, secret());
      } catch (error) {
        state.refused.push((error as Error).message);
        res.writeHead(400).end();
        return;
      }
      state.verified++;
      const attempt = (attempts.get(event.id) ?? 0) + 1;
      attempts.set(event.id, attempt);
      if (state.mode === 'hold' && state.killReady && held.size >= 2) state.mode = 'kill-next';
      if (state.mode === 'hold' || state.mode === 'killed') {
        held.set(res, event.id);
        res.on('close', () => held.delete(res));
        return;
      }
      if (state.mode === 'kill-next') {
        // Accepted, and the sender dies before it can record that: this one must come again.
        state.mode = 'killed';
        receipts.push({ id: event.id, type: event.type, customerId: event.customerId, order: receipts.length });
        res.writeHead(204).end(() => state.onKill());
        return;
      }
      if (attempt <= MAX_FAILED_ATTEMPTS && roll('fail', event.id, attempt) < FAIL_RATE) {
        const kind = roll('kind', event.id, attempt);
        if (kind < 0.5) {
          faults['500']++;
          res.writeHead(500, { 'content-type': 'text/plain' }).end('receiver down');
        } else if (kind < 0.8) {
          faults.drop++;
          req.socket.destroy();
        } else {
          // Answers after the worker gave up (its 1 s timeout): the worker must treat it as failed.
          faults.timeout++;
          setTimeout(() => !res.destroyed && res.writeHead(204).end(), WORKER.timeoutMs + 500).unref();
        }
        return;
      }
      receipts.push({ id: event.id, type: event.type, customerId: event.customerId, order: receipts.length });
      res.writeHead(204).end();
    });
  });
  return {
    receipts,
    faults,
    held,
    state,
    attempts,
    async listen(): Promise<string> {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/airbyte`;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Runs `fn` over `items`, `n` at a time. */
async function pool<T, R>(items: T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function waitFor(what: string, ms: number, check: () => boolean | Promise<boolean>): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('scenario 8: webhooks', () => {
  it(`delivers every event of ${SYNCS} syncs across ${CUSTOMERS} customers once by id, in order, through a 30 % failing receiver and ${KILL_AFTER.length} SIGKILL(s)`, async () => {
    const started = performance.now();
    let clock = Date.now();
    const emulator: AirbyteEmulator = await startAirbyteEmulator({
      now: () => clock,
      jobDurationMs: JOB_MS,
      discoverMs: 0,
      jobOutcome: (job) => (roll('job', job.jobId) < SYNC_FAIL_RATE ? { status: 'failed', failure: { failureOrigin: 'destination', failureType: 'system_error', externalMessage: 'The warehouse ran out of disk' } } : 'succeeded'),
      notifications: { tickMs: 0 },
    });
    cleanups.push(() => emulator.close());
    const store = await sharedProxyStore('webhooks');
    cleanups.push(store.cleanup);
    let secret = '';
    const receiver = startReceiver(() => secret);
    const receiverUrl = await receiver.listen();
    cleanups.push(receiver.close);
    const port = await freePort();
    const env = { ...store.env, EMULATOR_URL: emulator.url, SESSION_SECRET: SECRET, OPERATOR_KEY, PORT: String(port), WEBHOOKS_PUBLIC_URL: `http://127.0.0.1:${port}`, WEBHOOK_WORKER: JSON.stringify(WORKER) };
    let proxy: ProxyChild = await startProxyProcess(env);
    cleanups.push(() => killProxyProcess(proxy));

    const operator = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`${proxy.url}/api/embed/operator${path}`, { method, headers: { authorization: `Bearer ${OPERATOR_KEY}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const json = await r.json();
      if (r.status >= 300) throw new Error(`operator ${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
      return json;
    };
    secret = (await operator('POST', '/webhooks/endpoints', { url: receiverUrl })).secret;

    const customers = Array.from({ length: CUSTOMERS }, (_, i) => `wh-customer-${String(i).padStart(3, '0')}`);
    const call = async (customerId: string, method: string, path: string, body?: unknown, idempotencyKey?: string) => {
      const token = await createSessionToken({ secret: SECRET, customerId, allowedOrigin: ORIGIN });
      const r = await fetch(`${proxy.url}/api/embed${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, origin: ORIGIN, 'content-type': 'application/json', ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = await r.json();
      if (r.status >= 300) throw new Error(`${customerId} ${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
      return json;
    };

    // What the test expects to be emitted: (type, customer, the source or job it is about).
    const expected: string[] = [];
    const connectionOf = new Map<string, string>();
    const kills: Array<{ held: string[]; leased: string[] }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      const jobs = await pool(customers, 4, async (c) => {
        if (round === 0) {
          const created = await call(c, 'POST', '/sources', { templateId: 'stripe', config: { account_id: `acct_${c}`, client_secret: 'sk_test_secret_value' } }, `wh-connect-${c}`);
          connectionOf.set(c, created.connections[0].connection.connectionId);
          expected.push(`source.connected ${c} ${created.source.sourceId}`);
          return created.connections[0].firstJob.jobId as number;
        }
        return (await call(c, 'POST', `/connections/${connectionOf.get(c)}/sync`)).jobId as number;
      });
      jobs.forEach((jobId, i) => expected.push(`sync.started ${customers[i]} ${jobId}`));
      // The jobs end by the emulator's clock; it notifies the proxy (one after another, as Airbyte
      // does, and never retried: so the proxy is never killed while this runs).
      const killing = KILL_AFTER.includes(round);
      if (killing) receiver.state.mode = 'hold';
      clock += JOB_MS + 1;
      const before = emulator.notifications.sent.length;
      await emulator.notifications.flush();
      const sent = emulator.notifications.sent.slice(before);
      expect(sent.map((s) => s.status)).toEqual(jobs.map(() => 200));
      for (const s of sent) expected.push(`${s.kind === 'success' ? 'sync.succeeded' : 'sync.failed'} ${customers[jobs.indexOf(s.jobId)]} ${s.jobId}`);

      if (killing) {
        // Mid-delivery: with two or more requests held open at the receiver, the next one is accepted and the proxy SIGKILLed.
        const dying = proxy;
        let held: string[] = [];
        const dead = new Promise<void>((resolve) => {
          receiver.state.onKill = () => {
            dying.child.kill('SIGKILL');
            held = [...receiver.held.values()];
            resolve();
          };
        });
        receiver.state.killReady = true;
        await waitFor('a delivery to kill the proxy at', 20_000, () => receiver.state.mode === 'killed');
        await dead;
        await killProxyProcess(dying);
        for (const res of receiver.held.keys()) res.destroy();
        receiver.state.mode = 'normal';
        receiver.state.killReady = false;
        // What the dead process had claimed and not recorded as settled: the only ones that may come twice.
        const leased = await store.read((s) => s.query<{ id: string }>("SELECT ev.id FROM aek_webhook_deliveries d JOIN aek_webhook_events ev ON ev.seq = d.event_seq WHERE d.status = 'pending' AND d.lease_until IS NOT NULL"));
        kills.push({ held, leased: leased.map((r) => r.id) });
        proxy = await startProxyProcess(env);
      }
    }

    // Everything settles: nothing pending, nothing dead (the operator API says so).
    await waitFor('the outbox to empty', FULL ? 300_000 : 120_000, async () => {
      const [pending, dead] = await Promise.all([operator('GET', '/webhooks/deliveries?status=pending&limit=1'), operator('GET', '/webhooks/deliveries?status=dead&limit=1')]);
      if (dead.data.length) throw new Error(`a delivery went dead: ${JSON.stringify(dead.data[0])}`);
      return pending.data.length === 0;
    });
    const wallMs = performance.now() - started;
    await killProxyProcess(proxy);

    const emitted = await store.read((s) =>
      s.query<{ id: string; type: string; customer_id: string; seq: string | number; payload: { data: Record<string, unknown> } }>('SELECT id, type, customer_id, seq, payload FROM aek_webhook_events ORDER BY seq'),
    );
    const payload = (p: unknown) => (typeof p === 'string' ? JSON.parse(p) : p) as { data: Record<string, unknown> };
    const emittedFacts = emitted.map((e) => `${e.type} ${e.customer_id} ${e.type === 'source.connected' ? payload(e.payload).data.sourceId : payload(e.payload).data.jobId}`);
    const emittedIds = new Set(emitted.map((e) => e.id));

    const firstReceipt = new Map<string, Receipt>();
    const copies = new Map<string, number>();
    for (const r of receiver.receipts) {
      if (!firstReceipt.has(r.id)) firstReceipt.set(r.id, r);
      copies.set(r.id, (copies.get(r.id) ?? 0) + 1);
    }
    const duplicates = [...copies].filter(([, n]) => n > 1).map(([id]) => id);
    const inFlight = new Set(kills.flatMap((k) => k.leased));
    const unexplained = duplicates.filter((id) => !inFlight.has(id));
    const missing = [...emittedIds].filter((id) => !firstReceipt.has(id));
    const unknown = [...firstReceipt.keys()].filter((id) => !emittedIds.has(id));
    // Per customer, first receipts in the order the events were recorded.
    const outOfOrder = customers.filter((c) => {
      const orders = emitted.filter((e) => e.customer_id === c).map((e) => firstReceipt.get(e.id)?.order ?? -1);
      return orders.some((o, i) => i > 0 && o < orders[i - 1]!);
    });
    const failedAttempts = receiver.faults['500'] + receiver.faults.drop + receiver.faults.timeout;
    const heldAtKills = kills.reduce((n, k) => n + k.held.length, 0);
    const sorted = (xs: string[]) => [...xs].sort();
    const expectedMatched = expected.length === emittedFacts.length && JSON.stringify(sorted(expected)) === JSON.stringify(sorted(emittedFacts));

    const scenario = '8 webhooks';
    report(scenario, [
      {
        scenario,
        check: `every emitted event received, deduplicated by webhook-id equal to the emitted set (${SYNCS} syncs, ${CUSTOMERS} customers, receiver failing ${FAIL_RATE * 100} %, ${kills.length} SIGKILL mid-delivery, ${store.kind})`,
        tried: emitted.length,
        held: emitted.length - missing.length - (unknown.length ? emitted.length : 0),
        note: `${receiver.receipts.length} accepted receipts, ${receiver.state.requests} requests, wall ${(wallMs / 1000).toFixed(1)} s`,
      },
      { scenario, check: 'emitted = expected: source.connected per customer, sync.started and sync.succeeded/failed per sync', tried: expected.length, held: expectedMatched ? expected.length : 0, note: `${emitted.filter((e) => e.type === 'sync.failed').length} syncs failed (seeded)` },
      {
        scenario,
        check: 'duplicates by webhook-id only of deliveries in flight at a SIGKILL',
        tried: duplicates.length,
        held: duplicates.length - unexplained.length,
        note: `${duplicates.length} duplicate(s); ${inFlight.size} deliveries claimed and unsettled at the kills, ${heldAtKills} requests held open at the receiver`,
      },
      { scenario, check: 'per customer, first receipts in event order', tried: customers.length, held: customers.length - outOfOrder.length },
      { scenario, check: 'signatures verified by verifyWebhook', tried: receiver.state.requests, held: receiver.state.verified },
      {
        scenario,
        check: 'failed attempts retried until delivered (none dead)',
        tried: failedAttempts,
        held: missing.length ? 0 : failedAttempts,
        note: `${receiver.faults['500']} × 500, ${receiver.faults.drop} dropped, ${receiver.faults.timeout} past the 1 s timeout; schedule ${WORKER.schedule.join('/')} ms`,
      },
    ]);

    expect(receiver.state.refused).toEqual([]);
    expect(kills.map((k) => k.held.length > 0)).toEqual(KILL_AFTER.map(() => true));
    expect(sorted(emittedFacts)).toEqual(sorted(expected));
    expect(missing).toEqual([]);
    expect(unknown).toEqual([]);
    expect(unexplained).toEqual([]);
    expect(outOfOrder).toEqual([]);
    expect(failedAttempts).toBeGreaterThan(0);
  }, 900_000);
});
