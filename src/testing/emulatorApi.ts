import { OpenAPIBackend, type Context, type Document } from 'openapi-backend';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from '../shared/contract.ts';
import { ConfigValidator } from '../shared/configValidator.ts';
import { maskSecrets } from '../shared/secrets.ts';
import { ConnectorRegistry, type ConnectorDefinition } from './connectors.ts';
import { checkAirbyteCron, cronRunsBetween } from '../shared/quartzCron.ts';
import type { ActorRecord, ConnectionRecord, EmulatorState, JobRecord, StreamConfig } from './emulatorState.ts';
import { airbyteApiDocument } from './generated/airbyteApi.ts';
import { isTerminal, jobResponse, jobStatus, jobUpdatedAt } from './jobs.ts';
import { badRequest, notFound, problem, unauthorized } from './problems.ts';

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

export interface EmulatorApiOptions {
  state: EmulatorState;
  registry: ConnectorRegistry;
  clientId: string;
  clientSecret: string;
  now: () => number;
  /** Default duration of a job; a source's `count` scales nothing, durations are fixed. */
  jobDurationMs: number;
  /** Decides whether a job will succeed or fail; default: succeed. */
  jobOutcome?: (job: { jobId: number; jobType: string; connectionId: string }) => 'succeeded' | 'failed';
  /** Called after every request that changed the state. */
  onChange: () => void;
  /** Origins besides loopback that OAuth may redirect back to. */
  oauthRedirectOrigins?: string[];
}

/** The redirect URL of an OAuth flow, when the emulator may send a user there: loopback, or an origin it was given. */
export function allowedRedirect(value: unknown, origins: string[]): string | undefined {
  if (typeof value !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || url.hostname.endsWith('.localhost');
  return loopback || origins.includes(url.origin) ? url.toString() : undefined;
}

type Json = Record<string, unknown>;
const MASK = '**********';
const SECRET_ID_PREFIX = 'emu_secret_';

/**
 * Where the real server accepts more than its spec says, the emulator follows the server:
 * `POST /applications/token` lists `grant_type` as required but names the property `grant-type`,
 * and the server ignores both (see the Airbyte API notes).
 */
function withKnownDeviations(doc: Document): Document {
  const copy = structuredClone(doc) as Document & { components: { schemas: Record<string, { required?: string[] }> } };
  const token = copy.components.schemas.ApplicationTokenRequestWithGrant;
  if (token?.required) token.required = token.required.filter((r) => r !== 'grant_type');
  return copy;
}

/** Restores the stored value wherever an update sends back the mask, as Airbyte does. */
function unmask(next: unknown, prev: unknown): unknown {
  if (next === MASK) return prev;
  if (next && typeof next === 'object' && !Array.isArray(next) && prev && typeof prev === 'object' && !Array.isArray(prev)) {
    return Object.fromEntries(Object.entries(next).map(([k, v]) => [k, unmask(v, (prev as Json)[k])]));
  }
  return next;
}

/** Airbyte's merge for PATCH: objects merge, everything else is replaced. */
function merge(base: Json, patch: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    const b = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b) ? merge(b as Json, v as Json) : v;
  }
  return out;
}

function setAt(target: Json, pathParts: string[], value: unknown) {
  let node = target;
  for (const key of pathParts.slice(0, -1)) node = (node[key] ??= {}) as Json;
  node[pathParts[pathParts.length - 1]!] = value;
}

/**
 * The emulator's request handling: openapi-backend routes each request to its operation in the
 * official spec and validates path, query and body against it (400 `bad-request` otherwise);
 * the handlers below implement Airbyte's behaviour on an in-memory {@link EmulatorState}.
 */
export async function createEmulatorApi(options: EmulatorApiOptions) {
  const { state, registry, now } = options;
  const validator = new ConfigValidator();
  const tokens = new Map<string, number>();

  const api = new OpenAPIBackend({
    definition: withKnownDeviations(airbyteApiDocument as unknown as Document),
    quick: true,
    validate: true,
    strict: false,
    ajvOpts: { strict: false, allErrors: true },
    customizeAjv: (ajv) => {
      addFormats(ajv as never);
      // The spec also uses formats JSON Schema does not define.
      for (const f of ['UUID', 'int32', 'int64', 'set']) ajv.addFormat(f, true);
      return ajv;
    },
  });

  // ---------- helpers ----------
  const actorStore = (kind: 'source' | 'destination') => (kind === 'source' ? state.sources : state.destinations);

  function actorResponse(kind: 'source' | 'destination', a: ActorRecord) {
    const def = registry.get(a.definitionId, kind);
    const configuration = def ? maskSecrets(def.spec, a.configuration) : a.configuration;
    const typeName = def ? def.dockerRepository.replace(`airbyte/${kind}-`, '') : a.definitionId;
    const common = { name: a.name, definitionId: a.definitionId, workspaceId: a.workspaceId, configuration, createdAt: a.createdAt, ...(a.resourceAllocation ? { resourceAllocation: a.resourceAllocation } : {}) };
    return kind === 'source' ? { sourceId: a.id, sourceType: typeName, ...common } : { destinationId: a.id, destinationType: typeName, ...common };
  }

  function workspaceResponse(w: EmulatorState['workspaces'][string]) {
    return { workspaceId: w.workspaceId, name: w.name, dataResidency: w.dataResidency, notifications: w.notifications };
  }

  function connectionResponse(c: ConnectionRecord) {
    const { scheduledUntil: _s, ...rest } = c;
    return rest;
  }

  function page<T>(url: URL, query: Json, items: T[]): Response {
    const limit = Number(query.limit ?? 20);
    const offset = Number(query.offset ?? 0);
    const data = items.slice(offset, offset + limit);
    const link = (o: number) => {
      const u = new URL(url);
      u.searchParams.set('limit', String(limit));
      u.searchParams.set('offset', String(o));
      return u.toString();
    };
    return Response.json({ data, next: data.length ? link(offset + limit) : '', previous: offset === 0 ? '' : link(Math.max(offset - limit, 0)) });
  }

  function listParam(query: Json, name: string): Set<string> | undefined {
    const raw = query[name];
    const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flatMap((v) => String(v).split(',')).filter(Boolean);
    return values.length ? new Set(values) : undefined;
  }

  function validateConfig(def: ConnectorDefinition, configuration: Json): Response | undefined {
    const errors = validator.validate(def.spec, configuration);
    if (!errors.length) return undefined;
    const message = errors.map((e) => `$.${e.path.join('.')}: ${e.message}`).join('; ');
    return problem(422, 'unprocessable-entity', 'The body of the request was not understood', {
      message: `The provided configuration does not fulfill the specification. Errors: ${message}`,
    });
  }

  /** A list endpoint's answer: items of the `workspaceIds` filter (all without it), oldest first, paged. */
  function listInWorkspaces<T extends { workspaceId: string; createdAt: number }>(c: Context, url: URL, items: Record<string, T>, view: (item: T) => unknown): Response {
    const ids = listParam(c.request.query as Json, 'workspaceIds');
    const selected = Object.values(items).filter((x) => !ids || ids.has(x.workspaceId)).sort((a, b) => a.createdAt - b.createdAt);
    return page(url, c.request.query as Json, selected.map(view));
  }

  /** Resolves the definition from `definitionId` or `configuration.sourceType`/`destinationType`. */
  function definitionFor(kind: 'source' | 'destination', body: Json): ConnectorDefinition | Response {
    const configuration = (body.configuration ?? {}) as Json;
    const typeKey = kind === 'source' ? 'sourceType' : 'destinationType';
    if (typeof body.definitionId === 'string') {
      return registry.get(body.definitionId, kind) ?? notFound(`${kind}_definition`, body.definitionId);
    }
    if (typeof configuration[typeKey] === 'string') {
      return registry.byType(configuration[typeKey] as string, kind) ?? badRequest(`Unknown ${typeKey} "${String(configuration[typeKey])}".`);
    }
    return badRequest(`One of configuration.${typeKey} or definitionId must be provided.`);
  }

  /** Puts OAuth results at the spec's output paths (or under `credentials` without advancedAuth). */
  function applyOAuthSecret(def: ConnectorDefinition, configuration: Json, secretId: string, workspaceId: string): Response | Json {
    const secret = state.oauthSecrets[secretId];
    if (!secret || secret.workspaceId !== workspaceId) return badRequest(`Unknown secretId ${secretId} for this workspace.`);
    const out = structuredClone(configuration);
    const outputSpec = ((def.advancedAuth?.oauth_config_specification ?? def.advancedAuth?.oauthConfigSpecification) as Json | undefined)?.complete_oauth_output_specification as
      | { properties?: Record<string, { path_in_connector_config?: string[] }> }
      | undefined;
    const props = outputSpec?.properties ?? {};
    if (Object.keys(props).length) {
      for (const [key, p] of Object.entries(props)) if (p.path_in_connector_config && key in secret.values) setAt(out, p.path_in_connector_config, secret.values[key]);
    } else {
      out.credentials = { ...((out.credentials as Json | undefined) ?? {}), ...secret.values };
    }
    return out;
  }

  function streamsFor(sourceId: string) {
    const source = state.sources[sourceId];
    return source ? registry.streams(source.definitionId) : [];
  }

  /** Validates stream configurations against the source's discovered catalog, as connection create/patch do. */
  function checkStreams(sourceId: string, configurations: unknown): { streams: StreamConfig[] } | Response {
    const catalog = streamsFor(sourceId);
    const given = (configurations as { streams?: StreamConfig[] } | undefined)?.streams;
    if (!given) return { streams: catalog.map((s) => ({ name: s.streamName, syncMode: 'full_refresh_overwrite' })) };
    const seen = new Set<string>();
    const out: StreamConfig[] = [];
    for (const s of given) {
      const info = catalog.find((c) => c.streamName === s.name);
      if (!info) return badRequest(`Invalid stream found. The list of valid streams include: ${catalog.map((c) => c.streamName).join(', ')}.`);
      if (seen.has(s.name)) return badRequest(`Duplicate stream found in configuration for: ${s.name}.`);
      seen.add(s.name);
      const syncMode = s.syncMode ?? 'full_refresh_overwrite';
      if (!info.syncModes.includes(syncMode)) return badRequest(`Cannot set sync mode to ${syncMode} for stream ${s.name}. Valid sync modes are: ${info.syncModes.join(', ')}.`);
      const fields = new Set(info.propertyFields.map((f) => f.join('.')));
      if (syncMode.startsWith('incremental')) {
        const cursor = s.cursorField?.length ? s.cursorField : info.defaultCursorField;
        if (!cursor.length || !fields.has(cursor.join('.'))) return badRequest(`Invalid cursor field for stream: ${s.name}. The list of valid cursor fields include: ${[...fields].join(', ')}.`);
      }
      for (const pk of s.primaryKey ?? []) if (!fields.has(pk.join('.'))) return badRequest(`Invalid primary key for stream: ${s.name}. The list of valid fields include: ${[...fields].join(', ')}.`);
      for (const sf of s.selectedFields ?? []) if (!fields.has(sf.fieldPath.join('.'))) return badRequest(`Invalid selected field for stream: ${s.name}.`);
      out.push({ ...s, syncMode });
    }
    return { streams: out };
  }

  function checkSchedule(schedule: unknown): ConnectionRecord['schedule'] | Response {
    const s = (schedule ?? { scheduleType: 'manual' }) as { scheduleType: string; cronExpression?: string };
    if (s.scheduleType === 'manual') return { scheduleType: 'manual' };
    const check = checkAirbyteCron(s.cronExpression);
    return check.ok ? { scheduleType: 'cron', cronExpression: check.cron } : badRequest(check.message);
  }

  function runningJob(connectionId: string, at: number): JobRecord | undefined {
    return Object.values(state.jobs).find((j) => j.connectionId === connectionId && j.createdAt <= at && !isTerminal(jobStatus(j, at)));
  }

  function startJob(connection: ConnectionRecord, jobType: string, at: number): JobRecord {
    const source = state.sources[connection.sourceId];
    const count = source?.configuration.count;
    const jobId = state.nextJobId++;
    const job: JobRecord = {
      jobId,
      jobType,
      connectionId: connection.connectionId,
      workspaceId: connection.workspaceId,
      createdAt: at,
      durationMs: options.jobDurationMs,
      outcome: options.jobOutcome?.({ jobId, jobType, connectionId: connection.connectionId }) ?? 'succeeded',
      rowsTotal: jobType === 'sync' ? (typeof count === 'number' && count > 0 ? Math.floor(count) : 1000) : 0,
    };
    state.jobs[String(jobId)] = job;
    return job;
  }

  /**
   * Turns the cron runs that came due since the last look into sync jobs, stamped at their due
   * time, skipping a run while the previous job still runs (as Airbyte does). Lazy: runs on
   * every request, so a controllable clock drives schedules with no timers.
   */
  // When each cron connection next comes due, so most requests cost one comparison per connection.
  const nextDue = new Map<string, number>();

  function runSchedules(): boolean {
    const t = now();
    let changed = false;
    for (const c of Object.values(state.connections)) {
      if (c.status !== 'active' || c.schedule.scheduleType !== 'cron' || !c.schedule.cronExpression) continue;
      const key = `${c.connectionId}|${c.schedule.cronExpression}|${c.scheduledUntil}`;
      let due = nextDue.get(key);
      if (due === undefined) {
        due = cronRunsBetween(c.schedule.cronExpression, c.scheduledUntil, Number.POSITIVE_INFINITY, 1)[0] ?? Number.POSITIVE_INFINITY;
        nextDue.set(key, due);
      }
      if (due > t) continue;
      nextDue.delete(key);
      for (const run of cronRunsBetween(c.schedule.cronExpression, c.scheduledUntil, t, 200)) {
        if (!runningJob(c.connectionId, run)) startJob(c, 'sync', run);
      }
      c.scheduledUntil = t;
      changed = true;
    }
    return changed;
  }

  // ---------- handlers, by operationId ----------
  type H = (c: Context, request: Request, url: URL) => Response | Promise<Response>;
  let mutated = false;
  const write = <T>(value: T): T => {
    mutated = true;
    return value;
  };

  const handlers: Record<string, H> = {
    getHealthCheck: () => new Response('Successful operation', { headers: { 'content-type': 'text/plain' } }),

    createAccessToken: (c) => {
      const body = c.request.requestBody as Json;
      if (body.client_id !== options.clientId || body.client_secret !== options.clientSecret) {
        return problem(401, 'invalid-api-key', 'The client id or client secret is not valid.', { message: 'Invalid client credentials.' });
      }
      const token = `emu_${crypto.randomUUID().replace(/-/g, '')}`;
      tokens.set(token, now() + 900_000);
      return Response.json({ access_token: token, token_type: 'Bearer', expires_in: 900 });
    },

    listWorkspaces: (c, _r, url) => {
      return listInWorkspaces(c, url, state.workspaces, workspaceResponse);
    },
    createWorkspace: (c) => {
      const body = c.request.requestBody as Json;
      const w = write({ workspaceId: crypto.randomUUID(), name: String(body.name), dataResidency: 'auto', notifications: (body.notifications as Json) ?? {}, createdAt: now() });
      state.workspaces[w.workspaceId] = w;
      return Response.json(workspaceResponse(w));
    },
    getWorkspace: (c) => {
      const w = state.workspaces[String(c.request.params.workspaceId)];
      return w ? Response.json(workspaceResponse(w)) : notFound('workspace', String(c.request.params.workspaceId));
    },
    updateWorkspace: (c) => {
      const w = state.workspaces[String(c.request.params.workspaceId)];
      if (!w) return notFound('workspace', String(c.request.params.workspaceId));
      const body = c.request.requestBody as Json;
      if (typeof body.name === 'string') w.name = body.name;
      if (body.notifications) w.notifications = body.notifications as Json;
      write(w);
      return Response.json(workspaceResponse(w));
    },
    deleteWorkspace: (c) => {
      const id = String(c.request.params.workspaceId);
      if (!state.workspaces[id]) return notFound('workspace', id);
      delete state.workspaces[id];
      for (const store of [state.sources, state.destinations]) for (const [k, a] of Object.entries(store)) if (a.workspaceId === id) delete store[k];
      for (const [k, conn] of Object.entries(state.connections)) if (conn.workspaceId === id) delete state.connections[k];
      write(id);
      return new Response(null, { status: 204 });
    },

    ...actorHandlers('source'),
    ...actorHandlers('destination'),

    initiateOAuth: (c, _r, url) => {
      const body = c.request.requestBody as Json;
      const workspaceId = String(body.workspaceId);
      if (!state.workspaces[workspaceId]) return notFound('workspace', workspaceId);
      const sourceType = String(body.sourceType ?? body.name ?? '');
      const def = registry.byType(sourceType, 'source');
      if (!def) return badRequest(`Unknown sourceType "${sourceType}".`);
      // Only back to an address it may send a user to: this machine, or an origin the emulator was told of.
      const redirect = allowedRedirect(body.redirectUrl, options.oauthRedirectOrigins ?? []);
      if (!redirect) return badRequest('redirectUrl must be an http(s) URL on this machine (localhost, 127.0.0.1) or on an origin given in the emulator\'s oauthRedirectOrigins.');
      const flowState = crypto.randomUUID();
      state.oauthFlows[flowState] = write({ workspaceId, sourceType, redirectUrl: redirect, createdAt: now() });
      // The consent page of a real identity provider would come first; the emulator's consent is
      // the callback itself, which redirects back with a secret id.
      const consentUrl = new URL(url);
      consentUrl.pathname = url.pathname.replace(/sources\/initiateOAuth$/, 'oauth/callback');
      consentUrl.search = new URLSearchParams({ state: flowState, code: `emu_code_${flowState.slice(0, 8)}` }).toString();
      return Response.json({ consentUrl: consentUrl.toString() });
    },
    oauthCallback: (_c, _r, url) => {
      const flowState = url.searchParams.get('state') ?? '';
      const flow = state.oauthFlows[flowState];
      if (!flow || !url.searchParams.get('code')) return badRequest('Unknown or missing OAuth state or code.');
      delete state.oauthFlows[flowState];
      const secretId = `${SECRET_ID_PREFIX}${crypto.randomUUID().replace(/-/g, '')}`;
      state.oauthSecrets[secretId] = write({
        workspaceId: flow.workspaceId,
        sourceType: flow.sourceType,
        values: { access_token: `emu_access_${secretId.slice(-12)}`, refresh_token: `emu_refresh_${secretId.slice(-12)}` },
      });
      const target = new URL(flow.redirectUrl);
      target.searchParams.set('secret_id', secretId);
      return new Response(null, { status: 302, headers: { location: target.toString() } });
    },

    listConnections: (c, _r, url) => {
      return listInWorkspaces(c, url, state.connections, connectionResponse);
    },
    createConnection: (c) => {
      const body = c.request.requestBody as Json;
      const source = state.sources[String(body.sourceId)];
      if (!source) return notFound('source', String(body.sourceId));
      const destination = state.destinations[String(body.destinationId)];
      if (!destination) return notFound('destination', String(body.destinationId));
      if (source.workspaceId !== destination.workspaceId) return badRequest('Source and destination must be in the same workspace.');
      const schedule = checkSchedule(body.schedule);
      if (schedule instanceof Response) return schedule;
      const streams = checkStreams(source.id, body.configurations);
      if (streams instanceof Response) return streams;
      const t = now();
      const connection: ConnectionRecord = write({
        connectionId: crypto.randomUUID(),
        name: typeof body.name === 'string' && body.name ? body.name : `${source.name} <> ${destination.name}`,
        sourceId: source.id,
        destinationId: destination.id,
        workspaceId: source.workspaceId,
        status: typeof body.status === 'string' ? body.status : 'active',
        schedule,
        nonBreakingSchemaUpdatesBehavior: typeof body.nonBreakingSchemaUpdatesBehavior === 'string' ? body.nonBreakingSchemaUpdatesBehavior : 'ignore',
        namespaceDefinition: typeof body.namespaceDefinition === 'string' ? body.namespaceDefinition : 'destination',
        ...(typeof body.namespaceFormat === 'string' ? { namespaceFormat: body.namespaceFormat } : {}),
        prefix: typeof body.prefix === 'string' ? body.prefix : '',
        configurations: streams,
        createdAt: Math.floor(t / 1000),
        tags: (body.tags as unknown[]) ?? [],
        scheduledUntil: t,
      });
      state.connections[connection.connectionId] = connection;
      return Response.json(connectionResponse(connection));
    },
    getConnection: (c) => {
      const conn = state.connections[String(c.request.params.connectionId)];
      return conn ? Response.json(connectionResponse(conn)) : notFound('connection', String(c.request.params.connectionId));
    },
    patchConnection: (c) => {
      const conn = state.connections[String(c.request.params.connectionId)];
      if (!conn) return notFound('connection', String(c.request.params.connectionId));
      const body = c.request.requestBody as Json;
      const next = { ...conn };
      if (body.schedule !== undefined) {
        const schedule = checkSchedule(body.schedule);
        if (schedule instanceof Response) return schedule;
        next.schedule = schedule;
        next.scheduledUntil = now();
      }
      if (body.configurations !== undefined) {
        const streams = checkStreams(conn.sourceId, body.configurations);
        if (streams instanceof Response) return streams;
        next.configurations = streams;
      }
      for (const key of ['name', 'status', 'nonBreakingSchemaUpdatesBehavior', 'namespaceDefinition', 'namespaceFormat', 'prefix', 'tags'] as const) {
        if (body[key] !== undefined) (next as Json)[key] = body[key];
      }
      state.connections[conn.connectionId] = write(next);
      return Response.json(connectionResponse(next));
    },
    deleteConnection: (c) => {
      const id = String(c.request.params.connectionId);
      if (!state.connections[id]) return notFound('connection', id);
      delete state.connections[write(id)];
      return new Response(null, { status: 204 });
    },

    getStreamProperties: (c) => {
      const q = c.request.query as Json;
      const sourceId = String(q.sourceId);
      if (!state.sources[sourceId]) return notFound('source', sourceId);
      if (q.destinationId !== undefined && !state.destinations[String(q.destinationId)]) return notFound('destination', String(q.destinationId));
      return Response.json(streamsFor(sourceId));
    },

    listJobs: (c, _r, url) => {
      const q = c.request.query as Json;
      const t = now();
      const ids = listParam(q, 'workspaceIds');
      const order = String(q.orderBy ?? 'createdAt|ASC');
      const m = /^(createdAt|updatedAt)\|(ASC|DESC)$/.exec(order);
      if (!m) return badRequest('orderBy must be createdAt or updatedAt, then |ASC or |DESC (e.g. updatedAt|DESC).');
      const within = (v: number, start: unknown, end: unknown) => (start === undefined || v >= Date.parse(String(start))) && (end === undefined || v <= Date.parse(String(end)));
      let items = Object.values(state.jobs).filter(
        (j) =>
          j.createdAt <= t &&
          (q.connectionId === undefined || j.connectionId === q.connectionId) &&
          (!ids || ids.has(j.workspaceId)) &&
          (q.jobType === undefined || j.jobType === q.jobType) &&
          (q.status === undefined || jobStatus(j, t) === q.status) &&
          within(j.createdAt, q.createdAtStart, q.createdAtEnd) &&
          within(jobUpdatedAt(j, t), q.updatedAtStart, q.updatedAtEnd),
      );
      const key = (j: JobRecord) => (m[1] === 'createdAt' ? j.createdAt : jobUpdatedAt(j, t)) * 1e6 + j.jobId;
      items = items.sort((a, b) => key(a) - key(b));
      if (m[2] === 'DESC') items.reverse();
      return page(url, q, items.map((j) => jobResponse(j, t)));
    },
    createJob: (c) => {
      const body = c.request.requestBody as Json;
      const conn = state.connections[String(body.connectionId)];
      if (!conn) return notFound('connection', String(body.connectionId));
      const t = now();
      if (runningJob(conn.connectionId, t)) {
        return problem(409, 'try-again-later', 'A sync is already running.', { message: `A sync is already running for: ${conn.connectionId}` });
      }
      return Response.json(jobResponse(write(startJob(conn, String(body.jobType), t)), t));
    },
    getJob: (c) => {
      const job = state.jobs[String(c.request.params.jobId)];
      return job && job.createdAt <= now() ? Response.json(jobResponse(job, now())) : notFound('job', String(c.request.params.jobId));
    },
    cancelJob: (c) => {
      const job = state.jobs[String(c.request.params.jobId)];
      if (!job) return notFound('job', String(c.request.params.jobId));
      const t = now();
      if (isTerminal(jobStatus(job, t))) return problem(409, 'state-conflict', 'Job is not currently running', { message: 'Job is not currently running' });
      job.cancelledAt = write(t);
      return Response.json(jobResponse(job, t));
    },

    listConnectorDefinitions: (c) => {
      const type = (c.request.query as Json).type === 'destination' ? 'destination' : 'source';
      return Response.json({ data: registry.list(type).map((d) => ({ id: d.id, name: d.name, connectorDefinitionType: type, version: d.dockerImageTag })) });
    },
    ...definitionHandlers('source'),
    ...definitionHandlers('destination'),
  };

  function definitionHandlers(kind: 'source' | 'destination'): Record<string, H> {
    const cap = kind === 'source' ? 'Source' : 'Destination';
    const view = (d: ConnectorDefinition) => ({ id: d.id, name: d.name, dockerRepository: d.dockerRepository, dockerImageTag: d.dockerImageTag, ...(d.documentationUrl ? { documentationUrl: d.documentationUrl } : {}) });
    return {
      [`list${cap}Definitions`]: (c, _r, url) => {
        const ws = String(c.request.params.workspaceId);
        if (!state.workspaces[ws]) return notFound('workspace', ws);
        return page(url, c.request.query as Json, registry.list(kind).map(view));
      },
      [`get${cap}Definition`]: (c) => {
        const ws = String(c.request.params.workspaceId);
        if (!state.workspaces[ws]) return notFound('workspace', ws);
        const d = registry.get(String(c.request.params.definitionId), kind);
        return d ? Response.json(view(d)) : notFound(`${kind}_definition`, String(c.request.params.definitionId));
      },
    };
  }

  function actorHandlers(kind: 'source' | 'destination'): Record<string, H> {
    const cap = kind === 'source' ? 'Source' : 'Destination';
    const idParam = `${kind}Id`;
    const store = () => actorStore(kind);
    const find = (c: Context) => store()[String(c.request.params[idParam])];
    /** Shared by create, patch and put: resolve OAuth, check against the spec, store. */
    const commit = (def: ConnectorDefinition, a: ActorRecord, secretId: unknown): Response => {
      if (typeof secretId === 'string' && kind === 'source') {
        const withSecret = applyOAuthSecret(def, a.configuration, secretId, a.workspaceId);
        if (withSecret instanceof Response) return withSecret;
        a.configuration = withSecret;
      }
      const invalid = validateConfig(def, a.configuration);
      if (invalid) return invalid;
      store()[a.id] = write(a);
      return Response.json(actorResponse(kind, a));
    };
    return {
      [`list${cap}s`]: (c, _r, url) => {
        return listInWorkspaces(c, url, store(), (a) => actorResponse(kind, a));
      },
      [`create${cap}`]: (c) => {
        const body = c.request.requestBody as Json;
        const workspaceId = String(body.workspaceId);
        if (!state.workspaces[workspaceId]) return notFound('workspace', workspaceId);
        const def = definitionFor(kind, body);
        if (def instanceof Response) return def;
        const a: ActorRecord = {
          id: crypto.randomUUID(),
          name: String(body.name),
          definitionId: def.id,
          workspaceId,
          configuration: structuredClone(body.configuration as Json),
          createdAt: Math.floor(now() / 1000),
          ...(body.resourceAllocation ? { resourceAllocation: body.resourceAllocation as Json } : {}),
        };
        return commit(def, a, body.secretId);
      },
      [`get${cap}`]: (c) => {
        const a = find(c);
        return a ? Response.json(actorResponse(kind, a)) : notFound(kind, String(c.request.params[idParam]));
      },
      [`patch${cap}`]: (c) => {
        const a = find(c);
        if (!a) return notFound(kind, String(c.request.params[idParam]));
        const body = c.request.requestBody as Json;
        const def = registry.get(a.definitionId, kind)!;
        const next: ActorRecord = { ...a, configuration: structuredClone(a.configuration) };
        if (typeof body.name === 'string') next.name = body.name;
        if (typeof body.workspaceId === 'string') {
          if (!state.workspaces[body.workspaceId]) return notFound('workspace', body.workspaceId);
          next.workspaceId = body.workspaceId;
        }
        if (body.configuration) next.configuration = merge(a.configuration, unmask(body.configuration, a.configuration) as Json);
        if (body.resourceAllocation) next.resourceAllocation = body.resourceAllocation as Json;
        return commit(def, next, body.secretId);
      },
      [`put${cap}`]: (c) => {
        const a = find(c);
        if (!a) return notFound(kind, String(c.request.params[idParam]));
        const body = c.request.requestBody as Json;
        const def = registry.get(a.definitionId, kind)!;
        const next: ActorRecord = { ...a, name: String(body.name), configuration: unmask(body.configuration, a.configuration) as Json };
        if (body.resourceAllocation) next.resourceAllocation = body.resourceAllocation as Json;
        return commit(def, next, undefined);
      },
      [`delete${cap}`]: (c) => {
        const a = find(c);
        if (!a) return notFound(kind, String(c.request.params[idParam]));
        delete store()[a.id];
        for (const [k, conn] of Object.entries(state.connections)) if (conn.sourceId === a.id || conn.destinationId === a.id) delete state.connections[k];
        write(a);
        return new Response(null, { status: 204 });
      },
    };
  }

  const PUBLIC = new Set(['getHealthCheck', 'createAccessToken', 'oauthCallback']);

  api.register({
    notFound: (_c: Context, request: Request, url: URL) => problem(404, 'resource-not-found', `No route for ${request.method} ${url.pathname}`),
    methodNotAllowed: (_c: Context, request: Request, url: URL) => problem(405, 'method-not-allowed', `${request.method} is not allowed on ${url.pathname}`),
    validationFail: (c: Context) => {
      const errors = (c.validation.errors ?? []).map((e) => `${e.instancePath.replace(/^\/requestBody/, '') || '/'} ${e.message ?? 'is invalid'}`);
      return badRequest(`The request is invalid: ${errors.join('; ')}`);
    },
  });
  for (const [operationId, handler] of Object.entries(handlers)) {
    api.register(operationId, (c: Context, request: Request, url: URL) => {
      if (!PUBLIC.has(operationId)) {
        const token = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
        const expiresAt = token ? tokens.get(token) : undefined;
        if (expiresAt === undefined || expiresAt <= now()) return unauthorized();
      }
      return handler(c, request, url);
    });
  }
  await api.init();
  // The router rebuilds its list of operations from the definition on every match (2–3 per
  // request, most of the emulator's CPU under load); the definition never changes after init.
  const operations = api.router.getOperations();
  api.router.getOperations = () => operations;

  /** Handles one request whose path is relative to the API root (e.g. `/sources`). */
  async function handle(request: Request, url: URL, apiPath: string): Promise<{ response: Response; operationId?: string }> {
    mutated = runSchedules();
    let body: unknown;
    const type = request.headers.get('content-type') ?? '';
    if (request.method !== 'GET' && request.method !== 'DELETE') {
      const text = await request.text();
      if (text) {
        if (type.includes('application/x-www-form-urlencoded')) body = Object.fromEntries(new URLSearchParams(text));
        else {
          try {
            body = JSON.parse(text);
          } catch {
            return { response: badRequest('The request body is not valid JSON.') };
          }
        }
      }
    }
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const all = url.searchParams.getAll(key);
      query[key] = ['workspaceIds', 'tagIds'].includes(key) ? all.flatMap((v) => v.split(',')) : all.length > 1 ? all : all[0]!;
    }
    const operation = api.matchOperation({ method: request.method, path: apiPath, headers: {} });
    const response = (await api.handleRequest(
      { method: request.method, path: apiPath, query, body, headers: Object.fromEntries(request.headers) },
      request,
      url,
    )) as Response;
    if (mutated) options.onChange();
    return { response, operationId: operation?.operationId };
  }

  return { handle, matchOperationId: (method: string, apiPath: string) => api.matchOperation({ method, path: apiPath, headers: {} })?.operationId };
}
