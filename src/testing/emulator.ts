import { createServer, type IncomingMessage, type Server } from 'node:http';
import { allowedHosts } from './hostCheck.ts';
import type { AddressInfo } from 'node:net';
import { importOptionalPeer } from '../shared/optionalPeer.ts';
import { BUILT_IN_CONNECTORS, ConnectorRegistry, loadConnectorSpecsDir, type ConnectorDefinition } from './connectors.ts';
import { createEmulatorApi, type CallerRole, type JobOutcome, type TokenEndpoint } from './emulatorApi.ts';
import { loadState, saveState } from './emulatorState.ts';
import { FaultInjector, faultResponse, type FaultDecision, type FaultRule } from './faults.ts';
import { createNotifier, type EmulatorNotificationOptions, type EmulatorNotifier } from './notifications.ts';
import { problem } from './problems.ts';

/** Options of {@link startAirbyteEmulator} and {@link createAirbyteEmulatorHandler}. */
export interface AirbyteEmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number | undefined;
  /** Interface to bind; default 127.0.0.1. */
  host?: string | undefined;
  /** API root path: `/v1` (Airbyte Cloud, default) or `/api/public/v1` (self-managed). */
  basePath?: string | undefined;
  /**
   * The application credentials `POST /applications/token` accepts; defaults below. Anything else
   * is refused as the deployment's token endpoint does (Cloud: 401 `{errorId}`; self-managed: 400
   * `{message: "Invalid client id or token", errorId}`), without saying which of the two is wrong.
   */
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  /**
   * Which Airbyte to answer as; default `cloud`.
   * - `cloud`: applications act with their creator's organization role, so ids Airbyte cannot place
   *   in a live workspace (unknown, or in a deleted workspace) are refused with 403 before any
   *   handler runs; wrong client credentials are a 401 `{errorId}`; `initiateOAuth` works.
   * - `self-managed`: Community with its default ("simple") auth: every token is the instance
   *   admin's, so the handlers answer (404 for unknown ids, 500 where they trip over a missing or
   *   deleted workspace); wrong client credentials are a 400; `initiateOAuth` answers 501.
   */
  deployment?: 'cloud' | 'self-managed' | undefined;
  /** Overrides the deployment's caller, e.g. `organization-admin` on `self-managed` for Enterprise (OIDC) with an organization admin's application. */
  caller?: CallerRole | undefined;
  /** How long a job takes from creation to its end; default 4000 ms. */
  jobDurationMs?: number | undefined;
  /**
   * Decides each new job's fate; default: every job succeeds. A failed job's attempts carry a
   * failure reason, read from the Config API's `POST /api/v1/jobs/get`
   * (`attempts[].attempt.failureSummary.failures[]`): return `{ status: 'failed', failure: {
   * externalMessage, failureOrigin?, failureType?, internalMessage?, retryable? } }` to choose it;
   * plain `'failed'` gives Airbyte's generic source failure ("Something went wrong within the
   * source connector", origin `source`).
   */
  jobOutcome?: ((job: { jobId: number; jobType: string; connectionId: string }) => JobOutcome) | undefined;
  /** Keep state in this folder across restarts (one JSON file); default: memory only. */
  dataDir?: string | undefined;
  /** A folder of connector specs (`sources/*.json`, `destinations/*.json`), e.g. `../shared/connector-specs`. */
  connectorSpecsDir?: string | undefined;
  /** More connector definitions; they win over built-ins and spec files with the same id. */
  connectors?: ConnectorDefinition[] | undefined;
  /** Faults to inject from the start; change them later with `emulator.faults.set()`. */
  faults?: FaultRule[] | undefined;
  /** Seed of the fault dice; default 42. */
  seed?: number | undefined;
  /** Clock for jobs, schedules and token expiry; default `Date.now`. */
  now?: (() => number) | undefined;
  /** Sees every response (after faults), e.g. for contract tests. */
  onResponse?: ((record: ResponseRecord) => void) | undefined;
  /** Origins besides this machine's (localhost, 127.0.0.1) that OAuth may redirect back to, e.g. `https://app.example.com`. */
  oauthRedirectOrigins?: string[] | undefined;
  /** The app name the emulated provider's consent page asks the user to allow ("Allow Acme Insights to access your HubSpot account?"); default "Acme Insights". */
  oauthAppName?: string | undefined;
  /**
   * Forces an identity-provider error: return an OAuth error code (e.g. `server_error`,
   * `temporarily_unavailable`) and opening the consent URL redirects back with `error=<code>`
   * instead of asking for consent; undefined shows the consent page.
   */
  oauthProviderError?: (flow: { sourceType: string }) => string | undefined;
  /**
   * Which Airbyte's public `POST /sources/initiateOAuth` to emulate (default: the `deployment`'s): `cloud` implements it;
   * `self-managed` answers 501 as the OSS server does (use the Config API's
   * `/api/v1/source_oauths/get_consent_url` and `complete_oauth` there).
   */
  oauthPublicApi?: 'cloud' | 'self-managed' | undefined;
  /**
   * How long a source discover takes, in ms; default 2000. Connection create and patch (with
   * streams) and `GET /streams` run one synchronously, as Airbyte does. Real discovers take seconds
   * to minutes; Airbyte Cloud allows up to 30 minutes. A cached catalog (same source configuration,
   * `ignoreCache` not set) answers at once. Use 0 in fast tests.
   */
  discoverMs?: number | undefined;
  /** Waits `ms` (discovers use it); default a `setTimeout` promise. Inject one to control time in tests. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
  /**
   * Decides whether a discover fails: return the connector's message (the API answers 500
   * `unexpected-problem`, "Something went wrong in the connector. logs:<message>"), or undefined for
   * success. Default: fails when a configuration string contains `wrong` (any case), or a host-like
   * property (`host`, `hostname`, `server`, `endpoint`, `url`, `*_host`, …) names a host under `.invalid`.
   */
  discoverFails?: (source: { definitionId: string; configuration: Record<string, unknown> }) => string | undefined;
  /**
   * Airbyte's workspace notifications: when a sync job ends (by `now`), a POST of Airbyte's
   * success or failure message to the workspace's enabled webhook URLs (`notifications` of
   * `POST/PATCH /workspaces`), and the disable warning and disable after repeated failures (force
   * them with `faults.failJobs()`). Default: sent, checked every second and after each request.
   */
  notifications?: EmulatorNotificationOptions | undefined;
}

/** Default discover duration (ms) of the emulator. */
export const DEFAULT_DISCOVER_MS = 2000;

/** One answered request, as `onResponse` and `calls` report it. */
export interface ResponseRecord {
  method: string;
  /** Path and query as received, e.g. `/v1/sources?workspaceIds=…`. */
  path: string;
  /** The spec operation it matched, when any. */
  operationId?: string | undefined;
  status: number;
  /** The parsed JSON body, or the text for non-JSON answers (onResponse only). */
  body?: unknown | undefined;
  fault?: FaultDecision['kind'] | undefined;
}

/** A running emulator: its URL, credentials, call log, faults and `close()`. */
export interface AirbyteEmulator {
  /** Base URL of the API, e.g. `http://127.0.0.1:41234/v1`: use it as the proxy's `baseUrl`. */
  url: string;
  clientId: string;
  clientSecret: string;
  /** Every request received, in order, for tests that count upstream calls. */
  calls: Array<{ method: string; path: string; operationId?: string }>;
  /** Fault injection in force; `set([...])` replaces the rules, `failJobs()` makes syncs fail, `clear()` removes them. */
  faults: FaultInjector;
  /** Airbyte's workspace notifications: `flush()` sends what is due by the clock now and waits; `sent` lists them. */
  notifications: EmulatorNotifier;
  /** The same API as a fetch handler, without the network (faults apply; `drop` rejects like a network error). */
  handle: (request: Request) => Promise<Response>;
  /**
   * Makes this emulator a fresh Airbyte at the same URL: forgets every workspace, source,
   * connection and job and every issued token (saved state too, with `dataDir`). For "the backend
   * restarted against a fresh Airbyte": the proxy's stored ids are then unknown here, and its next
   * call gets a 401 until it fetches a new token. To delete one customer's workspace the way an
   * operator would, call `DELETE /workspaces/{id}` (Airbyte tombstones it with its sources and connections).
   */
  reset(): void;
  close(): Promise<void>;
}

/** The client id `POST /applications/token` accepts unless `clientId` is given. */
export const DEFAULT_CLIENT_ID = 'emulator-client-id';
/** The client secret `POST /applications/token` accepts unless `clientSecret` is given. */
export const DEFAULT_CLIENT_SECRET = 'emulator-client-secret';

/** The emulator without a server: a fetch handler plus its state and faults. */
export async function createAirbyteEmulatorHandler(options: AirbyteEmulatorOptions = {}) {
  const now = options.now ?? Date.now;
  const basePath = (options.basePath ?? '/v1').replace(/\/+$/, '');
  const state = loadState(options.dataDir);
  const registry = new ConnectorRegistry([
    ...BUILT_IN_CONNECTORS,
    ...(options.connectorSpecsDir ? loadConnectorSpecsDir(options.connectorSpecsDir) : []),
    ...(options.connectors ?? []),
  ]);
  const faults = new FaultInjector(options.faults, options.seed);
  const calls: AirbyteEmulator['calls'] = [];
  const closing = new AbortController();
  const deployment = options.deployment ?? 'cloud';
  const caller: CallerRole = options.caller ?? (deployment === 'cloud' ? 'organization-admin' : 'instance-admin');
  // Community's simple auth hands out instance-admin tokens only; anything else runs OIDC (Keycloak).
  const tokenEndpoint: TokenEndpoint = deployment === 'self-managed' && caller === 'instance-admin' ? 'simple' : 'oidc';
  const api = await createEmulatorApi({
    state,
    registry,
    caller,
    tokenEndpoint,
    clientId: options.clientId ?? DEFAULT_CLIENT_ID,
    clientSecret: options.clientSecret ?? DEFAULT_CLIENT_SECRET,
    now,
    jobDurationMs: options.jobDurationMs ?? 4000,
    // A forced failure (faults.failJobs) wins over the option's choice.
    jobOutcome: (job) => {
      const forced = faults.jobFailure(job.connectionId, job.jobType);
      return forced ? { status: 'failed', failure: forced } : (options.jobOutcome?.(job) ?? 'succeeded');
    },
    onChange: () => saveState(options.dataDir, state),
    oauthRedirectOrigins: options.oauthRedirectOrigins,
    oauthAppName: options.oauthAppName,
    oauthProviderError: options.oauthProviderError,
    oauthPublicApi: options.oauthPublicApi ?? deployment,
    basePath,
    discoverMs: options.discoverMs ?? DEFAULT_DISCOVER_MS,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    discoverFails: options.discoverFails,
  });

  const notifications = createNotifier(state, now, () => saveState(options.dataDir, state), options.notifications);

  // openapi-backend rebuilds its operation list on every match: remember answers per method and
  // path (bounded), since the fault layer and the call log ask for each request again.
  const operationIds = new Map<string, string | undefined>();
  function operationIdOf(method: string, path: string): string | undefined {
    const key = `${method} ${path}`;
    if (operationIds.has(key)) return operationIds.get(key);
    if (operationIds.size > 5000) operationIds.clear();
    const id = api.matchOperationId(method, path);
    operationIds.set(key, id);
    return id;
  }

  function apiPath(url: URL): string | undefined {
    if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) return undefined;
    return url.pathname.slice(basePath.length).replace(/\/+$/, '') || '/';
  }

  /** Decides the fault for a request (also used by the socket layer for drops and hangs). */
  function decide(method: string, url: URL): FaultDecision {
    const p = apiPath(url);
    return p === undefined ? { kind: 'none' } : faults.decide(method, p, operationIdOf(method, p));
  }

  async function report(request: Request, url: URL, response: Response, operationId: string | undefined, fault: FaultDecision['kind']) {
    if (!options.onResponse) return;
    const text = await response.clone().text();
    let body: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
    options.onResponse({ method: request.method, path: url.pathname + url.search, operationId, status: response.status, body, fault });
  }

  /** Answers a request whose fault was already decided (never `drop`/`hang` here). */
  async function serve(request: Request, decision: FaultDecision): Promise<Response> {
    const url = new URL(request.url);
    const p = apiPath(url);
    const operationId = p === undefined ? undefined : operationIdOf(request.method, p);
    calls.push({ method: request.method, path: url.pathname + url.search, operationId });
    if (decision.kind === 'latency') await new Promise((r) => setTimeout(r, decision.ms));
    let response: Response;
    if (decision.kind === 'status') response = faultResponse(decision.status);
    else if (p === '/oauth/consent') {
      // The emulated identity provider's consent page: outside api.yaml, no bearer token (a browser opens it).
      response = await api.handleConsent(request, url);
    } else if (p === undefined) {
      // The self-managed Config API (`/api/v1/...`) beside the public API: four of its calls.
      const config = url.pathname.startsWith('/api/v1/') ? await api.handleConfigApi(request, url.pathname.slice('/api/v1'.length).replace(/\/+$/, '')) : undefined;
      response = config ?? problem(404, 'resource-not-found', `No route for ${request.method} ${url.pathname}; the API is under ${basePath}`);
    }
    else {
      try {
        response = (await api.handle(request, url, p)).response;
      } catch (error) {
        // A bug in the emulator, not an Airbyte behaviour: answer as Airbyte's 500 does, and say so.
        console.error(`[airbyte-emulator] ${request.method} ${url.pathname} failed:`, error);
        response = problem(500, 'unexpected-problem', 'An unexpected problem has occurred.');
      }
    }
    await report(request, url, response, operationId, decision.kind);
    // A job this request saw end (the clock moved) notifies now, not only at the next tick.
    notifications.poll();
    return response;
  }

  async function handle(request: Request): Promise<Response> {
    const decision = decide(request.method, new URL(request.url));
    if (decision.kind === 'drop') throw new TypeError('fetch failed: the emulator dropped the connection (injected fault)');
    if (decision.kind === 'hang') {
      // Wait for the caller to give up or the emulator to close; drop the close listener either
      // way, so many hung requests do not pile listeners on the shared signal.
      await new Promise<void>((resolve) => {
        const done = () => {
          closing.signal.removeEventListener('abort', done);
          resolve();
        };
        request.signal?.addEventListener('abort', done, { once: true });
        closing.signal.addEventListener('abort', done, { once: true });
      });
      throw new DOMException('The operation was aborted (injected hang).', 'AbortError');
    }
    return serve(request, decision);
  }

  return {
    handle,
    serve,
    decide,
    faults,
    calls,
    notifications,
    reset: api.reset,
    close: () => {
      notifications.close();
      closing.abort();
    },
  };
}

/**
 * Starts a local emulator of the Airbyte public API, for developing and testing an embedding
 * with no Airbyte account. Resolves once it listens; `close()` stops it.
 */
export async function startAirbyteEmulator(options: AirbyteEmulatorOptions = {}): Promise<AirbyteEmulator> {
  const emulator = await createAirbyteEmulatorHandler(options);
  const host = options.host ?? '127.0.0.1';
  // Faults that live below HTTP (dropped connections, hangs) are decided here, on the socket.
  const decisions = new WeakMap<IncomingMessage, FaultDecision>();
  // An optional peer dependency of the kit (a browser-only host does not install it).
  const { getRequestListener } = await importOptionalPeer('@hono/node-server', () => import(/* webpackIgnore: true */ /* turbopackIgnore: true */ '@hono/node-server'), { entry: 'testing', feature: 'startAirbyteEmulator (createAirbyteEmulatorHandler needs no server)' });
  const listener = getRequestListener((request, env) =>
    emulator.serve(request, decisions.get((env as { incoming: IncomingMessage }).incoming) ?? { kind: 'none' }),
  );
  let hostOk: (header: string | undefined) => boolean = () => false;
  const server: Server = createServer((req, res) => {
    // Only for its own address: a page on another site resolving its name here gets nothing.
    if (!hostOk(req.headers.host)) {
      res.writeHead(421, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ type: 'about:blank', title: 'misdirected-request', status: 421, detail: `This emulator answers only at its own address (${host}).` }));
      return;
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? host}`);
    const decision = emulator.decide(req.method ?? 'GET', url);
    if (decision.kind === 'drop') {
      emulator.calls.push({ method: req.method ?? 'GET', path: url.pathname + url.search });
      req.socket.destroy();
      return;
    }
    if (decision.kind === 'hang') {
      emulator.calls.push({ method: req.method ?? 'GET', path: url.pathname + url.search });
      return; // never answered; close() or the client's timeout ends it
    }
    decisions.set(req, decision);
    void listener(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  hostOk = allowedHosts(host, port);
  const basePath = (options.basePath ?? '/v1').replace(/\/+$/, '');
  return {
    url: `http://${host}:${port}${basePath}`,
    clientId: options.clientId ?? DEFAULT_CLIENT_ID,
    clientSecret: options.clientSecret ?? DEFAULT_CLIENT_SECRET,
    calls: emulator.calls,
    faults: emulator.faults,
    notifications: emulator.notifications,
    handle: emulator.handle,
    reset: emulator.reset,
    close: () =>
      new Promise<void>((resolve, reject) => {
        emulator.close();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
