import { routes, type ConnectionStatus, type RouteName, type TemplateDetail } from '../shared/contract.ts';
import { ConfigValidator } from '../shared/configValidator.ts';
import { EmbedError } from '../shared/errors.ts';
import { describeSchedule } from '../shared/schedule.ts';
import { AirbyteApiError, AirbyteClient, type AirbyteCredentials } from './airbyteClient.ts';
import { findTemplate, onboardSource, toConnectionSummary, toJobSummary, workspaceFor, type OnboardingContext } from './onboarding.ts';
import { verifySessionToken, type Session } from './sessionToken.ts';
import { createMemoryStore, type ProxyStore } from './store.ts';
import type { TemplateSet } from './templates.ts';

/** The proxy's only shape: a web-standard fetch handler. Mount it in any server (see adapters). */
export type FetchHandler = (request: Request) => Promise<Response>;

/** One log record. Never contains request bodies, tokens or credentials. */
export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  requestId: string;
  method?: string;
  path?: string;
  status?: number;
  code?: string;
  customerId?: string;
  durationMs?: number;
}

export interface EmbedProxyOptions {
  /** Airbyte credentials (kept on the server only), or a ready client. */
  airbyte: AirbyteCredentials | AirbyteClient;
  /** Secret that signs session tokens; the same one you pass to `createSessionToken`. */
  sessionSecret: string;
  /** Source and connection templates (e.g. from `loadTemplatesFile`). */
  templates: TemplateSet;
  /** Where the proxy remembers customers' workspaces; default: in memory. */
  store?: ProxyStore;
  /** Path prefix the handler is mounted at; default `/api/embed`. */
  basePath?: string;
  /** Receives one entry per request and per error; default: errors to `console.error`. */
  log?: (entry: LogEntry) => void;
  /** Largest accepted request body in bytes; default 1 MiB. */
  maxBodyBytes?: number;
}

interface RequestContext {
  request: Request;
  params: Record<string, string>;
  session: Session;
  body: unknown;
}

const defaultLog = (entry: LogEntry) => {
  if (entry.level === 'error') console.error(JSON.stringify(entry));
};

/**
 * Creates the backend proxy: the only component that holds Airbyte credentials. Every route
 * requires a session token (from `createSessionToken`) in `Authorization: Bearer …`, checks the
 * calling page's origin against the token, and acts only inside that customer's workspace.
 */
export function createEmbedProxy(options: EmbedProxyOptions): FetchHandler {
  const airbyte = options.airbyte instanceof AirbyteClient ? options.airbyte : new AirbyteClient(options.airbyte);
  const basePath = (options.basePath ?? '/api/embed').replace(/\/+$/, '');
  const log = options.log ?? defaultLog;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const ctx: OnboardingContext = {
    airbyte,
    store: options.store ?? createMemoryStore(),
    validator: new ConfigValidator(),
    templates: options.templates,
    inflight: new Map(),
  };
  // Fail at start-up, not at the first request, when the secret is unusable.
  if (typeof options.sessionSecret !== 'string' || options.sessionSecret.length < 32) {
    throw new Error('createEmbedProxy: sessionSecret must be at least 32 characters (e.g. `openssl rand -hex 32`).');
  }

  /** The routes, in one place: contract route name → handler. */
  const handlers: { [R in RouteName]: (c: RequestContext) => Promise<unknown> } = {
    listTemplates: async () => ({
      data: ctx.templates.sources.map(({ id, name, icon }) => ({ id, name, ...(icon ? { icon } : {}) })),
    }),
    getTemplate: async ({ params }): Promise<TemplateDetail> => {
      const t = findTemplate(ctx.templates, params.templateId!);
      return {
        id: t.id,
        name: t.name,
        ...(t.icon ? { icon: t.icon } : {}),
        spec: t.partialUserConfigSpec.connectionSpecification,
        connections: ctx.templates.connections.map((c) => ({
          destinationName: c.destination_name,
          schedule: describeSchedule(c.cron_expression),
          syncOnCreate: c.sync_on_create !== false,
        })),
      };
    },
    createSource: async ({ session, body }) => onboardSource(ctx, session.customerId, body),
    getConnection: async ({ session, params }): Promise<ConnectionStatus> => {
      const notFound = new EmbedError('not_found', 'This connection does not exist or is not yours. Reload the page to see your connections.');
      const workspaceId = await ctx.store.getWorkspaceId(session.customerId);
      if (!workspaceId) throw notFound;
      const connection = await airbyte.getConnection(params.connectionId!).catch((e: unknown) => {
        throw e instanceof AirbyteApiError && e.status === 404 ? notFound : e;
      });
      if (connection.workspaceId !== workspaceId) throw notFound;
      const record = await ctx.store.getSource(connection.sourceId);
      const destinationName =
        record?.destinationNames[connection.destinationId] ?? (await airbyte.getDestination(connection.destinationId)).name;
      const [latest] = await airbyte.listJobs(connection.connectionId, 1);
      return { connection: toConnectionSummary(connection, destinationName), latestJob: latest ? toJobSummary(latest) : null };
    },
  };

  const table = Object.entries(routes).map(([name, def]) => ({
    name: name as RouteName,
    method: def.method,
    pattern: new RegExp(`^${def.path.replace(/:([A-Za-z]+)/g, '(?<$1>[^/]+)')}$`),
  }));

  function match(method: string, path: string) {
    const candidates = table.filter((r) => r.pattern.test(path));
    if (!candidates.length) throw new EmbedError('not_found', `No such endpoint: ${path}. Check the proxy's base path (${basePath}).`);
    const route = candidates.find((r) => r.method === method);
    if (!route) throw new EmbedError('method_not_allowed', `${method} is not allowed on ${path}.`);
    const groups = route.pattern.exec(path)?.groups ?? {};
    const params = Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, decodeURIComponent(v)]));
    return { name: route.name, params };
  }

  async function authenticate(request: Request): Promise<Session> {
    const header = request.headers.get('authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1];
    if (!token) throw new EmbedError('unauthorized', 'Missing session token. The host app must pass a token from createSessionToken() to the widget.');
    const session = await verifySessionToken(token, options.sessionSecret);
    const origin = callerOrigin(request);
    if (origin && origin !== session.allowedOrigin) {
      throw new EmbedError('origin_not_allowed', `This session is for ${session.allowedOrigin}, not for ${origin}. Mint the token with the page's origin.`);
    }
    return session;
  }

  async function readJson(request: Request): Promise<unknown> {
    const type = request.headers.get('content-type') ?? '';
    if (!/^application\/json\b/i.test(type)) {
      throw new EmbedError('unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json".');
    }
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (declared > maxBodyBytes) throw new EmbedError('payload_too_large', `The request body is larger than ${maxBodyBytes} bytes.`);
    const text = await request.text();
    if (new TextEncoder().encode(text).length > maxBodyBytes) throw new EmbedError('payload_too_large', `The request body is larger than ${maxBodyBytes} bytes.`);
    try {
      return JSON.parse(text);
    } catch {
      throw new EmbedError('invalid_request', 'The request body is not valid JSON.');
    }
  }

  function toError(error: unknown, requestId: string): EmbedError {
    if (error instanceof EmbedError) return error;
    if (error instanceof AirbyteApiError) {
      if (error.status === 0 || error.status === 429 || error.status >= 500) {
        return new EmbedError('upstream_unavailable', 'The data service is not responding right now. Your details are kept; try again in a moment.', { cause: error });
      }
      return new EmbedError('upstream_error', `The data service refused the request (${error.problem?.title ?? error.status}) during ${error.operation}. Check your details and try again; if it keeps failing, contact support with request id ${requestId}.`, { cause: error });
    }
    return new EmbedError('internal_error', `Something went wrong on our side. Try again; if it keeps failing, contact support with request id ${requestId}.`, { cause: error });
  }

  function corsHeaders(request: Request, session?: Session): Headers {
    const headers = new Headers({ vary: 'Origin' });
    const origin = request.headers.get('origin');
    if (origin && (!session || origin === session.allowedOrigin)) {
      headers.set('access-control-allow-origin', origin);
      headers.set('access-control-expose-headers', 'x-request-id');
    }
    return headers;
  }

  return async function handle(request: Request): Promise<Response> {
    const started = Date.now();
    const requestId = request.headers.get('x-request-id')?.slice(0, 64) || crypto.randomUUID();
    const url = new URL(request.url);
    let session: Session | undefined;
    let status = 200;
    try {
      if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
        throw new EmbedError('not_found', `No such endpoint: ${url.pathname}. The proxy is mounted at ${basePath}.`);
      }
      if (request.method === 'OPTIONS') {
        const headers = corsHeaders(request);
        headers.set('access-control-allow-methods', 'GET, POST, PATCH, DELETE');
        headers.set('access-control-allow-headers', 'authorization, content-type, x-request-id');
        headers.set('access-control-max-age', '600');
        status = 204;
        return new Response(null, { status, headers });
      }
      const { name, params } = match(request.method, url.pathname.slice(basePath.length) || '/');
      session = await authenticate(request);
      const body = request.method === 'POST' || request.method === 'PATCH' ? await readJson(request) : undefined;
      const result = await handlers[name]({ request, params, session, body });
      status = name === 'createSource' ? 201 : 200;
      const headers = corsHeaders(request, session);
      headers.set('content-type', 'application/json');
      headers.set('cache-control', 'no-store');
      headers.set('x-request-id', requestId);
      return new Response(JSON.stringify(result), { status, headers });
    } catch (thrown) {
      const error = toError(thrown, requestId);
      status = error.status;
      const cause = error.cause instanceof Error ? error.cause : undefined;
      log({
        level: status >= 500 ? 'error' : 'warn',
        message: cause ? `${error.message} [${cause.name}: ${cause.message}]` : error.message,
        requestId,
        method: request.method,
        path: url.pathname,
        status,
        code: error.code,
        customerId: session?.customerId,
      });
      // A page on another origin must not even read why it was refused.
      const headers = error.code === 'origin_not_allowed' ? new Headers({ vary: 'Origin' }) : corsHeaders(request, session);
      headers.set('content-type', 'application/json');
      headers.set('cache-control', 'no-store');
      headers.set('x-request-id', requestId);
      const body = new EmbedError(error.code, error.message, { fieldErrors: error.fieldErrors, requestId, status }).toBody();
      return new Response(JSON.stringify(body), { status, headers });
    } finally {
      log({ level: 'info', message: 'request', requestId, method: request.method, path: url.pathname, status, customerId: session?.customerId, durationMs: Date.now() - started });
    }
  };
}

/**
 * The origin of the page making the call. Browsers send `Origin` on cross-origin and on POST
 * requests; a same-origin GET may omit it, and then `Sec-Fetch-Site: same-origin` means the page
 * shares the proxy's own origin. Without either, the caller is not a browser page (curl, a server),
 * for which an origin claim proves nothing anyway; the token alone then decides.
 */
function callerOrigin(request: Request): string | undefined {
  const origin = request.headers.get('origin');
  if (origin && origin !== 'null') return origin;
  if (origin === 'null') return 'null';
  if (request.headers.get('sec-fetch-site') === 'same-origin') return new URL(request.url).origin;
  return undefined;
}
