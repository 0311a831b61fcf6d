/**
 * A proxy + emulator (test/server/harness.ts) with a webhook receiver in process: the worker's
 * POSTs reach `receiver`, which records them and answers what the test says.
 */
import type { EmbedProxyOptions } from '../../../src/server/proxy.ts';
import type { ProxyStore } from '../../../src/server/store/proxyStore.ts';
import { verifyWebhook } from '../../../src/server/webhooks/verify.ts';
import { harness, ORIGIN, type HarnessOptions } from '../harness.ts';

export const OPERATOR_KEY = 'operator-key-0123456789abcdef';
export const RECEIVER_URL = 'https://hooks.example.com/airbyte';

/** One POST the receiver got. */
export interface Received {
  url: string;
  headers: Record<string, string>;
  body: string;
  json: { id: string; type: string; customerId: string; data: Record<string, unknown> };
}

/** A receiver: `answer` decides each response (default 204); `received` lists what came, answered or not. */
export function receiver() {
  const received: Received[] = [];
  const state = { answer: (_r: Received): number | 'hang' | 'network' => 204 };
  const fetchImpl: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const body = await request.text();
    const r: Received = { url: request.url, headers: Object.fromEntries(request.headers), body, json: JSON.parse(body) };
    received.push(r);
    const answer = state.answer(r);
    if (answer === 'network') throw new TypeError('fetch failed: connect ECONNREFUSED');
    // Hangs until the sender gives up (its timeout aborts the request), as a real socket would.
    if (answer === 'hang') return new Promise<Response>((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true }));
    return new Response(null, { status: answer });
  };
  return { received, fetch: fetchImpl, set answer(fn: (r: Received) => number | 'hang' | 'network') { state.answer = fn; } };
}

/** Empties the webhook tables of the shared test store (freshEmbeddedStore truncates only the older ones). */
export async function clearWebhookTables(store: ProxyStore) {
  await store.query('TRUNCATE aek_webhook_deliveries, aek_webhook_events, aek_webhook_endpoints, aek_notification_tokens, aek_notifications_seen, aek_credentials_broken');
}

/** The harness with the operator API on, the worker off (tests drive it) and `hook` as the receiver. */
export async function webhookHarness(hook: ReturnType<typeof receiver>, options: HarnessOptions = {}) {
  const h = await harness({ operatorKey: OPERATOR_KEY, ...options, proxy: { webhooks: { worker: false, fetch: hook.fetch }, ...options.proxy } });
  if (!options.store) await clearWebhookTables(h.store);
  const op = async (method: string, path: string, body?: unknown) => {
    const response = await h.proxy(new Request(`${ORIGIN}/api/embed/operator${path}`, { method, headers: { authorization: `Bearer ${OPERATOR_KEY}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }));
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  };
  return { ...h, op, worker: h.proxy.webhooks };
}

/** Connects a Stripe source for `customerId` (the demo template: one connection, first sync on). */
export async function connectStripe(h: Awaited<ReturnType<typeof webhookHarness>>, customerId: string, key = `connect-${customerId}-${crypto.randomUUID()}`) {
  const created = await h.call('POST', '/sources', { token: await h.token(customerId), body: { templateId: 'stripe', config: { account_id: `acct_${customerId}`, client_secret: 'sk_test_secret_value' } }, idempotencyKey: key });
  if (created.status !== 201) throw new Error(`connect failed: ${created.status} ${created.text}`);
  return created.json as { source: { sourceId: string }; connections: Array<{ connection: { connectionId: string }; firstJob: { jobId: number } | null }> };
}

/**
 * The harness with `publicUrl` set and the emulator's notifications sent (on flush) to the proxy in
 * process (`sent`: each with the proxy's status), and one operator endpoint for every event type.
 */
export async function inboundHarness(proxy: Partial<EmbedProxyOptions> = {}) {
  const hook = receiver();
  const ref: { proxy?: (r: Request) => Promise<Response> } = {};
  const sent: Array<{ url: string; body: string; status: number }> = [];
  const h = await webhookHarness(hook, {
    emulator: {
      notifications: {
        tickMs: 0,
        fetch: async (input, init) => {
          const request = new Request(input, init);
          const body = await request.clone().text();
          const response = await ref.proxy!(request);
          sent.push({ url: request.url, body, status: response.status });
          return response;
        },
      },
    },
    proxy: { ...proxy, webhooks: { worker: false, fetch: hook.fetch, publicUrl: ORIGIN, ...proxy.webhooks } },
  });
  ref.proxy = h.proxy;
  const endpoint = (await h.op('POST', '/webhooks/endpoints', { url: RECEIVER_URL })).json as { id: string; secret: string };
  /** Moves the clock past the running jobs' end, lets the emulator notify, and delivers the outbox. */
  async function settle(ms = 11_000) {
    h.clock.now += ms;
    await h.emulator.notifications.flush();
    await h.worker.drain();
  }
  const events = (type?: string) => hook.received.filter((r) => type === undefined || r.json.type === type);
  const verified = (r: Received) => verifyWebhook(new Request(RECEIVER_URL, { method: 'POST', headers: r.headers, body: r.body }), endpoint.secret);
  /** POSTs a body to the inbound route (or any URL) as Airbyte would. */
  const post = (url: string, body: string, contentType = 'application/json') => h.proxy(new Request(url, { method: 'POST', headers: { 'content-type': contentType }, body }));
  return { ...h, hook, endpoint, settle, events, verified, sent, post };
}
