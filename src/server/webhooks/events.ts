import type { ProxyStore } from '../store/proxyStore.ts';

/**
 * Every event type the proxy sends to the operator's endpoints. Those the proxy causes itself
 * (connect, edit, delete, a setup that stopped, sync now) are emitted where it does them; the
 * rest come from Airbyte's workspace notifications (see inbound.ts).
 */
export const WEBHOOK_EVENT_TYPES = [
  'source.connected',
  'source.updated',
  'source.deleted',
  'source.setup_unfinished',
  'sync.started',
  'sync.succeeded',
  'sync.failed',
  'credentials.broken',
  'credentials.restored',
  'connection.disabled',
  'connection.disable_warning',
  'schema.changed',
  'webhook.test',
] as const;

/** One of {@link WEBHOOK_EVENT_TYPES}. */
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * The JSON body of every delivery (also what `verifyWebhook` returns). `id` equals the
 * `webhook-id` header and stays the same across retries: deduplicate on it.
 */
export interface WebhookEvent<D = Record<string, unknown>> {
  id: string;
  type: WebhookEventType;
  /** When the proxy recorded the event (ISO 8601), not when this attempt was sent. */
  timestamp: string;
  /** The host's customer id (the session token's `customerId`); empty for `webhook.test`. */
  customerId: string;
  data: D;
}

/** What a caller emits; the id is made here. */
export interface NewEvent {
  type: WebhookEventType;
  customerId: string;
  data: Record<string, unknown>;
  /**
   * Makes the event id a function of this key, so emitting the same fact twice (a retried
   * request, a replayed notification) records it once. Default: a fresh id.
   */
  dedupeKey?: string | undefined;
  /** Only to this endpoint, whatever types it subscribes to (the operator API's test event). */
  endpointId?: string | undefined;
}

async function idFor(dedupeKey: string | undefined): Promise<string> {
  if (dedupeKey === undefined) return `msg_${crypto.randomUUID().replace(/-/g, '')}`;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(dedupeKey)));
  return `msg_${[...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Writes an event to the outbox with one pending delivery per enabled endpoint subscribed to its
 * type, in one statement: pass the transaction's store (`store.transaction(tx => …)`) so the
 * event commits with the change it reports, or not at all. Nothing is written when no endpoint
 * wants the type, or when an event with the same `dedupeKey` exists. Returns the event id, or
 * undefined when nothing was written.
 */
export async function emitEvent(store: ProxyStore, now: number, event: NewEvent): Promise<string | undefined> {
  const id = await idFor(event.dedupeKey);
  // Events are ordered per customer by `seq`, which is taken at insert, not at commit: without
  // this lock a later transaction for the same customer could commit (and be delivered) before an
  // earlier one. Held until the caller's transaction ends, so same-customer emits commit in order.
  await store.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`aek-webhook-events:${event.customerId}`]);
  const body: WebhookEvent = { id, type: event.type, timestamp: new Date(now).toISOString(), customerId: event.customerId, data: event.data };
  const rows = await store.query<{ id: string }>(
    `WITH ep AS (
       SELECT id FROM aek_webhook_endpoints
        WHERE CASE WHEN $6::text IS NULL THEN enabled AND ($2 = ANY(event_types) OR '*' = ANY(event_types)) ELSE id = $6 END
     ), ev AS (
       INSERT INTO aek_webhook_events (id, type, customer_id, payload, created_at)
       SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM ep)
       ON CONFLICT (id) DO NOTHING
       RETURNING seq
     )
     INSERT INTO aek_webhook_deliveries (id, event_seq, endpoint_id, customer_id, next_attempt_at)
     SELECT 'dlv_' || replace(gen_random_uuid()::text, '-', ''), ev.seq, ep.id, $3, $5 FROM ev CROSS JOIN ep
     RETURNING id`,
    [id, event.type, event.customerId, JSON.stringify(body), now, event.endpointId ?? null],
  );
  return rows.length ? id : undefined;
}

/** Emits outside any transaction, never failing the caller: for facts already done in Airbyte (a sync started). */
export async function emitQuietly(store: ProxyStore, now: number, event: NewEvent, log?: (e: { level: 'warn'; message: string; requestId: string }) => void): Promise<void> {
  try {
    // In a transaction of its own, so the per-customer lock covers the insert.
    await store.transaction((tx) => emitEvent(tx, now, event));
  } catch (error) {
    log?.({ level: 'warn', message: `Webhook event ${event.type} for customer "${event.customerId}" was not recorded: ${(error as Error).message}`, requestId: 'webhooks' });
  }
}
