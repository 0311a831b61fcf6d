/**
 * Proxy load: p50/p99 latency and requests per second of "list my sources" through the kit's
 * proxy against the same listing made straight to the Airbyte emulator, at several numbers of
 * concurrent connections, with autocannon as the load generator; then the proxy's heap before and
 * after many requests.
 *
 * One process, three threads: the proxy (wired as in demo/server.ts) on the main thread, the
 * emulator in a worker thread (it stands in for Airbyte's own servers, so its CPU must not queue on
 * the proxy's event loop, and the heap readings are then the proxy's alone), and autocannon in
 * another worker so the load generator does not queue behind what it measures either. Latencies
 * are taken per response from autocannon's `response` event (sub-millisecond), not from its
 * histogram (whole milliseconds).
 */
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import type autocannon from 'autocannon';
import { AirbyteClient, createEmbedProxy, createEmbeddedStore, createSessionToken, loadTemplatesFile, toNodeListener } from '../../src/server.ts';
import { quantile, type Row } from './report.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');

interface Options {
  /** Measured seconds per target and connection count (after a 1 s warm-up that is not counted). */
  durationSeconds: number;
  connections: number[];
  /** Requests sent through the proxy between the two memory readings. */
  memoryRequests: number;
  /** Simulated Airbyte latencies to measure under (0: the emulator answers at once). */
  latenciesMs: number[];
  log: (line: string) => void;
}

/** One autocannon run, as the worker reports it. */
interface LoadResult {
  /** Per-response latencies in ms (every status). */
  latencies: Float64Array;
  completed: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Seconds, as autocannon measured the run. */
  duration: number;
  statusCodeStats: Record<string, { count?: number }>;
}

type LoadOptions = Pick<autocannon.Options, 'url' | 'connections' | 'duration' | 'amount' | 'headers' | 'timeout'>;

/** Runs autocannon in a worker thread (plain CommonJS, so it needs no TypeScript loader). */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const autocannon = require(workerData.autocannonPath);
const latencies = [];
const instance = autocannon(workerData.opts, (error, r) => {
  if (error) return parentPort.postMessage({ error: String(error && error.stack || error) });
  parentPort.postMessage({
    latencies: Float64Array.from(latencies),
    completed: r.totalCompletedRequests, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts,
    duration: r.duration, statusCodeStats: r.statusCodeStats,
  });
});
instance.on('response', (_client, _status, _bytes, ms) => { latencies.push(ms); });
`;

const require = createRequire(import.meta.url);
const autocannonPath = require.resolve('autocannon');

/** Starts the emulator in a worker thread (TypeScript through tsx's loader, registered there). */
const EMULATOR_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.tsxApi)
  .then(({ register }) => { register(); return import(workerData.testing); })
  .then(async ({ startAirbyteEmulator }) => {
    const emulator = await startAirbyteEmulator(workerData.options);
    parentPort.postMessage({ url: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret });
    parentPort.on('message', async (message) => {
      if (message && message.faults) {
        emulator.faults.set(message.faults);
        parentPort.postMessage({ faultsSet: true });
        return;
      }
      await emulator.close();
      parentPort.postMessage({ closed: true });
    });
  })
  .catch((error) => parentPort.postMessage({ error: String(error && error.stack || error) }));
`;

interface EmulatorThread {
  url: string;
  clientId: string;
  clientSecret: string;
  /** Every call answered `latencyMs` later (0: at once), as Airbyte's network and servers would. */
  setLatency(latencyMs: number): Promise<void>;
  close(): Promise<void>;
}

async function startEmulatorThread(): Promise<EmulatorThread> {
  const worker = new Worker(EMULATOR_WORKER, {
    eval: true,
    workerData: {
      tsxApi: import.meta.resolve('tsx/esm/api'),
      testing: pathToFileURL(path.join(root, 'src/testing.ts')).href,
      options: { jobDurationMs: 3_600_000, discoverMs: 0 },
    },
  });
  const next = () =>
    new Promise<Record<string, string>>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  const started = await next();
  if (started.error) {
    await worker.terminate();
    throw new Error(`The emulator worker failed: ${started.error}`);
  }
  return {
    url: started.url!,
    clientId: started.clientId!,
    clientSecret: started.clientSecret!,
    async setLatency(latencyMs) {
      worker.postMessage({ faults: latencyMs ? [{ kind: 'latency', latencyMs }] : [] });
      await next();
    },
    async close() {
      worker.postMessage('close');
      await next();
      await worker.terminate();
    },
  };
}

function load(opts: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { autocannonPath, opts: { timeout: 30, ...opts } } });
    let settled = false;
    worker.once('message', (message: LoadResult | { error: string }) => {
      settled = true;
      if ('error' in message) reject(new Error(`autocannon failed: ${message.error}`));
      else resolve(message);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`The autocannon worker exited (${code}) without a result.`));
    });
  });
}

/** The process's gc(), exposing it at run time when node was started without --expose-gc. */
function obtainGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
const round = (ms: number) => Math.round(ms * 100) / 100;

export async function measureProxyLoad(options: Options): Promise<Row[]> {
  const { log } = options;
  const rows: Row[] = [];
  const emulator = await startEmulatorThread();
  const store = createEmbeddedStore();
  let server: Server | undefined;
  try {
    const sessionSecret = crypto.randomUUID() + crypto.randomUUID();
    // A ready client, so its requestCount tells how many upstream calls one proxied request makes.
    const airbyte = new AirbyteClient({ baseUrl: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret });
    const proxy = createEmbedProxy({
      airbyte,
      sessionSecret,
      templates: await loadTemplatesFile(path.join(root, 'demo/templates.json')),
      store,
      rateLimit: false,
      log: () => {},
    });
    const listening = createServer(toNodeListener(proxy));
    server = listening;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(0, '127.0.0.1', () => resolve());
    });
    const origin = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    const customerId = 'bench-customer';
    const token = await createSessionToken({ secret: sessionSecret, customerId, allowedOrigin: origin, expiresIn: 3600 });
    const proxyHeaders = { origin, authorization: `Bearer ${token}` };

    // One customer with three sources, so listing them does real work.
    log('proxy load: seeding 3 sources');
    for (let i = 1; i <= 3; i++) {
      const res = await fetch(`${origin}/api/embed/sources`, {
        method: 'POST',
        headers: { ...proxyHeaders, 'content-type': 'application/json', 'idempotency-key': `bench-seed-${i}` },
        body: JSON.stringify({ templateId: 'faker', name: `Bench source ${i}`, config: { count: 10 } }),
      });
      if (res.status !== 201) throw new Error(`Seeding source ${i} answered ${res.status}: ${await res.text()}`);
    }
    const workspaceId = await store.getWorkspaceId(customerId);
    if (!workspaceId) throw new Error('The seeded customer has no workspace.');

    // The direct caller: the emulator with its own access token.
    const tokenRes = await fetch(`${emulator.url}/applications/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: emulator.clientId, client_secret: emulator.clientSecret, 'grant-type': 'client_credentials' }),
    });
    const accessToken = ((await tokenRes.json()) as { access_token: string }).access_token;
    const directHeaders = { authorization: `Bearer ${accessToken}` };

    // Check both answers once, and count the upstream calls one proxied request makes.
    const upstreamCalls = async (url: string) => {
      const before = airbyte.requestCount;
      const res = await fetch(url, { headers: proxyHeaders });
      if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
      return { calls: airbyte.requestCount - before, body: (await res.json()) as { data: Array<{ connections: Array<{ connection: { connectionId: string } }> }> } };
    };
    const listUrl = { proxy: `${origin}/api/embed/sources`, direct: `${emulator.url}/sources?workspaceIds=${workspaceId}` };
    const listed = await upstreamCalls(listUrl.proxy);
    if (listed.body.data.length !== 3) throw new Error(`The proxy listed ${listed.body.data.length} sources, not 3.`);
    const directList = (await (await fetch(listUrl.direct, { headers: directHeaders })).json()) as { data: unknown[] };
    if (directList.data.length !== 3) throw new Error(`The emulator listed ${directList.data.length} sources, not 3.`);
    const connectionId = listed.body.data[0]!.connections[0]!.connection.connectionId;
    const connUrl = { proxy: `${origin}/api/embed/connections/${connectionId}`, direct: `${emulator.url}/connections/${connectionId}` };
    const connCalls = (await upstreamCalls(connUrl.proxy)).calls;

    /** Warm-up (not counted), then the measured run. */
    const measure = async (label: string, url: string, headers: Record<string, string>, connections: number): Promise<LoadResult> => {
      await load({ url, headers, connections, duration: 1 });
      const r = await load({ url, headers, connections, duration: options.durationSeconds });
      log(`  ${label}: ${r.completed} requests, ${Math.round(r.completed / r.duration)} req/s, p50 ${round(quantile([...r.latencies], 0.5))} ms, p99 ${round(quantile([...r.latencies], 0.99))} ms, ${r.non2xx} non-2xx, ${r.errors} errors`);
      if (r.non2xx) throw new Error(`${label}: ${r.non2xx} non-2xx responses (${JSON.stringify(r.statusCodeStats)}); the numbers would be meaningless.`);
      if (!r.completed) throw new Error(`${label}: no request completed (${r.errors} errors, ${r.timeouts} timeouts).`);
      return r;
    };

    const compare = async (what: string, urls: { proxy: string; direct: string }, connections: number, callsNote: string, goal: boolean) => {
      log(`proxy load: ${what}, ${connections} connections`);
      const direct = await measure('direct', urls.direct, directHeaders, connections);
      const kit = await measure('proxy', urls.proxy, proxyHeaders, connections);
      const counts = (r: LoadResult) => `${r.completed} req, ${r.non2xx} non-2xx, ${r.errors} errors`;
      const name = `${what}, ${connections} connection${connections === 1 ? '' : 's'}`;
      const p = (r: LoadResult, q: number) => round(quantile([...r.latencies], q));
      const rps = (r: LoadResult) => Math.round(r.completed / r.duration);
      const row = (measureName: string, k: number, b: number, unit: string, goalText: string, met: boolean, note: string): Row => ({
        section: 'proxy',
        name: `${name}: ${measureName}`,
        kit: k,
        baseline: b,
        unit,
        ratio: k / b,
        goal: goalText,
        met,
        note,
      });
      const p50 = { kit: p(kit, 0.5), base: p(direct, 0.5) };
      rows.push(
        row('p50 latency', p50.kit, p50.base, 'ms', goal ? '≤ 1.3× direct' : '', p50.kit / p50.base <= 1.3, callsNote),
        row('p99 latency', p(kit, 0.99), p(direct, 0.99), 'ms', '', true, ''),
        row('requests/s', rps(kit), rps(direct), 'req/s', '', true, `proxy ${counts(kit)}; direct ${counts(direct)}`),
      );
    };

    const listNote = `one proxied list = ${listed.calls} upstream calls in parallel (the workspace's connections and newest jobs) vs 1 direct GET /sources`;
    for (const latency of options.latenciesMs) {
      await emulator.setLatency(latency);
      const when = latency ? `Airbyte answering in ${latency} ms` : 'emulator answering at once';
      for (const c of options.connections) await compare(`list sources (${when})`, listUrl, c, listNote, true);
      // Not named in the issue: a route with one read per upstream call shows the proxy's own cost.
      const extraC = options.connections[Math.floor(options.connections.length / 2)] ?? 16;
      await compare(`[extra] get connection (${when})`, connUrl, extraC, `proxy makes ${connCalls} upstream calls (the connection and its newest job) vs 1 direct GET /connections/:id`, false);
    }
    await emulator.setLatency(0);

    // Memory: heap after a warm-up, then after memoryRequests more requests through the proxy.
    const gc = obtainGc();
    const settle = async () => {
      for (let i = 0; i < 3; i++) {
        gc();
        await new Promise((r) => setImmediate(r));
      }
      return process.memoryUsage();
    };
    log('proxy load: memory, warm-up 1,000 requests');
    const warm = await load({ url: listUrl.proxy, headers: proxyHeaders, connections: 16, amount: 1000 });
    if (warm.non2xx) throw new Error(`memory warm-up: ${warm.non2xx} non-2xx responses`);
    const before = await settle();
    log(`proxy load: memory, ${options.memoryRequests} requests`);
    const run = await load({ url: listUrl.proxy, headers: proxyHeaders, connections: 16, amount: options.memoryRequests });
    if (run.non2xx) throw new Error(`memory run: ${run.non2xx} non-2xx responses (${JSON.stringify(run.statusCodeStats)})`);
    const after = await settle();
    log(`  ${run.completed} requests in ${run.duration} s (${Math.round(run.completed / run.duration)} req/s)`);
    log(`  heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)} MB, rss ${mb(before.rss)} → ${mb(after.rss)} MB`);
    const heapRatio = after.heapUsed / before.heapUsed;
    rows.push({
      section: 'proxy',
      name: `list sources: heap after ${options.memoryRequests.toLocaleString('en-US')} requests`,
      kit: mb(after.heapUsed),
      baseline: mb(before.heapUsed),
      unit: 'MB',
      ratio: heapRatio,
      goal: '≤ 1.1× before',
      met: heapRatio <= 1.1,
      note: `after GC; rss ${mb(before.rss)} → ${mb(after.rss)} MB; main thread = proxy only (emulator, autocannon in workers); ${run.completed} req, ${run.errors} errors`,
    });
    return rows;
  } finally {
    if (server?.listening) {
      const open = server;
      open.closeAllConnections();
      await new Promise<void>((resolve) => open.close(() => resolve()));
    }
    await emulator.close();
    await store.close();
  }
}
