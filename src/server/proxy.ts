import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { IDEMPOTENCY_HEADER, isOnboardingPending, routes, type OnboardingPending, type OnboardingResult, type PingAnswer, type RouteName } from '../shared/contract.ts';
import { ConfigValidator } from '../shared/configValidator.ts';
import { EmbedError } from '../shared/errors.ts';
import { AirbyteApiError, AirbyteClient, type AirbyteCredentials } from './airbyteClient.ts';
import { customerApi, overview } from './customerApi.ts';
import { onboardSource, operatorError, removeOnboarding, resumeOnboarding, type OnboardingContext } from './onboarding.ts';
import { oauthCallbackPage, reconnectSource, startOAuth } from './oauth.ts';
import { operatorRoutes } from './operatorApi.ts';
import { destinationConfigProblems } from './destinationCheck.ts';
import { checkOrigin, checkSessionSecret, verifySessionToken, type Session } from './sessionToken.ts';
import { createEmbeddedStore, type ProxyStore } from './store/proxyStore.ts';
import { hasTemplateSetShape, type TemplateSet } from './templates.ts';
import { createWebhookWorker, type WebhookWorker } from './webhooks/delivery.ts';
import { receiveNotification } from './webhooks/inbound.ts';
import { ensureAllWorkspaceNotifications, NOTIFICATION_KINDS, type NotificationKind } from './webhooks/notifications.ts';

/** The proxy's only shape: a web-standard fetch handler. Mount it in any server (see adapters). */
export type FetchHandler = (request: Request, info?: RequestInfo) => Promise<Response>;

/** One structured log record. Never contains request bodies, tokens, secrets or credentials. */
export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  requestId: string;
  method?: string | undefined;
  path?: string | undefined;
  status?: number | undefined;
  code?: string | undefined;
  customerId?: string | undefined;
  durationMs?: number | undefined;
}

export interface EmbedProxyOptions {
  /** Airbyte credentials (kept on the server only), or a ready client. */
  airbyte: AirbyteCredentials | AirbyteClient;
  /** Secret that signs session tokens; the same one you pass to `createSessionToken`. */
  sessionSecret: string;
  /** Templates to load into the store at start (e.g. from `loadTemplatesFile`); same ids are replaced. */
  templates?: TemplateSet | undefined;
  /** Where the proxy keeps its state. Default: the embedded store (PGlite) in `dataDir`. */
  store?: ProxyStore | undefined;
  /** Folder of the default embedded store; default `.airbyte-embed-kit` in the working directory. */
  dataDir?: string | undefined;
  /** Enables the operator API at `<basePath>/operator`, for `Authorization: Bearer <operatorKey>`. */
  operatorKey?: string | undefined;
  /** Path prefix the handler is mounted at; default `/api/embed`. */
  basePath?: string | undefined;
  /** Origins allowed to call from a browser (CORS); default: any origin a session token names. */
  allowedOrigins?: string[] | undefined;
  /** Requests per customer per window (429 with Retry-After beyond); default 300 per 60 s; `false` disables. */
  rateLimit?: { points: number; durationSeconds: number } | false | undefined;
  /** Receives one entry per request and per error; default: JSON lines on stdout/stderr. */
  log?: ((entry: LogEntry) => void) | undefined;
  /** Largest accepted request body in bytes, counted while it streams in (chunked too); default 1 MiB. */
  maxBodyBytes?: number | undefined;
  /** How long a request body may take to arrive, in ms (408 after); default 10,000. */
  bodyTimeoutMs?: number | undefined;
  /**
   * The origin browsers use to reach the proxy, e.g. `https://app.example.com`, for same-origin
   * requests that carry no `Origin` header. Set it when TLS ends in front of the proxy or a proxy
   * rewrites `Host` (nginx, a load balancer, `next start`), unless `trustProxy` is on.
   */
  publicOrigin?: string | undefined;
  /**
   * Trust `X-Forwarded-Proto`/`X-Forwarded-Host` (or `Forwarded`) for the public origin and
   * `X-Forwarded-For` for the client IP. Only when a proxy you run sets them; default false.
   */
  trustProxy?: boolean | undefined;
  /** Requests per client IP per window, authenticated or not (429 beyond); default 600 per 60 s; `false` disables. */
  ipRateLimit?: { points: number; durationSeconds: number } | false | undefined;
  /** Sources one customer may have; default 50. */
  maxSourcesPerCustomer?: number | undefined;
  /** Onboardings one customer may run at once on this instance (more wait; past 20 waiting, 429); default 3. */
  maxConcurrentOnboardings?: number | undefined;
  /**
   * How long `POST /sources` waits for its onboarding before answering 202 (`running`) and letting
   * it go on (the widget then polls its progress): a credentials check can take minutes, and no
   * request should be held open that long (load balancers cut it at 60 s). Default 20 s.
   */
  holdOnboardingMs?: number | undefined;
  /**
   * Sign-ins ("Sign in with …" for templates with `advancedAuth`): `flow: 'public'` (default) for
   * Airbyte Cloud's `initiateOAuth`; `'config'` for self-managed Airbyte, whose public API answers
   * that with 501: the Config API's `source_oauths` routes instead (`airbyte.configApiUrl`).
   */
  oauth?: { flow?: 'public' | 'config' } | undefined;
  /**
   * Self-managed Airbyte whose Config API the proxy can reach (`airbyte.configApiUrl`): check the
   * customer's details before creating anything (`check_connection`) and learn which streams the
   * connector suggests (`discover_schema`; the public API does not say). Default false.
   */
  configApi?: boolean | undefined;
  /**
   * Exchange the Airbyte credentials once at start-up and log (level `error`) what is wrong when
   * Airbyte refuses them or cannot be reached. Default true; the proxy still starts either way.
   */
  checkAirbyteOnStart?: boolean | undefined;
  /**
   * Signed webhooks to the operator's endpoints (README "Webhooks"; endpoints are registered
   * through the operator API). The delivery worker runs in every proxy instance unless
   * `worker: false`; several instances over one PostgreSQL store share the work.
   */
  webhooks?: {
    /** Run the delivery worker here; default true. */
    worker?: boolean | undefined;
    /** How the worker POSTs; default the global `fetch`. */
    fetch?: typeof fetch | undefined;
    /** How often the worker looks for due deliveries; default 1000 ms. */
    pollMs?: number | undefined;
    /** How long a receiver may take to answer; default 10 s. */
    timeoutMs?: number | undefined;
    /** Accept `http://` endpoint URLs to any host (default: https, or http only to localhost). */
    allowInsecureUrls?: boolean | undefined;
    /** Accept endpoint URLs whose host is a private or link-local IP address; default false. */
    allowPrivateNetworks?: boolean | undefined;
    /**
     * The proxy's public origin as Airbyte reaches it, e.g. `https://app.example.com`: every
     * workspace the proxy creates or adopts gets Airbyte's notifications pointed at
     * `<publicUrl><basePath>/airbyte/notifications/<token>` (a random token per workspace), which
     * become `sync.succeeded`, `sync.failed`, `credentials.broken`/`restored`,
     * `connection.disabled`/`disable_warning` and `schema.changed` events. Without it, none of
     * those arrive (one warning at start).
     */
    publicUrl?: string | undefined;
    /** Which Airbyte notification kinds to receive; default all six (`NOTIFICATION_KINDS`). */
    notificationKinds?: NotificationKind[] | undefined;
  } | undefined;
  now?: (() => number) | undefined;
}

/** The proxy: a fetch handler, with its webhook delivery worker (stop it before closing the store). */
/** The proxy's fetch handler, with its webhook worker and the base path it answers under (`''` for `/`). */
export type EmbedProxy = FetchHandler & { webhooks: WebhookWorker; basePath: string };

/**
 * What an adapter may tell the handler beside the request: the socket's address, which a fetch
 * handler cannot see (`toNodeListener` passes Node's `incoming`).
 */
export interface RequestInfo {
  clientIp?: string | undefined;
  incoming?: { socket?: { remoteAddress?: string } } | undefined;
}

const defaultLog = (entry: LogEntry) => (entry.level === 'error' ? console.error : console.log)(JSON.stringify(entry));

function timingSafeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

function compile<T extends { method: string; path: string }>(defs: T[]) {
  return defs.map((d) => ({ ...d, pattern: new RegExp(`^${d.path.replace(/:([A-Za-z]+)/g, '(?<$1>[^/]+)')}$`) }));
}

function match<T extends { method: string; pattern: RegExp }>(table: T[], method: string, path: string, basePath: string) {
  const candidates = table.filter((r) => r.pattern.test(path));
  if (!candidates.length) throw new EmbedError('not_found', `No such endpoint: ${path}. Check the proxy's base path (${basePath}).`);
  const route = candidates.find((r) => r.method === method);
  if (!route) throw new EmbedError('method_not_allowed', `${method} is not allowed on ${path}.`);
  const groups = route.pattern.exec(path)?.groups ?? {};
  const decode = (v: string) => {
    let value: string;
    try {
      value = decodeURIComponent(v);
    } catch {
      throw new EmbedError('invalid_request', `The URL ${path.slice(0, 200)} has a malformed %-escape. Encode ids with encodeURIComponent.`);
    }
    // No id holds a control character; PostgreSQL refuses a NUL in text (a 500 if it got that far).
    if (/[\u0000-\u001f\u007f]/.test(value)) throw new EmbedError('invalid_request', `The URL ${path.slice(0, 200)} holds a control character in an id. Send the id as the proxy gave it.`);
    return value;
  };
  return { route, params: Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, decode(v)])) };
}

/**
 * Creates the backend proxy: the only component that holds Airbyte credentials. Customer routes
 * need a session token (from `createSessionToken`) in `Authorization: Bearer …`, check the calling
 * page's origin against it, and act only on that customer's resources. Operator routes need the
 * operator key.
 */
export function createEmbedProxy(options: EmbedProxyOptions): EmbedProxy {
  checkSessionSecret(options.sessionSecret, 'createEmbedProxy: sessionSecret');
  if (options.operatorKey !== undefined && options.operatorKey.length < 24) {
    throw new Error('createEmbedProxy: operatorKey must be at least 24 characters (e.g. `openssl rand -hex 24`).');
  }
  // A JavaScript host (no types to stop it) may pass the template list itself: say what to pass.
  const templates = options.templates as unknown;
  if (templates !== undefined && !hasTemplateSetShape(templates)) {
    throw new Error(
      `createEmbedProxy: templates must be { sources: [...], connections: [...] }, as loadTemplatesFile(path) or parseTemplates(json) returns; got ${Array.isArray(templates) ? 'an array' : templates === null ? 'null' : typeof templates === 'object' ? `an object with ${Object.keys(templates).map((k) => JSON.stringify(k)).join(', ') || 'no keys'}` : `a ${typeof templates}`}.`,
    );
  }
  const airbyte = options.airbyte instanceof AirbyteClient ? options.airbyte : new AirbyteClient(options.airbyte);
  const basePath = (options.basePath ?? '/api/embed').replace(/\/+$/, '');
  const log = options.log ?? defaultLog;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const store = options.store ?? createEmbeddedStore({ dataDir: options.dataDir ?? '.airbyte-embed-kit' });
  const ctx: OnboardingContext = { airbyte, store, validator: new ConfigValidator(), now: options.now ?? Date.now, maxSourcesPerCustomer: options.maxSourcesPerCustomer ?? 50, log, configApi: options.configApi === true };
  const worker = createWebhookWorker({ store, now: ctx.now, fetch: options.webhooks?.fetch, log, pollMs: options.webhooks?.pollMs, timeoutMs: options.webhooks?.timeoutMs });
  ctx.webhooks = { urlPolicy: { allowInsecureUrls: options.webhooks?.allowInsecureUrls, allowPrivateNetworks: options.webhooks?.allowPrivateNetworks }, kick: () => worker.kick() };
  ctx.notifications = inboundNotifications(options.webhooks, basePath);

  const limiter = options.rateLimit === false ? undefined : new RateLimiterMemory({ points: options.rateLimit?.points ?? 300, duration: options.rateLimit?.durationSeconds ?? 60 });
  const ipLimiter = options.ipRateLimit === false ? undefined : new RateLimiterMemory({ points: options.ipRateLimit?.points ?? 600, duration: options.ipRateLimit?.durationSeconds ?? 60 });
  const allowed = options.allowedOrigins && new Set(options.allowedOrigins.map((o) => checkOrigin(o)));
  const publicOrigin = options.publicOrigin === undefined ? undefined : checkOrigin(options.publicOrigin);
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 10_000;
  const gate = new CustomerGate(options.maxConcurrentOnboardings ?? 3, 20);
  const holdOnboardingMs = options.holdOnboardingMs ?? 20_000;
  // Load the configured templates once, before the first request is answered.
  const seeded = (async () => {
    await store.init();
    for (const t of options.templates?.sources ?? []) await store.putSourceTemplate(t);
    for (const t of options.templates?.connections ?? []) await store.putConnectionTemplate(t);
  })();
  // Wrong Airbyte credentials or URL are found now, not at a customer's first connect: one token
  // exchange (the first call reuses its token), and a log line that says which it is.
  if (options.checkAirbyteOnStart !== false) {
    airbyte.verifyCredentials().catch((error: unknown) => log({ level: 'error', message: startupProblem(error, airbyte.baseUrl), requestId: 'startup' }));
  }
  // Loaded templates Airbyte would refuse at a customer's first connect are named in the log now.
  if (options.checkAirbyteOnStart !== false && options.templates?.connections.length) {
    void seeded.then(async () => {
      const workspaceId = (await store.listCustomerWorkspaces())[0]?.workspaceId;
      for (const t of options.templates!.connections) {
        const problems = await destinationConfigProblems(airbyte, t, workspaceId).catch(() => undefined);
        if (problems?.length) log({ level: 'error', message: `Connection template "${t.id}" (${t.destination_name}): Airbyte would refuse its destination: ${problems.map((e) => `${e.path.join('.')} ${e.message}`).join('; ')}. Customers' connects will fail until it is fixed.`, requestId: 'startup' });
      }
    }, () => undefined);
  }
  // Workspaces known from before (or whose notification kinds changed) are pointed at the proxy.
  if (ctx.notifications) void seeded.then(() => ensureAllWorkspaceNotifications(ctx), () => undefined).catch(() => undefined);
  else {
    // Said once, and only to operators with endpoints (others use no webhooks at all).
    void seeded
      .then(async () => {
        if ((await store.query('SELECT 1 FROM aek_webhook_endpoints LIMIT 1')).length) {
          log({ level: 'warn', message: "webhooks.publicUrl is not set: Airbyte's notifications are not pointed at the proxy, so its webhook endpoints get no sync.succeeded, sync.failed, credentials.broken/restored, connection.disabled/disable_warning or schema.changed events (only the proxy's own). Set it to the origin Airbyte reaches the proxy at.", requestId: 'startup' });
        }
      })
      .catch(() => undefined);
  }
  // Every request awaits this and fails with a 500 if the store cannot start; say why once, here.
  seeded.catch((error: Error) => log({ level: 'error', message: `The proxy's store could not start: ${error.message}`, requestId: 'startup' }));

  /** The customer routes, in one place: contract route name → handler. */
  type C = { session: Session; params: Record<string, string>; body: unknown; request: Request };
  const customer: { [R in RouteName]: (c: C) => Promise<unknown> } = {
    listTemplates: ({ session }) => customerApi.listTemplates(ctx, session),
    getTemplate: ({ session, params }) => customerApi.getTemplate(ctx, session, params.templateId!),
    // Each customer runs a few onboardings at once on this instance; the rest wait their turn.
    // A discover can take minutes: past `holdOnboardingMs` the answer is a 202 and the saga goes
    // on; the widget polls `GET /onboardings/:key`, which holds the outcome.
    createSource: ({ session, body, request }) => {
      const given = request.headers.get(IDEMPOTENCY_HEADER) ?? undefined;
      const key = given && /^[A-Za-z0-9._:-]{8,128}$/.test(given) ? given : given === undefined ? crypto.randomUUID() : given;
      return hold(key, gate.run(session.customerId, () => onboardSource(ctx, session, body, key)));
    },
    // "Finish setup" in the manage view: the same saga, resumed from its record, held the same way.
    resumeOnboarding: ({ session, params, body }) => hold(params.key!, gate.run(session.customerId, () => resumeOnboarding(ctx, session, params.key!, body))),
    removeOnboarding: ({ session, params }) => removeOnboarding(ctx, session, params.key!),
    listSources: ({ session }) => customerApi.listSources(ctx, session),
    getSource: ({ session, params }) => customerApi.getSource(ctx, session, params.sourceId!),
    updateSource: ({ session, params, body }) => customerApi.updateSource(ctx, session, params.sourceId!, body),
    deleteSource: ({ session, params }) => customerApi.deleteSource(ctx, session, params.sourceId!),
    getConnection: ({ session, params }) => customerApi.getConnection(ctx, session, params.connectionId!),
    startSync: ({ session, params }) => customerApi.startSync(ctx, session, params.connectionId!),
    listJobs: ({ session, params }) => customerApi.listJobs(ctx, session, params.connectionId!),
    getOnboarding: ({ session, params }) => customerApi.getOnboarding(ctx, session, params.key!),
    startOAuth: ({ session, body, request }) => startOAuth(ctx, session, body, `${publicOrigin ?? ownOrigin(request, options.trustProxy === true)}${basePath}/oauth/callback`, options.sessionSecret, options.oauth?.flow ?? 'public'),
    reconnectSource: ({ session, params, body }) =>
      reconnectSource(ctx, session, params.sourceId!, body, (record) => overview(ctx, record)),
    getConnectionStreams: ({ session, params }) => customerApi.getConnectionStreams(ctx, session, params.connectionId!),
    updateConnectionStreams: ({ session, params, body }) => customerApi.updateConnectionStreams(ctx, session, params.connectionId!, body),
  };
  /** An onboarding's answer if it comes within `holdOnboardingMs`, else 202 `running` (its outcome is recorded by the saga). */
  async function hold(key: string, run: Promise<OnboardingResult | OnboardingPending>): Promise<OnboardingResult | OnboardingPending> {
    let timer: Parameters<typeof clearTimeout>[0];
    const held = await Promise.race([run.then((result) => ({ result })), new Promise<undefined>((resolve) => (timer = setTimeout(resolve, holdOnboardingMs)))]).finally(() => clearTimeout(timer));
    if (held) return held.result;
    // Nobody awaits this promise any more.
    run.catch((error: unknown) => log({ level: error instanceof EmbedError && error.status < 500 ? 'info' : 'warn', message: `Onboarding ${key} ended after its request was answered: ${(error as Error).message}`, requestId: key }));
    return { status: 'running', onboardingKey: key } satisfies OnboardingPending;
  }
  const customerTable = compile(Object.entries(routes).map(([name, def]) => ({ name: name as RouteName, method: def.method, path: def.path })));
  const operatorTable = compile(operatorRoutes);

  // A widget sends the same token with every request for its 15 minutes: verify its signature
  // once and remember the result until it expires (bounded, so tokens cannot fill memory).
  const verified = new Map<string, Session>();
  async function verifiedSession(token: string): Promise<Session> {
    const known = verified.get(token);
    if (known && known.expiresAt > Date.now()) return known;
    const session = await verifySessionToken(token, options.sessionSecret);
    if (verified.size >= 10_000) verified.clear();
    verified.set(token, session);
    return session;
  }

  async function authenticate(request: Request): Promise<Session> {
    const token = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    if (!token) throw new EmbedError('unauthorized', 'Missing session token. The host app must pass a token from createSessionToken() to the widget.');
    const session = await verifiedSession(token);
    const caller = callerOrigin(request, publicOrigin, options.trustProxy === true);
    if (caller && caller.origin !== session.allowedOrigin) {
      throw new EmbedError(
        'origin_not_allowed',
        caller.sameOrigin
          ? `This session is for ${session.allowedOrigin}, but the request came from ${caller.origin} (the proxy's own origin, as it sees it). If the page is at ${caller.origin} (e.g. localhost vs 127.0.0.1), mint the token with allowedOrigin '${caller.origin}'; if the page is at ${session.allowedOrigin} behind TLS termination or a proxy that rewrites Host, set \`publicOrigin\` (or \`trustProxy\`) in createEmbedProxy; in development behind Vite's server.proxy, use the object form with changeOrigin: false ({ target, changeOrigin: false }; its string shorthand rewrites Host).`
          : `This session is for ${session.allowedOrigin}, not for ${caller.origin}. Mint the token with the page's origin.`,
      );
    }
    if (allowed && !allowed.has(session.allowedOrigin)) throw new EmbedError('origin_not_allowed', `${session.allowedOrigin} is not in the proxy's allowedOrigins.`);
    return session;
  }

  async function readJson(request: Request): Promise<unknown> {
    // The host's route read the body first (`await request.json()` before `proxy(request)`):
    // the runtime would only say "ReadableStream is locked" or "Body is unusable".
    if (request.bodyUsed || request.body?.locked) throw new EmbedError('host_misconfigured', BODY_ALREADY_READ, { status: 500 });
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (declared > maxBodyBytes) throw new EmbedError('payload_too_large', `The request body is larger than ${maxBodyBytes} bytes.`);
    const json = /^application\/json\b/i.test(request.headers.get('content-type') ?? '');
    // Counted as it streams in: a chunked body says nothing of its size until it has arrived.
    const bytes = await readBody(request, json ? maxBodyBytes : 0, bodyTimeoutMs);
    if (!bytes.length) return undefined; // e.g. POST …/sync; routes that need a body say so
    if (!json) throw new EmbedError('unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json".');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new EmbedError('invalid_request', 'The request body is not valid UTF-8.');
    }
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
      // The customer's ids are checked against the store first: a 404 here is something Airbyte no longer has.
      // (Cloud answers 403 for an id in a workspace it no longer has.)
      if (error.status === 404 || error.status === 403) return new EmbedError('not_found', 'Airbyte no longer has this item (it was removed there). Reload the page to see the current list.', { cause: error });
      // The customer's values were validated before they reached Airbyte: its refusal is the site's set-up.
      return operatorError(ctx, error, `Request ${requestId}`, requestId);
    }
    return new EmbedError('internal_error', `Something went wrong on our side. Try again; if it keeps failing, contact support with request id ${requestId}.`, { cause: error });
  }

  function corsHeaders(request: Request, session?: Session): Headers {
    const headers = new Headers({ vary: 'Origin' });
    const origin = request.headers.get('origin');
    const ok = origin && (!allowed || allowed.has(origin)) && (!session || origin === session.allowedOrigin);
    if (ok) {
      headers.set('access-control-allow-origin', origin);
      headers.set('access-control-expose-headers', 'x-request-id, retry-after');
    }
    return headers;
  }

  async function route(request: Request, url: URL, state: { session?: Session; operator?: boolean }, requestId: string): Promise<Response> {
    const path = url.pathname.slice(basePath.length) || '/';
    if (request.method === 'OPTIONS') {
      const headers = corsHeaders(request);
      headers.set('access-control-allow-methods', 'GET, POST, PATCH, DELETE');
      headers.set('access-control-allow-headers', `authorization, content-type, x-request-id, ${IDEMPOTENCY_HEADER.toLowerCase()}`);
      headers.set('access-control-max-age', '600');
      return new Response(null, { status: 204, headers });
    }
    // Asked by a page whose calls the browser refused (CORS): whether this proxy allows its origin.
    if (path === '/ping' && request.method === 'GET') {
      const origin = request.headers.get('origin');
      const answer: PingAnswer = { service: 'airbyte-embed-kit', originAllowed: !origin || !allowed || allowed.has(origin) };
      return json(200, answer, new Headers({ 'access-control-allow-origin': '*', 'cache-control': 'no-store' }));
    }
    await seeded;
    // Where the sign-in window lands: a browser navigation with no token; the signed state is the proof.
    const callback = /^\/oauth\/callback(?:\/([A-Za-z0-9_.-]{20,4096}))?$/.exec(path);
    if (callback && request.method === 'GET') return oauthCallbackPage(ctx, url, options.sessionSecret, callback[1]);
    // Airbyte's workspace notifications: the secret path token is the proof (Airbyte signs nothing).
    // Everything under it is this route (a trailing slash, an extra segment): no other answer echoes the token.
    const notification = /^\/airbyte\/notifications(?:\/(.*))?$/.exec(path);
    if (notification) {
      if (request.method !== 'POST') throw new EmbedError('method_not_allowed', `${request.method} is not allowed here.`);
      const result = await receiveNotification(ctx, notification[1] ?? '', () => readJson(request), requestId);
      return json(result.status, result.body, new Headers());
    }
    if (path === '/operator' || path.startsWith('/operator/')) {
      state.operator = true;
      if (!options.operatorKey) throw new EmbedError('not_found', 'The operator API is off. Pass `operatorKey` to createEmbedProxy to enable it.');
      // The key first: without it, no path or method says whether it exists.
      const key = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
      if (!timingSafeEqual(key, options.operatorKey)) throw new EmbedError('unauthorized', 'Missing or wrong operator key: send `Authorization: Bearer <operatorKey>`.');
      const { route: r, params } = match(operatorTable, request.method, path.slice('/operator'.length) || '/', `${basePath}/operator`);
      const body = request.method === 'POST' || request.method === 'PATCH' || request.method === 'PUT' ? await readJson(request) : undefined;
      const result = await r.handler(ctx, params, body, url.searchParams);
      return json(result.status ?? 200, result.body, new Headers());
    }
    const { route: r, params } = match(customerTable, request.method, path, basePath);
    const session = await authenticate(request);
    state.session = session;
    if (limiter) {
      try {
        await limiter.consume(session.customerId);
      } catch (rejection) {
        const retryAfter = Math.max(1, Math.ceil(((rejection as RateLimiterRes).msBeforeNext ?? 1000) / 1000));
        throw Object.assign(new EmbedError('rate_limited', `Too many requests. Wait ${retryAfter} s and try again.`), { retryAfter });
      }
    }
    const body = request.method === 'POST' || request.method === 'PATCH' ? await readJson(request) : undefined;
    const result = await customer[r.name]({ session, params, body, request });
    const status = r.name === 'createSource' || r.name === 'resumeOnboarding' ? (isOnboardingPending(result as OnboardingResult | OnboardingPending) ? 202 : r.name === 'createSource' ? 201 : 200) : 200;
    return json(status, result, corsHeaders(request, session));
  }

  function json(status: number, body: unknown, headers: Headers): Response {
    if (status === 204) return new Response(null, { status, headers });
    headers.set('content-type', 'application/json');
    headers.set('cache-control', 'no-store');
    return new Response(JSON.stringify(body), { status, headers });
  }

  async function limitIp(request: Request, info: RequestInfo | undefined) {
    if (!ipLimiter) return;
    const ip = clientIp(request, info, options.trustProxy === true);
    if (!ip) return;
    try {
      await ipLimiter.consume(ip);
    } catch (rejection) {
      const retryAfter = Math.max(1, Math.ceil(((rejection as RateLimiterRes).msBeforeNext ?? 1000) / 1000));
      throw Object.assign(new EmbedError('rate_limited', `Too many requests from this address. Wait ${retryAfter} s and try again.`), { retryAfter });
    }
  }

  // Deliveries start once the store is ready (its migrations made the outbox).
  if (options.webhooks?.worker !== false) void seeded.then(() => worker.start(), () => undefined);

  return Object.assign(async function handle(request: Request, info?: RequestInfo): Promise<Response> {
    const started = Date.now();
    const requestId = request.headers.get('x-request-id')?.replace(/[^\w.-]/g, '').slice(0, 64) || crypto.randomUUID();
    const url = new URL(request.url);
    const state: { session?: Session; operator?: boolean } = {};
    // The notification route's token is a secret: never in the log.
    const logPath = url.pathname.replace(/(\/airbyte\/notifications\/).*$/, '$1…');
    let response: Response;
    try {
      if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
        // The host handed the proxy a path outside its basePath: it is mounted elsewhere than it was
        // told (or the path was stripped). Its answer says so to the widget's developer console.
        throw new EmbedError(
          'host_misconfigured',
          `The proxy received ${url.pathname}, outside its basePath ${basePath || '/'}: mount it at ${basePath || '/'} (e.g. app.all('${basePath}/{*rest}', toNodeListener(proxy))), or give createEmbedProxy the basePath it is mounted at (basePath: '/embed' for app.all('/embed/{*rest}', …)) and the widget the same baseUrl.`,
          { status: 404 },
        );
      }
      await limitIp(request, info);
      response = await route(request, url, state, requestId);
    } catch (thrown) {
      const error = toError(thrown, requestId);
      const cause = error.cause instanceof Error ? error.cause : undefined;
      log({
        level: error.status >= 500 ? 'error' : 'warn',
        message: cause ? `${error.message} [${cause.name}: ${cause.message}]` : error.message,
        requestId,
        method: request.method,
        path: logPath,
        status: error.status,
        code: error.code,
        customerId: state.session?.customerId,
      });
      // A page on another origin must not even read why it was refused.
      const headers = error.code === 'origin_not_allowed' || state.operator ? new Headers({ vary: 'Origin' }) : corsHeaders(request, state.session);
      const retryAfter = (thrown as { retryAfter?: number }).retryAfter;
      if (retryAfter) headers.set('retry-after', String(retryAfter));
      response = json(error.status, new EmbedError(error.code, error.message, { fieldErrors: error.fieldErrors, requestId, status: error.status }).toBody(), headers);
    }
    response.headers.set('x-request-id', requestId);
    // JSON only, never rendered or framed, whatever a browser guesses.
    response.headers.set('x-content-type-options', 'nosniff');
    // The sign-in callback page brings its own (stricter about its one script); every other answer is data.
    if (!response.headers.has('content-security-policy')) response.headers.set('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
    log({ level: 'info', message: 'request', requestId, method: request.method, path: logPath, status: response.status, customerId: state.session?.customerId, durationMs: Date.now() - started });
    return response;
  }, { webhooks: worker, basePath });
}

/** Where Airbyte's notifications go, from `webhooks.publicUrl` (an origin; a path or query is refused). */
function inboundNotifications(webhooks: EmbedProxyOptions['webhooks'], basePath: string) {
  const publicUrl = webhooks?.publicUrl;
  if (publicUrl === undefined) return undefined;
  let origin: string;
  try {
    const u = new URL(publicUrl);
    if ((u.protocol !== 'https:' && u.protocol !== 'http:') || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash || u.username) throw new Error('not an origin');
    origin = u.origin;
  } catch {
    throw new Error(`createEmbedProxy: webhooks.publicUrl must be the origin Airbyte reaches the proxy at, e.g. https://app.example.com (no path: the base path "${basePath}" is added), not ${JSON.stringify(publicUrl)}.`);
  }
  const kinds = webhooks?.notificationKinds ?? [...NOTIFICATION_KINDS];
  const unknown = kinds.filter((k) => !(NOTIFICATION_KINDS as readonly string[]).includes(k));
  if (unknown.length) throw new Error(`createEmbedProxy: webhooks.notificationKinds has unknown kinds ${unknown.join(', ')} (known: ${NOTIFICATION_KINDS.join(', ')}).`);
  return { base: `${origin}${basePath}/airbyte/notifications`, kinds: [...new Set(kinds)] };
}

/** What the start-up token exchange's failure means, for the operator's log. */
export function startupProblem(error: unknown, baseUrl: string): string {
  const at = `${baseUrl}/applications/token`;
  if (!(error instanceof AirbyteApiError)) return `Airbyte check at start-up failed: ${(error as Error).message}`;
  // Cloud answers 401, self-managed 400 "Invalid client id or token" (airbyte-platform
  // `InvalidClientCredentialsExceptionHandler.kt`, `ApplicationServiceMicronautImpl.kt`).
  if (error.status === 400 || error.status === 401 || error.status === 403) {
    return `Airbyte refused the proxy's application credentials (${error.status} at ${at}): airbyte.clientId or airbyte.clientSecret is wrong (Airbyte does not say which). Copy both from Airbyte's Settings → Applications. Every customer request will fail until they are fixed.`;
  }
  if (error.status === 404) return `Airbyte has no token endpoint at ${at} (404): airbyte.baseUrl is wrong (Cloud: https://api.airbyte.com/v1; self-managed: <host>/api/public/v1).`;
  if (error.status === 0) return `Airbyte cannot be reached at ${baseUrl} (${(error.cause as Error | undefined)?.message ?? 'no answer'}): check airbyte.baseUrl and the network. Customer requests will fail with "not responding" until it answers.`;
  return `Airbyte answered ${error.status} to the start-up token exchange at ${at}${error.problem?.detail ? ` (${error.problem.detail.slice(0, 300)})` : ''}.`;
}

/**
 * The origin of the page making the call, and whether it was inferred as the proxy's own. Browsers
 * send `Origin` on cross-origin and on POST requests; a same-origin GET may omit it, and then
 * `Sec-Fetch-Site: same-origin` means the page shares the proxy's public origin: `publicOrigin`
 * when set, else the forwarded headers when trusted, else the scheme of the URL and the `Host` the
 * browser sent. Without either header the caller is not a browser page (curl, a server), for which
 * an origin claim proves nothing anyway; the token alone then decides.
 */
function callerOrigin(request: Request, publicOrigin: string | undefined, trustProxy: boolean): { origin: string; sameOrigin: boolean } | undefined {
  const origin = request.headers.get('origin');
  if (origin) return { origin, sameOrigin: false };
  if (request.headers.get('sec-fetch-site') !== 'same-origin') return undefined;
  return { origin: publicOrigin ?? ownOrigin(request, trustProxy), sameOrigin: true };
}

function firstValue(header: string | null): string | undefined {
  return header?.split(',')[0]?.trim() || undefined;
}

/** The proxy's origin as the browser addressed it. */
function ownOrigin(request: Request, trustProxy: boolean): string {
  const url = new URL(request.url);
  let proto = url.protocol.replace(/:$/, '');
  let host = request.headers.get('host') ?? url.host;
  if (trustProxy) {
    const forwarded = firstValue(request.headers.get('forwarded'));
    const fproto = forwarded && /(?:^|;)\s*proto=("?)([a-z]+)\1/i.exec(forwarded)?.[2];
    const fhost = forwarded && /(?:^|;)\s*host=("?)([^";]+)\1/i.exec(forwarded)?.[2];
    proto = firstValue(request.headers.get('x-forwarded-proto')) ?? fproto ?? proto;
    host = firstValue(request.headers.get('x-forwarded-host')) ?? fhost ?? host;
  }
  try {
    return new URL(`${proto}://${host}`).origin;
  } catch {
    return url.origin;
  }
}

/** The client's address: the first `X-Forwarded-For` hop when trusted, else what the adapter saw. */
function clientIp(request: Request, info: RequestInfo | undefined, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const forwarded = firstValue(request.headers.get('x-forwarded-for'));
    if (forwarded) return forwarded;
  }
  return info?.clientIp ?? info?.incoming?.socket?.remoteAddress;
}

/** What the operator is told when the host's route read the request body before the proxy. */
const BODY_ALREADY_READ =
  "The request body was already read before the proxy got it (request.json() or request.text() in the route, or a body parser). Hand the proxy the request unread: read a copy yourself (await request.clone().json()) or read it after the proxy answers. In a Next.js Pages Router API route, export const config = { api: { bodyParser: false } }; with Express, mount toNodeListener(proxy) before express.json().";

/**
 * Reads a request body as it streams in, refusing it (413) as soon as it passes `maxBytes` and
 * (408) when it takes longer than `timeoutMs`, so neither a huge chunked body nor a trickling one
 * is ever held whole or forever.
 */
async function readBody(request: Request, maxBytes: number, timeoutMs: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EmbedError('request_timeout', `The request body did not arrive within ${Math.round(timeoutMs / 1000)} s. Send it again.`)), timeoutMs);
  });
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), timeout]);
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        throw maxBytes === 0
          ? new EmbedError('unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json".')
          : new EmbedError('payload_too_large', `The request body is larger than ${maxBytes} bytes.`);
      }
      chunks.push(value);
    }
  } catch (error) {
    void reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/**
 * At most `limit` onboardings per customer at once (per instance); the next ones wait, and past
 * `queue` waiting the customer is told to slow down. One customer's burst then holds a bounded
 * share of the Airbyte client and the store, whatever it sends.
 */
class CustomerGate {
  private readonly running = new Map<string, { active: number; waiting: Array<() => void> }>();

  constructor(
    private readonly limit: number,
    private readonly queue: number,
  ) {}

  async run<T>(customerId: string, fn: () => Promise<T>): Promise<T> {
    let entry = this.running.get(customerId);
    if (!entry) this.running.set(customerId, (entry = { active: 0, waiting: [] }));
    if (entry.active >= this.limit) {
      if (entry.waiting.length >= this.queue) {
        throw Object.assign(new EmbedError('rate_limited', 'Too many connections are being set up at once. Wait a few seconds and try again.'), { retryAfter: 5 });
      }
      // The slot is handed over by the one finishing: `active` already counts this one.
      await new Promise<void>((resolve) => entry.waiting.push(resolve));
    } else {
      entry.active++;
    }
    try {
      return await fn();
    } finally {
      const next = entry.waiting.shift();
      if (next) next();
      else if (--entry.active === 0) this.running.delete(customerId);
    }
  }
}
