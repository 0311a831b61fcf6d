import { Webhook } from 'standardwebhooks';
import type { ProxyStore } from '../store/proxyStore.ts';
import { endpoints } from './endpoints.ts';

/**
 * Delays before each retry, in ms: the Standard Webhooks schedule (immediately, then 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 10 h: about 27.5 h in all, so a receiver down for a day still gets
 * everything). Each delay gets 0–20 % of jitter on top (never less), so retries of many events
 * do not arrive in one burst. After the last, the delivery is `dead` (operator API: retry).
 */
export const RETRY_SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

/** Options of {@link createWebhookWorker}. */
export interface WebhookWorkerOptions {
  store: ProxyStore;
  /** The scheduling clock (next attempt, leases); the proxy's `now`. */
  now: () => number;
  /** The clock of the `webhook-timestamp` header, which receivers check against theirs; default `Date.now`. */
  wallClock?: (() => number) | undefined;
  fetch?: typeof fetch | undefined;
  log?: ((entry: { level: 'info' | 'warn' | 'error'; message: string; requestId: string }) => void) | undefined;
  /** How often to look for due deliveries; default 1000 ms. */
  pollMs?: number | undefined;
  /** Deliveries in flight at once while polling (and claimed per `runOnce`); default 25. */
  batchSize?: number | undefined;
  /** How long a receiver may take to answer; default 10 s (then: retry). */
  timeoutMs?: number | undefined;
  /** How long a claim lasts: an instance that dies mid-delivery leaves it to others after this; default 60 s. */
  leaseMs?: number | undefined;
  schedule?: number[] | undefined;
  random?: (() => number) | undefined;
}

/** The delivery worker: `start()` polls, `stop()` ends it; `runOnce()`/`drain()` for tests and scripts. */
export interface WebhookWorker {
  start(): void;
  /** Stops polling and waits for the claim and the deliveries under way. */
  stop(): Promise<void>;
  /** Looks for due deliveries now (an event was just recorded), when polling is on. */
  kick(): void;
  /** Claims and sends one batch of due deliveries; resolves to how many were attempted. */
  runOnce(): Promise<number>;
  /** Runs rounds until nothing is due (at most `maxRounds`, default 1000); resolves to attempts made. */
  drain(maxRounds?: number): Promise<number>;
}

type Claimed = { id: string; endpoint_id: string; attempts: number; event_id: string; payload: unknown };

/**
 * Sends the outbox's pending deliveries, signed in the Standard Webhooks format by the
 * `standardwebhooks` library (`webhook-id`: the event id, stable across retries; `webhook-timestamp`;
 * `webhook-signature`: `v1,<base64 HMAC-SHA256>`, one per active secret, space-separated).
 *
 * Claims use `FOR UPDATE SKIP LOCKED` and a lease in the row, so several proxy instances over
 * one PostgreSQL store never send the same delivery at once, and one that crashes mid-delivery
 * only delays it by the lease (delivery is at least once: receivers deduplicate on `webhook-id`).
 * Per endpoint and customer, events go in the order they were recorded: a later one waits while
 * an earlier one is pending (a dead one no longer holds the queue). A 2xx is delivered; 410 Gone
 * turns the endpoint off (its deliveries wait until it is enabled again); anything else, a
 * timeout or a network error, is retried on {@link RETRY_SCHEDULE_MS}.
 */
export function createWebhookWorker(options: WebhookWorkerOptions): WebhookWorker {
  const { store, now } = options;
  const wallClock = options.wallClock ?? Date.now;
  const send = options.fetch ?? fetch;
  const schedule = options.schedule ?? RETRY_SCHEDULE_MS;
  const random = options.random ?? Math.random;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const leaseMs = Math.max(options.leaseMs ?? 60_000, timeoutMs + 5_000);
  const batchSize = options.batchSize ?? 25;
  const log = options.log ?? ((e) => console.warn(JSON.stringify(e)));
  let timer: ReturnType<typeof setInterval> | undefined;
  let round: Promise<number> | undefined;
  let lastError = 0;

  async function claim(limit = batchSize): Promise<Claimed[]> {
    const at = now();
    return store.transaction((tx) =>
      tx.query<Claimed>(
        `WITH c AS (
           SELECT d.id FROM aek_webhook_deliveries d
             JOIN aek_webhook_endpoints ep ON ep.id = d.endpoint_id AND ep.enabled
            WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.lease_until IS NULL OR d.lease_until <= $1)
              AND NOT EXISTS (
                SELECT 1 FROM aek_webhook_deliveries e
                 WHERE e.endpoint_id = d.endpoint_id AND e.customer_id = d.customer_id AND e.status = 'pending' AND e.event_seq < d.event_seq)
            ORDER BY d.event_seq
            LIMIT $3
            FOR UPDATE OF d SKIP LOCKED
         ), u AS (
           UPDATE aek_webhook_deliveries d SET lease_until = $2, attempts = d.attempts + 1, last_attempt_at = $1
             FROM c WHERE d.id = c.id
           RETURNING d.id, d.endpoint_id, d.attempts, d.event_seq
         )
         SELECT u.id, u.endpoint_id, u.attempts, ev.id AS event_id, ev.payload FROM u JOIN aek_webhook_events ev ON ev.seq = u.event_seq ORDER BY u.event_seq`,
        [at, at + leaseMs, limit],
      ),
    );
  }

  async function settle(d: Claimed, outcome: { ok: true; status: number } | { ok: false; status?: number; error: string; gone?: boolean }): Promise<void> {
    const at = now();
    if (outcome.ok) {
      await store.query("UPDATE aek_webhook_deliveries SET status = 'delivered', delivered_at = $2, last_status = $3, last_error = NULL, lease_until = NULL WHERE id = $1", [d.id, at, outcome.status]);
      return;
    }
    if (outcome.gone) {
      // The receiver says the endpoint is gone for good: stop sending there; this delivery waits for a re-enable.
      await store.query("UPDATE aek_webhook_endpoints SET enabled = false, disabled_reason = 'The receiver answered 410 Gone', updated_at = $2 WHERE id = $1", [d.endpoint_id, at]);
      await store.query('UPDATE aek_webhook_deliveries SET last_status = 410, last_error = $2, lease_until = NULL, attempts = GREATEST(attempts - 1, 0) WHERE id = $1', [d.id, outcome.error]);
      log({ level: 'warn', message: `Webhook endpoint ${d.endpoint_id} answered 410 Gone: it is now disabled; enable it again through the operator API (PATCH /operator/webhooks/endpoints/${d.endpoint_id} {"enabled": true}).`, requestId: 'webhooks' });
      return;
    }
    const delay = schedule[d.attempts - 1];
    if (delay === undefined) {
      await store.query("UPDATE aek_webhook_deliveries SET status = 'dead', last_status = $2, last_error = $3, lease_until = NULL WHERE id = $1", [d.id, outcome.status ?? null, outcome.error]);
      log({ level: 'warn', message: `Webhook delivery ${d.id} (event ${d.event_id}) to endpoint ${d.endpoint_id} failed ${d.attempts} times and is dead: ${outcome.error}. Replay it with POST /operator/webhooks/deliveries/${d.id}/retry.`, requestId: 'webhooks' });
      return;
    }
    const next = at + Math.round(delay * (1 + 0.2 * random()));
    await store.query('UPDATE aek_webhook_deliveries SET next_attempt_at = $2, last_status = $3, last_error = $4, lease_until = NULL WHERE id = $1', [d.id, next, outcome.status ?? null, outcome.error]);
  }

  async function deliver(d: Claimed): Promise<void> {
    const target = await endpoints.secrets(store, now(), d.endpoint_id);
    if (!target) return; // deleted meanwhile (its deliveries went with it)
    const body = JSON.stringify(d.payload);
    const timestamp = new Date(wallClock());
    const signature = target.secrets.map((s) => new Webhook(s).sign(d.event_id, timestamp, body)).join(' ');
    let outcome: Parameters<typeof settle>[1];
    try {
      const response = await send(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'airbyte-embed-kit-webhooks',
          'webhook-id': d.event_id,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) outcome = { ok: true, status: response.status };
      else if (response.status === 410) outcome = { ok: false, status: 410, error: 'The receiver answered 410 Gone', gone: true };
      else outcome = { ok: false, status: response.status, error: `The receiver answered ${response.status}` };
    } catch (error) {
      const e = error as Error;
      outcome = { ok: false, error: e.name === 'TimeoutError' ? `No answer within ${timeoutMs / 1000} s` : `Could not reach the receiver: ${e.message}`.slice(0, 300) };
    }
    await settle(d, outcome);
  }

  async function runOnce(): Promise<number> {
    const claimed = await claim();
    await Promise.all(claimed.map((d) => deliver(d).catch((error: unknown) => log({ level: 'error', message: `Webhook delivery ${d.id} could not be recorded: ${(error as Error).message}`, requestId: 'webhooks' }))));
    return claimed.length;
  }

  // While polling, up to `batchSize` deliveries are in flight at once, and each one that settles
  // makes room for the next: a receiver that hangs until the timeout holds only its own slot (and
  // its customer's later events, which wait for it), never every other delivery.
  const inFlight = new Set<Promise<void>>();
  let claiming = false;

  function tick() {
    if (claiming || !timer) return;
    const room = batchSize - inFlight.size;
    if (room <= 0) return;
    claiming = true;
    round = claim(room)
      .then((claimed) => {
        for (const d of claimed) {
          const sending: Promise<void> = deliver(d)
            .catch((error: unknown) => log({ level: 'error', message: `Webhook delivery ${d.id} could not be recorded: ${(error as Error).message}`, requestId: 'webhooks' }))
            .finally(() => {
              inFlight.delete(sending);
              tick();
            });
          inFlight.add(sending);
        }
        return claimed.length;
      })
      .catch((error: unknown) => {
        // The store is down or closing: say so at most once a minute.
        if (Date.now() - lastError > 60_000) log({ level: 'warn', message: `The webhook worker could not read the outbox: ${(error as Error).message}`, requestId: 'webhooks' });
        lastError = Date.now();
        return 0;
      })
      .finally(() => {
        claiming = false;
        round = undefined;
      });
  }

  return {
    start() {
      if (timer) return;
      timer = setInterval(tick, options.pollMs ?? 1000);
      timer.unref?.();
    },
    kick() {
      if (timer) setTimeout(tick, 0).unref?.();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await round;
      await Promise.all(inFlight);
    },
    runOnce,
    async drain(maxRounds = 1000) {
      let total = 0;
      for (let i = 0; i < maxRounds; i++) {
        const n = await runOnce();
        if (!n) break;
        total += n;
      }
      return total;
    },
  };
}
