import { BlockList, isIP } from 'node:net';
import { EmbedError } from '../../shared/errors.ts';
import type { ProxyStore } from '../store/proxyStore.ts';
import { WEBHOOK_EVENT_TYPES } from './events.ts';

/** An endpoint as the operator API shows it: never its secrets (those are shown once, at creation and rotation). */
export interface WebhookEndpoint {
  id: string;
  url: string;
  eventTypes: string[];
  description?: string | undefined;
  enabled: boolean;
  /** Why it was turned off (the receiver answered 410 Gone), when it was. */
  disabledReason?: string | undefined;
  /** Until when the previous secret still signs too (after a rotation), ISO 8601. */
  previousSecretExpiresAt?: string | undefined;
  createdAt: string;
  updatedAt: string;
}

/** What the worker needs to sign: the current secret and, during a rotation's overlap, the previous one. */
export interface EndpointSecrets {
  url: string;
  secrets: string[];
  enabled: boolean;
}

/** How URLs are checked (see {@link checkEndpointUrl}). */
export interface UrlPolicy {
  /** Accept `http://` to any host (e.g. a receiver inside your own network); default false. */
  allowInsecureUrls?: boolean | undefined;
  /** Accept IP literals in private, link-local or unique-local ranges; default false. */
  allowPrivateNetworks?: boolean | undefined;
}

type Row = {
  id: string;
  url: string;
  event_types: string[];
  description: string | null;
  secret: string;
  previous_secret: string | null;
  previous_expires_at: string | number | null;
  enabled: boolean;
  disabled_reason: string | null;
  created_at: string | number;
  updated_at: string | number;
};

const bad = (path: string, message: string) => new EmbedError('invalid_request', `"${path}" ${message}.`, { fieldErrors: [{ path: [path], message }] });

/**
 * Checks an endpoint URL. `https://` only, except `http://localhost` and `http://127.0.0.1`/`[::1]`
 * (a receiver on the developer's machine) or with `allowInsecureUrls`: events carry customer ids
 * and sync details, and the signature proves origin, not secrecy. IP literals in private,
 * link-local (169.254.x: cloud metadata services) and unique-local ranges, and IPv6 forms that
 * embed an IPv4 address, are refused unless `allowPrivateNetworks` (however the address is spelled:
 * the WHATWG parser normalizes `127.1`, `0x7f.1`, `[::ffff:127.0.0.1]` first), so a leaked operator
 * key cannot point the proxy's POSTs at internal services by address. At most 2048 characters. Host names are not resolved here (the operator is trusted to name their
 * own receivers; resolving at registration would not stop DNS rebinding anyway).
 */
export function checkEndpointUrl(value: unknown, policy: UrlPolicy = {}): string {
  if (typeof value !== 'string' || !value) throw bad('url', 'is required: the https URL that receives the events');
  if (value.length > MAX_URL) throw bad('url', `is longer than ${MAX_URL} characters`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad('url', 'is not a URL');
  }
  if (url.username || url.password) throw bad('url', 'must not hold credentials; the signature authenticates the proxy');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '127.0.0.1' || host === '::1';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (loopback || policy.allowInsecureUrls))) {
    throw bad('url', 'must use https (http only for localhost, or with webhooks.allowInsecureUrls)');
  }
  if (!policy.allowPrivateNetworks && !loopback && isPrivateAddress(host)) {
    throw bad('url', 'points at a private or link-local address; pass webhooks.allowPrivateNetworks to allow it');
  }
  return url.toString();
}

/** Longer is no receiver's URL, and would sit in every listing. */
const MAX_URL = 2048;

/**
 * Addresses no public receiver has: private, loopback, link-local (cloud metadata), shared,
 * benchmarking, multicast and reserved IPv4; unspecified, unique-local, link-local and site-local
 * IPv6; and the IPv6 forms that carry an IPv4 address (IPv4-compatible, SIIT, NAT64, 6to4, Teredo),
 * which a host could route to an internal IPv4 one. Node's BlockList matches IPv4-mapped
 * (`::ffff:a.b.c.d`) addresses against the IPv4 rules itself.
 */
const PRIVATE = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 3]] as const) PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 96], ['::ffff:0:0:0', 96], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['2001::', 32], ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8]] as const) PRIVATE.addSubnet(net, bits, 'ipv6');

function isPrivateAddress(host: string): boolean {
  const family = isIP(host);
  return family !== 0 && PRIVATE.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/** A new Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export function generateSecret(): string {
  return `whsec_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64')}`;
}

function checkSecret(value: unknown): string {
  if (typeof value !== 'string' || !/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/.test(value) || Buffer.from(value.slice(6), 'base64').length < 24) {
    throw bad('secret', 'must be "whsec_" and at least 24 bytes in base64 (leave it out and the proxy makes one)');
  }
  return value;
}

function checkEventTypes(value: unknown): string[] {
  if (value === undefined) return ['*'];
  if (!Array.isArray(value) || !value.length || !value.every((t) => typeof t === 'string')) throw bad('eventTypes', 'must be a non-empty list of event types (or ["*"])');
  const unknown = value.filter((t) => t !== '*' && !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(t));
  if (unknown.length) throw bad('eventTypes', `has unknown types: ${unknown.join(', ')} (known: ${WEBHOOK_EVENT_TYPES.join(', ')})`);
  return [...new Set(value as string[])];
}

function checkDescription(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > 500) throw bad('description', 'must be a string of at most 500 characters');
  return value;
}

function objectBody(body: unknown, allowed: string[]): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new EmbedError('invalid_request', `Send a JSON object (${allowed.join(', ')}).`);
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length) throw new EmbedError('invalid_request', `Unknown field(s) ${extra.map((k) => `"${k}"`).join(', ')}; allowed: ${allowed.join(', ')}.`);
  return body as Record<string, unknown>;
}

const iso = (ms: string | number) => new Date(Number(ms)).toISOString();

function view(r: Row, now: number): WebhookEndpoint {
  const overlap = r.previous_secret && r.previous_expires_at !== null && Number(r.previous_expires_at) > now;
  return {
    id: r.id,
    url: r.url,
    eventTypes: r.event_types,
    ...(r.description ? { description: r.description } : {}),
    enabled: r.enabled,
    ...(r.disabled_reason ? { disabledReason: r.disabled_reason } : {}),
    ...(overlap ? { previousSecretExpiresAt: iso(r.previous_expires_at!) } : {}),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

const notFound = (id: string) => new EmbedError('not_found', `No webhook endpoint with id "${id}".`);

/** The endpoints' table: create, list, read, update, delete, rotate. */
export const endpoints = {
  /** Registers an endpoint; answers it with its secret (given, or made here), the only time the secret is shown. */
  async create(store: ProxyStore, now: number, body: unknown, policy: UrlPolicy): Promise<WebhookEndpoint & { secret: string }> {
    const b = objectBody(body, ['url', 'eventTypes', 'description', 'secret', 'enabled']);
    const url = checkEndpointUrl(b.url, policy);
    const eventTypes = checkEventTypes(b.eventTypes);
    const description = checkDescription(b.description);
    const secret = b.secret === undefined ? generateSecret() : checkSecret(b.secret);
    if (b.enabled !== undefined && typeof b.enabled !== 'boolean') throw bad('enabled', 'must be true or false');
    const id = `ep_${crypto.randomUUID().replace(/-/g, '')}`;
    const [row] = await store.query<Row>(
      'INSERT INTO aek_webhook_endpoints (id, url, event_types, description, secret, enabled, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING *',
      [id, url, eventTypes, description ?? null, secret, b.enabled ?? true, now],
    );
    return { ...view(row!, now), secret };
  },

  async list(store: ProxyStore, now: number): Promise<WebhookEndpoint[]> {
    return (await store.query<Row>('SELECT * FROM aek_webhook_endpoints ORDER BY created_at, id')).map((r) => view(r, now));
  },

  async get(store: ProxyStore, now: number, id: string): Promise<WebhookEndpoint> {
    const [row] = await store.query<Row>('SELECT * FROM aek_webhook_endpoints WHERE id = $1', [id]);
    if (!row) throw notFound(id);
    return view(row, now);
  },

  /** Changes URL, event types, description or `enabled` (turning it on again clears a 410's reason). */
  async update(store: ProxyStore, now: number, id: string, body: unknown, policy: UrlPolicy): Promise<WebhookEndpoint> {
    const b = objectBody(body, ['url', 'eventTypes', 'description', 'enabled']);
    const [row] = await store.query<Row>('SELECT * FROM aek_webhook_endpoints WHERE id = $1', [id]);
    if (!row) throw notFound(id);
    const url = b.url === undefined ? row.url : checkEndpointUrl(b.url, policy);
    const eventTypes = b.eventTypes === undefined ? row.event_types : checkEventTypes(b.eventTypes);
    const description = b.description === undefined ? row.description : (checkDescription(b.description) ?? null);
    if (b.enabled !== undefined && typeof b.enabled !== 'boolean') throw bad('enabled', 'must be true or false');
    const enabled = b.enabled ?? row.enabled;
    const [updated] = await store.query<Row>(
      'UPDATE aek_webhook_endpoints SET url = $2, event_types = $3, description = $4, enabled = $5, disabled_reason = CASE WHEN $5 THEN NULL ELSE disabled_reason END, updated_at = $6 WHERE id = $1 RETURNING *',
      [id, url, eventTypes, description, enabled, now],
    );
    return view(updated!, now);
  },

  /** Deletes the endpoint with its deliveries (pending ones are dropped). */
  async remove(store: ProxyStore, id: string): Promise<void> {
    if (!(await store.query('DELETE FROM aek_webhook_endpoints WHERE id = $1 RETURNING id', [id])).length) throw notFound(id);
  },

  /**
   * A new secret (given, or made here) signs from now on; the old one signs too for
   * `overlapSeconds` (default 24 h, at most 7 days), so receivers can switch without losing events.
   */
  async rotate(store: ProxyStore, now: number, id: string, body: unknown): Promise<WebhookEndpoint & { secret: string }> {
    const b = objectBody(body ?? {}, ['secret', 'overlapSeconds']);
    const secret = b.secret === undefined ? generateSecret() : checkSecret(b.secret);
    const overlap = b.overlapSeconds === undefined ? 86_400 : b.overlapSeconds;
    if (typeof overlap !== 'number' || !Number.isInteger(overlap) || overlap < 0 || overlap > 7 * 86_400) throw bad('overlapSeconds', 'must be a whole number of seconds from 0 to 604800 (7 days)');
    const [row] = await store.query<Row>(
      'UPDATE aek_webhook_endpoints SET previous_secret = secret, secret = $2, previous_expires_at = $3, updated_at = $4 WHERE id = $1 RETURNING *',
      [id, secret, now + overlap * 1000, now],
    );
    if (!row) throw notFound(id);
    return { ...view(row, now), secret };
  },

  /** The signing secrets of an endpoint at `now` (current first; the previous one while its overlap lasts). */
  async secrets(store: ProxyStore, now: number, id: string): Promise<EndpointSecrets | undefined> {
    const [row] = await store.query<Row>('SELECT * FROM aek_webhook_endpoints WHERE id = $1', [id]);
    if (!row) return undefined;
    const previous = row.previous_secret && row.previous_expires_at !== null && Number(row.previous_expires_at) > now ? [row.previous_secret] : [];
    return { url: row.url, secrets: [row.secret, ...previous], enabled: row.enabled };
  },
};
