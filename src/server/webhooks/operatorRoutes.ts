import { EmbedError } from '../../shared/errors.ts';
import type { OnboardingContext } from '../onboarding.ts';
import { endpoints } from './endpoints.ts';
import { emitEvent } from './events.ts';

type Handler = (ctx: OnboardingContext, params: Record<string, string>, body: unknown, query?: URLSearchParams) => Promise<{ status?: number; body: unknown }>;

/** One delivery as the operator API lists it (never the payload's secrets: events hold none, nor the endpoint's). */
export interface DeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  customerId: string;
  endpointId: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  /** The receiver's last HTTP status; absent when it never answered (timeout, network error). */
  lastStatus?: number | undefined;
  lastError?: string | undefined;
  nextAttemptAt?: string | undefined;
  deliveredAt?: string | undefined;
  createdAt: string;
}

type DeliveryRow = {
  id: string;
  event_id: string;
  type: string;
  customer_id: string;
  endpoint_id: string;
  status: DeliveryView['status'];
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: string | number;
  delivered_at: string | number | null;
  created_at: string | number;
};

const iso = (ms: string | number) => new Date(Number(ms)).toISOString();

function deliveryView(r: DeliveryRow): DeliveryView {
  return {
    id: r.id,
    eventId: r.event_id,
    eventType: r.type,
    customerId: r.customer_id,
    endpointId: r.endpoint_id,
    status: r.status,
    attempts: Number(r.attempts),
    ...(r.last_status !== null ? { lastStatus: Number(r.last_status) } : {}),
    ...(r.last_error ? { lastError: r.last_error } : {}),
    ...(r.status === 'pending' ? { nextAttemptAt: iso(r.next_attempt_at) } : {}),
    ...(r.delivered_at !== null ? { deliveredAt: iso(r.delivered_at) } : {}),
    createdAt: iso(r.created_at),
  };
}

const DELIVERY_SELECT = `SELECT d.id, ev.id AS event_id, ev.type, d.customer_id, d.endpoint_id, d.status, d.attempts, d.last_status, d.last_error, d.next_attempt_at, d.delivered_at, ev.created_at
  FROM aek_webhook_deliveries d JOIN aek_webhook_events ev ON ev.seq = d.event_seq`;

function listQuery(query: Record<string, string>): { where: string; params: unknown[]; limit: number } {
  const params: unknown[] = [];
  const clauses: string[] = [];
  if (query.status !== undefined) {
    if (!['pending', 'delivered', 'dead'].includes(query.status)) throw new EmbedError('invalid_request', '"status" must be pending, delivered or dead.');
    params.push(query.status);
    clauses.push(`d.status = $${params.length}`);
  }
  for (const [key, column] of [['endpointId', 'd.endpoint_id'], ['customerId', 'd.customer_id'], ['eventId', 'ev.id']] as const) {
    if (query[key] !== undefined) {
      // PostgreSQL refuses a NUL in text (a 500); no id holds a control character.
      if (/[\u0000-\u001f\u007f]/.test(query[key])) throw new EmbedError('invalid_request', `"${key}" holds a control character; send an id as the operator API gave it.`, { fieldErrors: [{ path: [key], message: 'holds a control character' }] });
      params.push(query[key]);
      clauses.push(`${column} = $${params.length}`);
    }
  }
  const limit = query.limit === undefined ? 100 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new EmbedError('invalid_request', '"limit" must be a whole number from 1 to 1000.');
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params, limit };
}

const policy = (ctx: OnboardingContext) => ctx.webhooks?.urlPolicy ?? {};

/**
 * The operator API's webhook routes (under `<basePath>/operator`, behind the operator key): the
 * endpoints (register, list, read, update, delete, rotate the secret, send a test event) and the
 * deliveries (recent ones with their status codes; replay of a dead one).
 */
export const webhookOperatorRoutes: Array<{ method: string; path: string; handler: Handler }> = [
  { method: 'POST', path: '/webhooks/endpoints', handler: async (ctx, _p, body) => ({ status: 201, body: await endpoints.create(ctx.store, ctx.now(), body, policy(ctx)) }) },
  { method: 'GET', path: '/webhooks/endpoints', handler: async (ctx) => ({ body: { data: await endpoints.list(ctx.store, ctx.now()) } }) },
  { method: 'GET', path: '/webhooks/endpoints/:id', handler: async (ctx, p) => ({ body: await endpoints.get(ctx.store, ctx.now(), p.id!) }) },
  { method: 'PATCH', path: '/webhooks/endpoints/:id', handler: async (ctx, p, body) => ({ body: await endpoints.update(ctx.store, ctx.now(), p.id!, body, policy(ctx)) }) },
  {
    method: 'DELETE',
    path: '/webhooks/endpoints/:id',
    handler: async (ctx, p) => {
      await endpoints.remove(ctx.store, p.id!);
      return { status: 204, body: null };
    },
  },
  { method: 'POST', path: '/webhooks/endpoints/:id/rotate_secret', handler: async (ctx, p, body) => ({ body: await endpoints.rotate(ctx.store, ctx.now(), p.id!, body) }) },
  {
    method: 'POST',
    path: '/webhooks/endpoints/:id/test',
    handler: async (ctx, p) => {
      const endpoint = await endpoints.get(ctx.store, ctx.now(), p.id!);
      if (!endpoint.enabled) throw new EmbedError('invalid_request', `Endpoint ${endpoint.id} is disabled${endpoint.disabledReason ? ` (${endpoint.disabledReason})` : ''}; enable it first (PATCH {"enabled": true}).`);
      const eventId = await emitEvent(ctx.store, ctx.now(), { type: 'webhook.test', customerId: '', data: { endpointId: endpoint.id, message: 'A test event from airbyte-embed-kit.' }, endpointId: endpoint.id });
      ctx.webhooks?.kick?.();
      return { status: 202, body: { eventId } };
    },
  },
  {
    method: 'GET',
    path: '/webhooks/deliveries',
    handler: async (ctx, _p, _b, query) => {
      const q = listQuery(Object.fromEntries(query ?? []));
      const rows = await ctx.store.query<DeliveryRow>(`${DELIVERY_SELECT} ${q.where} ORDER BY d.event_seq DESC, d.id LIMIT ${q.limit}`, q.params);
      return { body: { data: rows.map(deliveryView) } };
    },
  },
  {
    method: 'GET',
    path: '/webhooks/deliveries/:id',
    handler: async (ctx, p) => {
      const [row] = await ctx.store.query<DeliveryRow>(`${DELIVERY_SELECT} WHERE d.id = $1`, [p.id!]);
      if (!row) throw new EmbedError('not_found', `No webhook delivery with id "${p.id}".`);
      return { body: deliveryView(row) };
    },
  },
  {
    // A dead (or waiting) delivery sent again from now, with a fresh retry schedule. Trap: it is the earliest
    // pending event of its customer on that endpoint again, so that customer's later events wait for it.
    method: 'POST',
    path: '/webhooks/deliveries/:id/retry',
    handler: async (ctx, p) => {
      const [row] = await ctx.store.query<{ status: string }>('SELECT status FROM aek_webhook_deliveries WHERE id = $1', [p.id!]);
      if (!row) throw new EmbedError('not_found', `No webhook delivery with id "${p.id}".`);
      if (row.status === 'delivered') throw new EmbedError('invalid_request', `Delivery ${p.id} was delivered already; a delivered event is not sent again.`);
      // Never one being sent right now (its lease held): clearing the lease would let another
      // round send it a second time at once, and that attempt's outcome overwrite this retry.
      const now = ctx.now();
      const [reset] = await ctx.store.query(
        "UPDATE aek_webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $2, lease_until = NULL WHERE id = $1 AND status <> 'delivered' AND (lease_until IS NULL OR lease_until <= $2) RETURNING id",
        [p.id!, now],
      );
      if (!reset) throw new EmbedError('invalid_request', `Delivery ${p.id} is being sent right now; see its outcome with GET /webhooks/deliveries/${p.id} and retry it after, if it failed.`);
      ctx.webhooks?.kick?.();
      const [updated] = await ctx.store.query<DeliveryRow>(`${DELIVERY_SELECT} WHERE d.id = $1`, [p.id!]);
      return { status: 202, body: deliveryView(updated!) };
    },
  },
];
