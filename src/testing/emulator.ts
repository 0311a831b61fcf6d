import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { JsonSchema } from '../shared/contract.ts';
import { ConfigValidator } from '../shared/configValidator.ts';
import { maskSecrets } from '../shared/secrets.ts';
import { checkAirbyteCron } from './cron.ts';
import { badRequest, notFound, problem, unauthorized } from './problems.ts';

export interface AirbyteEmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** The application credentials `POST /applications/token` accepts; defaults below. */
  clientId?: string;
  clientSecret?: string;
  /** How long a sync job takes from creation to `succeeded`; default 4000 ms. */
  jobDurationMs?: number;
  /** Connector specs by definition id: configurations are validated (422) and secrets masked on reads. */
  connectorSpecs?: Record<string, JsonSchema>;
  /** Clock for job progress and token expiry; default `Date.now`. */
  now?: () => number;
}

export interface AirbyteEmulator {
  /** Base URL of the API, e.g. `http://127.0.0.1:41234/v1`: use it as the proxy's `baseUrl`. */
  url: string;
  clientId: string;
  clientSecret: string;
  /** Every request received, in order (method and path), for tests that count upstream calls. */
  calls: Array<{ method: string; path: string }>;
  /** The same API as a fetch handler, without the network. */
  handle: (request: Request) => Promise<Response>;
  close(): Promise<void>;
}

export const DEFAULT_CLIENT_ID = 'emulator-client-id';
export const DEFAULT_CLIENT_SECRET = 'emulator-client-secret';

type Actor = {
  id: string;
  name: string;
  definitionId: string;
  workspaceId: string;
  configuration: Record<string, unknown>;
  createdAt: number;
};

interface Connection {
  connectionId: string;
  name: string;
  sourceId: string;
  destinationId: string;
  workspaceId: string;
  status: string;
  schedule: { scheduleType: string; cronExpression?: string };
  nonBreakingSchemaUpdatesBehavior: string;
  namespaceDefinition: string;
  prefix: string;
  configurations: { streams: unknown[] };
  createdAt: number;
  tags: unknown[];
}

interface Job {
  jobId: number;
  jobType: string;
  connectionId: string;
  createdAt: number;
  cancelledAt?: number;
  rowsTotal: number;
}

const uuid = () => crypto.randomUUID();
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NON_BREAKING = ['ignore', 'disable_connection', 'propagate_columns', 'propagate_fully'];

function isoDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${sec || (!h && !m) ? `${sec}S` : ''}`;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Creates the emulator's request handler: an in-memory Airbyte public API for the calls an
 * embedding product makes, speaking the request and response shapes of the official OpenAPI spec.
 */
export function createEmulatorHandler(options: AirbyteEmulatorOptions = {}, calls: AirbyteEmulator['calls'] = []) {
  const now = options.now ?? Date.now;
  const clientId = options.clientId ?? DEFAULT_CLIENT_ID;
  const clientSecret = options.clientSecret ?? DEFAULT_CLIENT_SECRET;
  const jobDurationMs = options.jobDurationMs ?? 4000;
  const validator = new ConfigValidator();
  const tokens = new Map<string, number>();
  const workspaces = new Map<string, { workspaceId: string; name: string }>();
  const sources = new Map<string, Actor>();
  const destinations = new Map<string, Actor>();
  const connections = new Map<string, Connection>();
  const jobs = new Map<number, Job>();
  let nextJobId = 1;

  function jobStatus(job: Job): string {
    if (job.cancelledAt !== undefined) return 'cancelled';
    const age = now() - job.createdAt;
    if (age < jobDurationMs * 0.15) return 'pending';
    if (age < jobDurationMs) return 'running';
    return 'succeeded';
  }

  function jobResponse(job: Job) {
    const status = jobStatus(job);
    const end = job.cancelledAt ?? job.createdAt + jobDurationMs;
    const terminal = status === 'succeeded' || status === 'cancelled';
    const progress = status === 'pending' ? 0 : terminal ? (status === 'succeeded' ? 1 : 0.5) : (now() - job.createdAt) / jobDurationMs;
    const rows = Math.floor(job.rowsTotal * progress);
    return {
      jobId: job.jobId,
      status,
      jobType: job.jobType,
      startTime: iso(job.createdAt),
      connectionId: job.connectionId,
      ...(terminal ? { lastUpdatedAt: iso(end) } : {}),
      ...(status === 'pending' ? {} : { duration: isoDuration((terminal ? end : now()) - job.createdAt) }),
      ...(status === 'pending' ? {} : { rowsSynced: rows, bytesSynced: rows * 187 }),
    };
  }

  function actorResponse(kind: 'source' | 'destination', a: Actor) {
    const spec = options.connectorSpecs?.[a.definitionId];
    const configuration = spec ? maskSecrets(spec, a.configuration) : a.configuration;
    return kind === 'source'
      ? { sourceId: a.id, name: a.name, sourceType: typeName(a), definitionId: a.definitionId, workspaceId: a.workspaceId, configuration, createdAt: a.createdAt }
      : { destinationId: a.id, name: a.name, destinationType: typeName(a), definitionId: a.definitionId, workspaceId: a.workspaceId, configuration, createdAt: a.createdAt };
  }

  function typeName(a: Actor): string {
    const t = a.configuration.sourceType ?? a.configuration.destinationType;
    return typeof t === 'string' ? t : a.definitionId;
  }

  function page<T>(url: URL, items: T[]) {
    const limit = Number(url.searchParams.get('limit') ?? '20');
    const offset = Number(url.searchParams.get('offset') ?? '0');
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return { error: badRequest('limit must be an integer between 1 and 100.') };
    if (!Number.isInteger(offset) || offset < 0) return { error: badRequest('offset must be a non-negative integer.') };
    const data = items.slice(offset, offset + limit);
    const link = (o: number) => {
      const u = new URL(url);
      u.searchParams.set('limit', String(limit));
      u.searchParams.set('offset', String(o));
      return u.toString();
    };
    return { body: { data, next: data.length ? link(offset + limit) : '', previous: offset === 0 ? '' : link(Math.max(offset - limit, 0)) } };
  }

  function workspaceFilter(url: URL): Set<string> | undefined {
    const raw = url.searchParams.getAll('workspaceIds').flatMap((v) => v.split(',')).filter(Boolean);
    return raw.length ? new Set(raw) : undefined;
  }

  async function body(request: Request): Promise<Record<string, unknown> | Response> {
    try {
      const json = await request.json();
      if (!json || typeof json !== 'object' || Array.isArray(json)) return badRequest('The request body must be a JSON object.');
      return json as Record<string, unknown>;
    } catch {
      return badRequest('The request body is not valid JSON.');
    }
  }

  function checkConfig(definitionId: string, configuration: Record<string, unknown>): Response | undefined {
    const spec = options.connectorSpecs?.[definitionId];
    if (!spec) return undefined;
    const errors = validator.validate(spec, configuration);
    if (!errors.length) return undefined;
    const message = errors.map((e) => `$.${e.path.join('.')}: ${e.message}`).join(', ');
    return problem(422, 'unprocessable-entity', 'The body of the request was not understood', { message: `The provided configuration does not fulfill the specification. Errors: ${message}` });
  }

  async function createActor(kind: 'source' | 'destination', request: Request) {
    const b = await body(request);
    if (b instanceof Response) return b;
    const store = kind === 'source' ? sources : destinations;
    if (typeof b.name !== 'string' || !b.name) return badRequest('name is required.');
    if (typeof b.workspaceId !== 'string') return badRequest('workspaceId is required.');
    if (typeof b.configuration !== 'object' || b.configuration === null) return badRequest('configuration is required.');
    const configuration = b.configuration as Record<string, unknown>;
    const definitionId = typeof b.definitionId === 'string' ? b.definitionId : undefined;
    const typeKey = kind === 'source' ? 'sourceType' : 'destinationType';
    if (!definitionId && typeof configuration[typeKey] !== 'string') {
      return badRequest(`One of configuration.${typeKey} or definitionId must be provided.`);
    }
    if (definitionId && !UUID_RE.test(definitionId)) return badRequest('definitionId must be a UUID.');
    if (!workspaces.has(b.workspaceId)) return notFound('workspace', b.workspaceId);
    const actorDefinitionId = definitionId ?? String(configuration[typeKey]);
    const invalid = checkConfig(actorDefinitionId, configuration);
    if (invalid) return invalid;
    const actor: Actor = { id: uuid(), name: b.name, definitionId: actorDefinitionId, workspaceId: b.workspaceId, configuration: structuredClone(configuration), createdAt: Math.floor(now() / 1000) };
    store.set(actor.id, actor);
    return Response.json(actorResponse(kind, actor));
  }

  function listActors(kind: 'source' | 'destination', url: URL) {
    const store = kind === 'source' ? sources : destinations;
    const filter = workspaceFilter(url);
    const items = [...store.values()].filter((a) => !filter || filter.has(a.workspaceId)).map((a) => actorResponse(kind, a));
    const p = page(url, items);
    return p.error ?? Response.json(p.body);
  }

  async function createConnection(request: Request) {
    const b = await body(request);
    if (b instanceof Response) return b;
    if (typeof b.sourceId !== 'string') return badRequest('sourceId is required.');
    if (typeof b.destinationId !== 'string') return badRequest('destinationId is required.');
    const source = sources.get(b.sourceId);
    if (!source) return notFound('source', b.sourceId);
    const destination = destinations.get(b.destinationId);
    if (!destination) return notFound('destination', b.destinationId);
    if (source.workspaceId !== destination.workspaceId) return badRequest('Source and destination must be in the same workspace.');
    const schedule = (b.schedule ?? { scheduleType: 'manual' }) as { scheduleType?: string; cronExpression?: string };
    let normalized: Connection['schedule'] = { scheduleType: 'manual' };
    if (schedule.scheduleType === 'cron') {
      const check = checkAirbyteCron(schedule.cronExpression);
      if (!check.ok) return badRequest(check.message);
      normalized = { scheduleType: 'cron', cronExpression: check.cron };
    } else if (schedule.scheduleType !== 'manual') {
      return badRequest('schedule.scheduleType must be "manual" or "cron".');
    }
    const nonBreaking = (b.nonBreakingSchemaUpdatesBehavior as string | undefined) ?? 'ignore';
    if (!NON_BREAKING.includes(nonBreaking)) return badRequest(`nonBreakingSchemaUpdatesBehavior must be one of ${NON_BREAKING.join(', ')}.`);
    const connection: Connection = {
      connectionId: uuid(),
      name: typeof b.name === 'string' && b.name ? b.name : `${source.name} <> ${destination.name}`,
      sourceId: source.id,
      destinationId: destination.id,
      workspaceId: source.workspaceId,
      status: typeof b.status === 'string' ? b.status : 'active',
      schedule: normalized,
      nonBreakingSchemaUpdatesBehavior: nonBreaking,
      namespaceDefinition: typeof b.namespaceDefinition === 'string' ? b.namespaceDefinition : 'destination',
      prefix: typeof b.prefix === 'string' ? b.prefix : '',
      configurations: { streams: [] },
      createdAt: Math.floor(now() / 1000),
      tags: [],
    };
    connections.set(connection.connectionId, connection);
    return Response.json(connection);
  }

  async function createJob(request: Request) {
    const b = await body(request);
    if (b instanceof Response) return b;
    if (typeof b.connectionId !== 'string') return badRequest('connectionId is required.');
    if (!['sync', 'reset', 'refresh', 'clear'].includes(String(b.jobType))) return badRequest('jobType must be one of sync, reset, refresh, clear.');
    const connection = connections.get(b.connectionId);
    if (!connection) return notFound('connection', b.connectionId);
    const running = [...jobs.values()].some((j) => j.connectionId === connection.connectionId && ['pending', 'running'].includes(jobStatus(j)));
    if (running) {
      return problem(409, 'try-again-later', 'A sync is already running.', { message: `A sync is already running for: ${connection.connectionId}` });
    }
    const source = sources.get(connection.sourceId);
    const count = source?.configuration.count;
    const job: Job = {
      jobId: nextJobId++,
      jobType: String(b.jobType),
      connectionId: connection.connectionId,
      createdAt: now(),
      rowsTotal: typeof count === 'number' && count > 0 ? Math.floor(count) : 1000,
    };
    jobs.set(job.jobId, job);
    return Response.json(jobResponse(job));
  }

  function listJobs(url: URL) {
    const connectionId = url.searchParams.get('connectionId');
    const filter = workspaceFilter(url);
    const order = url.searchParams.get('orderBy') ?? 'createdAt|ASC';
    if (!/^(createdAt|updatedAt)\|(ASC|DESC)$/.test(order)) return badRequest('orderBy must be createdAt|ASC, createdAt|DESC, updatedAt|ASC or updatedAt|DESC.');
    let items = [...jobs.values()].filter(
      (j) => (!connectionId || j.connectionId === connectionId) && (!filter || filter.has(connections.get(j.connectionId)?.workspaceId ?? '')),
    );
    items = items.sort((a, b) => a.jobId - b.jobId);
    if (order.endsWith('DESC')) items.reverse();
    const p = page(url, items.map(jobResponse));
    return p.error ?? Response.json(p.body);
  }

  async function issueToken(request: Request) {
    let fields: Record<string, unknown>;
    if ((request.headers.get('content-type') ?? '').includes('application/x-www-form-urlencoded')) {
      fields = Object.fromEntries(new URLSearchParams(await request.text()));
    } else {
      const b = await body(request);
      if (b instanceof Response) return b;
      fields = b;
    }
    if (fields.client_id !== clientId || fields.client_secret !== clientSecret) {
      return problem(401, 'invalid-api-key', 'The client id or client secret is not valid.', { message: 'Invalid client credentials.' });
    }
    const token = `emu_${crypto.randomUUID().replace(/-/g, '')}`;
    tokens.set(token, now() + 900_000);
    return Response.json({ access_token: token, token_type: 'Bearer', expires_in: 900 });
  }

  function authorized(request: Request): boolean {
    const token = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    const expiresAt = token ? tokens.get(token) : undefined;
    return expiresAt !== undefined && expiresAt > now();
  }

  async function route(request: Request, url: URL, path: string): Promise<Response> {
    const m = request.method;
    const [, resource, id, extra] = path.split('/');
    if (path === '/health' && m === 'GET') return new Response('Successful operation');
    if (path === '/applications/token' && m === 'POST') return issueToken(request);
    if (!authorized(request)) return unauthorized();
    if (extra !== undefined) return problem(404, 'resource-not-found', `No route for ${m} ${path}`);
    switch (resource) {
      case 'workspaces': {
        if (!id && m === 'POST') {
          const b = await body(request);
          if (b instanceof Response) return b;
          if (typeof b.name !== 'string' || !b.name) return badRequest('name is required.');
          const w = { workspaceId: uuid(), name: b.name };
          workspaces.set(w.workspaceId, w);
          return Response.json({ ...w, dataResidency: 'auto', notifications: {} });
        }
        if (!id && m === 'GET') {
          const filter = workspaceFilter(url);
          const items = [...workspaces.values()].filter((w) => !filter || filter.has(w.workspaceId)).map((w) => ({ ...w, dataResidency: 'auto', notifications: {} }));
          const p = page(url, items);
          return p.error ?? Response.json(p.body);
        }
        const w = id ? workspaces.get(id) : undefined;
        if (!w) return notFound('workspace', id ?? '');
        if (m === 'GET') return Response.json({ ...w, dataResidency: 'auto', notifications: {} });
        if (m === 'DELETE') {
          workspaces.delete(w.workspaceId);
          return new Response(null, { status: 204 });
        }
        break;
      }
      case 'sources':
      case 'destinations': {
        const kind = resource === 'sources' ? 'source' : 'destination';
        const store = kind === 'source' ? sources : destinations;
        if (!id && m === 'POST') return createActor(kind, request);
        if (!id && m === 'GET') return listActors(kind, url);
        const a = id ? store.get(id) : undefined;
        if (!a) return notFound(kind, id ?? '');
        if (m === 'GET') return Response.json(actorResponse(kind, a));
        if (m === 'DELETE') {
          store.delete(a.id);
          for (const c of [...connections.values()]) if (c.sourceId === a.id || c.destinationId === a.id) connections.delete(c.connectionId);
          return new Response(null, { status: 204 });
        }
        break;
      }
      case 'connections': {
        if (!id && m === 'POST') return createConnection(request);
        if (!id && m === 'GET') {
          const filter = workspaceFilter(url);
          const p = page(url, [...connections.values()].filter((c) => !filter || filter.has(c.workspaceId)));
          return p.error ?? Response.json(p.body);
        }
        const c = id ? connections.get(id) : undefined;
        if (!c) return notFound('connection', id ?? '');
        if (m === 'GET') return Response.json(c);
        if (m === 'DELETE') {
          connections.delete(c.connectionId);
          return new Response(null, { status: 204 });
        }
        break;
      }
      case 'jobs': {
        if (!id && m === 'POST') return createJob(request);
        if (!id && m === 'GET') return listJobs(url);
        const job = id ? jobs.get(Number(id)) : undefined;
        if (!job) return notFound('job', id ?? '');
        if (m === 'GET') return Response.json(jobResponse(job));
        if (m === 'DELETE') {
          if (['succeeded', 'failed', 'cancelled'].includes(jobStatus(job))) {
            return problem(409, 'state-conflict', 'Job is not currently running', { message: 'Job is not currently running' });
          }
          job.cancelledAt = now();
          return Response.json(jobResponse(job));
        }
        break;
      }
    }
    return problem(404, 'resource-not-found', `No route for ${m} ${path}`);
  }

  return async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const base = url.pathname.indexOf('/v1/') >= 0 ? url.pathname.slice(url.pathname.indexOf('/v1/') + 3) : url.pathname;
    calls.push({ method: request.method, path: url.pathname + url.search });
    try {
      return await route(request, url, base.replace(/\/+$/, '') || '/');
    } catch {
      return problem(500, 'unexpected-problem', 'An unexpected problem has occurred.');
    }
  };
}

/**
 * Starts a local emulator of the Airbyte public API on 127.0.0.1, for developing and testing an
 * embedding with no Airbyte account. Resolves once it listens; `close()` stops it.
 */
export async function startAirbyteEmulator(options: AirbyteEmulatorOptions = {}): Promise<AirbyteEmulator> {
  const calls: AirbyteEmulator['calls'] = [];
  const handle = createEmulatorHandler(options, calls);
  const server: Server = createServer(getRequestListener(handle));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/v1`,
    clientId: options.clientId ?? DEFAULT_CLIENT_ID,
    clientSecret: options.clientSecret ?? DEFAULT_CLIENT_SECRET,
    calls,
    handle,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
