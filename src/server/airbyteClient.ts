import type {
  AccessTokenResponse,
  AirbyteProblem,
  ConnectionCreateRequest,
  ConnectionResponse,
  DestinationResponse,
  JobResponse,
  ListResponse,
  NotificationsConfig,
  SourceResponse,
  StreamProperties,
  WorkspaceResponse,
} from './airbyteTypes.ts';

/** The body of Airbyte's `WorkspaceOAuthCredentialsRequest` / `OrganizationOAuthCredentialsRequest`. */
export interface OAuthCredentialsRequest {
  actorType: 'source' | 'destination';
  name: string;
  configuration: Record<string, unknown>;
}

/** Where and as whom the proxy talks to Airbyte. Lives only on the server. */
export interface AirbyteCredentials {
  /** `https://api.airbyte.com/v1` for Cloud, `<host>/api/public/v1` for self-managed, or the emulator's `url`. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface AirbyteClientOptions extends AirbyteCredentials {
  fetch?: typeof fetch | undefined;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number | undefined;
  /**
   * Timeout of the calls during which Airbyte discovers a source's streams (`GET /streams`,
   * connection create and update); default 31 minutes (Airbyte Cloud allows discovery 30).
   */
  discoverTimeoutMs?: number | undefined;
  /** Self-managed Airbyte's Config API root, e.g. `https://airbyte.internal/api/v1`; default: `/api/v1` beside `baseUrl`. */
  configApiUrl?: string | undefined;
  /** Refresh the access token this long before it expires; default 60 s. */
  refreshMarginMs?: number | undefined;
  /** Extra attempts after a retryable failure; default 3. */
  retries?: number | undefined;
  /** First backoff delay; doubles each attempt (with full jitter), capped at 8×; default 250 ms. */
  retryDelayMs?: number | undefined;
  now?: (() => number) | undefined;
}

/**
 * An Airbyte API call that failed. `status` is Airbyte's HTTP status (0 for a network failure or
 * timeout). The message names the operation and Airbyte's problem title, never credentials or
 * request bodies, so it is safe to log.
 */
export class AirbyteApiError extends Error {
  readonly status: number;
  readonly problem: AirbyteProblem | undefined;
  readonly operation: string;
  constructor(operation: string, status: number, problem?: AirbyteProblem, cause?: unknown) {
    const what = status === 0 ? 'could not be reached' : `answered ${status}${problem?.title ? ` (${problem.title})` : ''}`;
    super(`Airbyte ${what} during ${operation}`, cause === undefined ? undefined : { cause });
    this.name = 'AirbyteApiError';
    this.status = status;
    this.problem = problem;
    this.operation = operation;
  }
}

/**
 * A small typed client for the Airbyte public API. It exchanges the application's client id and
 * secret for a bearer token (`POST /applications/token`), caches it until shortly before it
 * expires, and fetches a new one once on a 401.
 */
export class AirbyteClient {
  private readonly options: Required<Omit<AirbyteClientOptions, 'fetch'>> & { fetch: typeof fetch };
  private token: { value: string; expiresAt: number } | undefined;
  private tokenRequest: Promise<string> | undefined;
  /** The public API's base URL (for messages; never holds credentials). */
  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** Number of HTTP requests sent, token requests included (benchmarks and tests read it). */
  requestCount = 0;
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(options: AirbyteClientOptions) {
    // A variable the deployment forgot is said as missing now, not as "wrong credentials" at the first call.
    for (const [name, env] of [['baseUrl', 'AIRBYTE_API_URL'], ['clientId', 'AIRBYTE_CLIENT_ID'], ['clientSecret', 'AIRBYTE_CLIENT_SECRET']] as const) {
      const value: unknown = options?.[name];
      if (typeof value !== 'string' || !value.trim()) {
        throw new Error(`airbyte.${name} is missing (got ${value === '' ? 'an empty string' : typeof value === 'string' ? 'blanks' : value === undefined || value === null ? String(value) : `a ${typeof value}`}). Pass your Airbyte application's ${name === 'baseUrl' ? 'API URL (https://api.airbyte.com/v1 for Cloud, <host>/api/public/v1 self-managed)' : name === 'clientId' ? 'client id' : 'client secret'}, e.g. ${name}: process.env.${env}, and set that variable where the server runs.`);
      }
    }
    this.options = {
      timeoutMs: 30_000,
      discoverTimeoutMs: 31 * 60_000,
      configApiUrl: '',
      refreshMarginMs: 60_000,
      retries: 3,
      retryDelayMs: 250,
      now: Date.now,
      // An option given as undefined (an unset variable handed on) keeps its default.
      ...(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as AirbyteClientOptions),
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    };
  }

  /** `notifications`: the workspace's notification webhooks (`WorkspaceCreateRequest.notifications`, api.yaml `NotificationsConfig`). */
  createWorkspace(body: { name: string; organizationId?: string; notifications?: NotificationsConfig }): Promise<WorkspaceResponse> {
    return this.call('POST', '/workspaces', body, 'workspace creation');
  }

  /**
   * Renames a workspace or sets its notifications (`PATCH /workspaces/{workspaceId}`, api.yaml
   * `WorkspaceUpdateRequest`). Trap: `notifications` replaces the workspace's whole notification
   * settings, so pass every kind (a kind left out loses its webhook and email settings).
   */
  updateWorkspace(workspaceId: string, body: { name?: string; notifications?: NotificationsConfig }): Promise<WorkspaceResponse> {
    return this.call('PATCH', `/workspaces/${encodeURIComponent(workspaceId)}`, body, 'workspace update');
  }

  /** One workspace; a 404 means Airbyte no longer has it (deleted there, or another Airbyte instance). */
  getWorkspace(workspaceId: string): Promise<WorkspaceResponse> {
    return this.call('GET', `/workspaces/${encodeURIComponent(workspaceId)}`, undefined, 'workspace lookup');
  }

  /**
   * Exchanges the application's credentials for a token once, now, so that wrong ones are found at
   * start-up rather than at a customer's first connect. Resolves when Airbyte accepted them;
   * rejects with the {@link AirbyteApiError} of the exchange otherwise (401/403: the client id or
   * secret is wrong; 0: the URL cannot be reached).
   */
  async verifyCredentials(): Promise<void> {
    // Not forced: a token already held proves them; otherwise the first call reuses this one.
    await this.accessToken(false);
  }

  /** Every workspace the application can see, following pagination. */
  listWorkspaces(): Promise<WorkspaceResponse[]> {
    return this.listAll<WorkspaceResponse>('/workspaces', 'workspace listing');
  }

  /**
   * Sets the operator's own OAuth app for a connector in one workspace (`PUT /workspaces/{id}/oauthCredentials`,
   * Airbyte Cloud; self-managed answers 501). `name` is the connector's type name (e.g. `hubspot`);
   * `configuration` holds the app's credentials at the connector's paths (e.g. `{ credentials: { client_id, client_secret } }`).
   * Airbyte answers 200 with no body.
   */
  setWorkspaceOAuthCredentials(workspaceId: string, body: OAuthCredentialsRequest): Promise<void> {
    return this.call('PUT', `/workspaces/${encodeURIComponent(workspaceId)}/oauthCredentials`, body, 'OAuth credentials update');
  }

  deleteWorkspaceOAuthCredentials(workspaceId: string, actorType: 'source' | 'destination', name: string): Promise<void> {
    return this.call('DELETE', `/workspaces/${encodeURIComponent(workspaceId)}/oauthCredentials/${actorType}/${encodeURIComponent(name)}`, undefined, 'OAuth credentials removal');
  }

  /** The same for every workspace of an organization (`PUT /organizations/{id}/oauthCredentials`; needs organization admin). */
  setOrganizationOAuthCredentials(organizationId: string, body: OAuthCredentialsRequest): Promise<void> {
    return this.call('PUT', `/organizations/${encodeURIComponent(organizationId)}/oauthCredentials`, body, 'OAuth credentials update');
  }

  deleteOrganizationOAuthCredentials(organizationId: string, actorType: 'source' | 'destination', name: string): Promise<void> {
    return this.call('DELETE', `/organizations/${encodeURIComponent(organizationId)}/oauthCredentials/${actorType}/${encodeURIComponent(name)}`, undefined, 'OAuth credentials removal');
  }

  createSource(body: { name: string; workspaceId: string; definitionId: string; configuration: Record<string, unknown>; secretId?: string }): Promise<SourceResponse> {
    return this.call('POST', '/sources', body, 'source creation');
  }

  /** Starts an OAuth sign-in (Airbyte Cloud; self-managed answers 501): the provider's consent URL, which ends at `redirectUrl?secret_id=…`. */
  initiateOAuth(body: { sourceType: string; workspaceId: string; redirectUrl: string; oAuthInputConfiguration?: Record<string, unknown>; requestedScopes?: string[]; requestedOptionalScopes?: string[] }): Promise<{ consentUrl: string }> {
    return this.call('POST', '/sources/initiateOAuth', body, 'sign-in start');
  }

  /**
   * Self-managed Airbyte's sign-in (its public API answers `initiateOAuth` with 501): the Config
   * API's `source_oauths/get_consent_url`; the provider then returns to `redirectUrl` with `code`
   * and `state`, which {@link completeOAuth} trades for a secret id.
   */
  getOAuthConsentUrl(body: { sourceDefinitionId: string; workspaceId: string; redirectUrl: string; oAuthInputConfiguration?: Record<string, unknown> }): Promise<{ consentUrl: string }> {
    return this.configCall('/source_oauths/get_consent_url', body, 'sign-in start');
  }

  /** The Config API's `source_oauths/complete_oauth`, asking for a secret coordinate (the tokens stay in Airbyte). */
  completeOAuth(body: { sourceDefinitionId: string; workspaceId: string; redirectUrl: string; queryParams: Record<string, string>; oAuthInputConfiguration?: Record<string, unknown> }): Promise<{ request_succeeded?: boolean; request_error?: string; auth_payload?: { secretId?: string } }> {
    return this.configCall('/source_oauths/complete_oauth', { ...body, returnSecretCoordinate: true }, 'sign-in completion');
  }

  /**
   * Self-managed: checks a configuration without creating a source (Config API
   * `scheduler/sources/check_connection`). `status` is the connector's verdict.
   */
  checkConnection(body: { sourceDefinitionId: string; workspaceId: string; connectionConfiguration: Record<string, unknown> }): Promise<{ status?: 'succeeded' | 'failed'; message?: string; jobInfo?: { succeeded?: boolean; failureReason?: { externalMessage?: string } } }> {
    return this.configCall('/scheduler/sources/check_connection', body, 'credentials check', this.options.discoverTimeoutMs);
  }

  /** Self-managed: a source's discovered catalog with Airbyte's own `suggested` flags (Config API `sources/discover_schema`). */
  discoverSchema(sourceId: string, disableCache: boolean): Promise<{ catalog?: { streams?: Array<{ stream?: { name?: string; namespace?: string }; config?: { suggested?: boolean } }> }; jobInfo?: { succeeded?: boolean; failureReason?: { externalMessage?: string } } }> {
    return this.configCall('/sources/discover_schema', { sourceId, disable_cache: disableCache }, 'stream discovery', this.options.discoverTimeoutMs);
  }

  /**
   * A destination connector's spec (Config API `destination_definition_specifications/get`;
   * self-managed Airbyte and the emulator; Cloud's public API has no spec endpoint).
   */
  getDestinationSpec(destinationDefinitionId: string, workspaceId: string): Promise<{ connectionSpecification?: Record<string, unknown> }> {
    return this.configCall('/destination_definition_specifications/get', { destinationDefinitionId, workspaceId }, 'destination spec lookup');
  }

  /**
   * Why a job failed, in the words of its last attempt's first failure (Config API `jobs/get`:
   * `attempts[].attempt.failureSummary.failures[].externalMessage`); undefined when Airbyte says none.
   */
  async jobFailureReason(jobId: number): Promise<string | undefined> {
    const info = await this.configCall<{ attempts?: Array<{ attempt?: { failureSummary?: { failures?: Array<{ externalMessage?: string }> } } }> }>('/jobs/get', { id: jobId }, 'job details');
    for (const a of [...(info.attempts ?? [])].reverse()) {
      const message = a.attempt?.failureSummary?.failures?.find((f) => f.externalMessage)?.externalMessage;
      if (message) return message.slice(0, 500);
    }
    return undefined;
  }

  /**
   * Why a job failed, with its kind (Config API `jobs/get`, the last attempt's failures, airbyte-platform
   * `FailureHelper.kt`): `failureType` `config_error` with `failureOrigin` `source` means the source
   * refused its configuration (wrong or revoked credentials); undefined when Airbyte says nothing.
   */
  async jobFailure(jobId: number): Promise<{ failureType?: string; failureOrigin?: string; externalMessage?: string } | undefined> {
    type Failure = { failureType?: string; failureOrigin?: string; externalMessage?: string };
    const info = await this.configCall<{ attempts?: Array<{ attempt?: { failureSummary?: { failures?: Failure[] } } }> }>('/jobs/get', { id: jobId }, 'job details');
    for (const a of [...(info.attempts ?? [])].reverse()) {
      const failures = a.attempt?.failureSummary?.failures ?? [];
      const first = failures.find((f) => f.failureType === 'config_error') ?? failures[0];
      if (first) return { failureType: first.failureType, failureOrigin: first.failureOrigin, externalMessage: first.externalMessage?.slice(0, 500) };
    }
    return undefined;
  }

  /** The Config API's root: `configApiUrl`, else `<host>/api/v1` beside the public API. */
  private configRoot(): string {
    if (this.options.configApiUrl) return this.options.configApiUrl.replace(/\/+$/, '');
    const base = this.options.baseUrl;
    return base.endsWith('/api/public/v1') ? base.replace(/\/api\/public\/v1$/, '/api/v1') : `${new URL(base).origin}/api/v1`;
  }

  private async configCall<T>(path: string, body: unknown, operation: string, timeoutMs = this.options.timeoutMs): Promise<T> {
    const token = await this.accessToken(false);
    this.requestCount++;
    let res: Response;
    try {
      res = await this.options.fetch(`${this.configRoot()}${path}`, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      throw new AirbyteApiError(operation, 0, undefined, cause);
    }
    if (!res.ok) throw new AirbyteApiError(operation, res.status, (await res.json().catch(() => undefined)) as AirbyteProblem | undefined);
    return (await res.json()) as T;
  }

  /** A source definition as the workspace sees it (its `dockerRepository` names the `sourceType`). */
  getSourceDefinition(workspaceId: string, definitionId: string): Promise<{ id: string; name: string; dockerRepository?: string }> {
    return this.call('GET', `/workspaces/${encodeURIComponent(workspaceId)}/definitions/sources/${encodeURIComponent(definitionId)}`, undefined, 'definition lookup');
  }

  deleteSource(sourceId: string): Promise<void> {
    return this.call('DELETE', `/sources/${encodeURIComponent(sourceId)}`, undefined, 'source deletion');
  }

  getSource(sourceId: string): Promise<SourceResponse> {
    return this.call('GET', `/sources/${encodeURIComponent(sourceId)}`, undefined, 'source lookup');
  }

  /** Lists every source of one workspace, following pagination. */
  listSources(workspaceId: string): Promise<SourceResponse[]> {
    return this.listAll<SourceResponse>(`/sources?workspaceIds=${encodeURIComponent(workspaceId)}`, 'source listing');
  }

  patchSource(sourceId: string, body: { name?: string; configuration?: Record<string, unknown>; secretId?: string }): Promise<SourceResponse> {
    return this.call('PATCH', `/sources/${encodeURIComponent(sourceId)}`, body, 'source update');
  }

  /** Lists every connection of one workspace, following pagination. */
  listConnections(workspaceId: string): Promise<ConnectionResponse[]> {
    return this.listAll<ConnectionResponse>(`/connections?workspaceIds=${encodeURIComponent(workspaceId)}`, 'connection listing');
  }

  getJob(jobId: number): Promise<JobResponse> {
    return this.call('GET', `/jobs/${jobId}`, undefined, 'job lookup');
  }

  /**
   * Connector definitions of one type (names for templates that give none). Trap: api.yaml marks
   * `workspaceId` optional, but airbyte-platform's `ConnectorDefinitionsController.kt` fails (500)
   * without it: pass one.
   */
  async listConnectorDefinitions(type: 'source' | 'destination', workspaceId?: string): Promise<Array<{ id: string; name: string }>> {
    const q = new URLSearchParams({ type, ...(workspaceId ? { workspaceId } : {}) });
    return (await this.call<{ data: Array<{ id: string; name: string }> }>('GET', `/connector_definitions?${q}`, undefined, 'definition listing')).data;
  }

  private async listAll<T>(pathWithQuery: string, operation: string): Promise<T[]> {
    const all: T[] = [];
    const limit = 100;
    for (let offset = 0; ; offset += limit) {
      const page = await this.call<ListResponse<T>>('GET', `${pathWithQuery}${pathWithQuery.includes('?') ? '&' : '?'}limit=${limit}&offset=${offset}`, undefined, operation);
      all.push(...page.data);
      if (page.data.length < limit) return all;
    }
  }

  /** Lists every destination of one workspace, following pagination. */
  listDestinations(workspaceId: string): Promise<DestinationResponse[]> {
    return this.listAll<DestinationResponse>(`/destinations?workspaceIds=${encodeURIComponent(workspaceId)}`, 'destination listing');
  }

  getDestination(destinationId: string): Promise<DestinationResponse> {
    return this.call('GET', `/destinations/${encodeURIComponent(destinationId)}`, undefined, 'destination lookup');
  }

  createDestination(body: { name: string; workspaceId: string; definitionId: string; configuration: Record<string, unknown> }): Promise<DestinationResponse> {
    return this.call('POST', '/destinations', body, 'destination creation');
  }

  /** Airbyte discovers the source's streams synchronously here too: `discoverTimeoutMs` applies. */
  createConnection(body: ConnectionCreateRequest): Promise<ConnectionResponse> {
    return this.call('POST', '/connections', body, 'connection creation', this.options.discoverTimeoutMs);
  }

  /**
   * The streams a source discovers (`GET /streams`). Airbyte runs a discover for it, which can take
   * minutes: it gets `discoverTimeoutMs`, not the usual timeout. `ignoreCache` forces a fresh
   * discover (the kit's credentials check); without a `destinationId` no sync modes are listed.
   */
  getStreams(sourceId: string, options: { destinationId?: string; ignoreCache?: boolean } = {}): Promise<StreamProperties[]> {
    const q = new URLSearchParams({ sourceId });
    if (options.destinationId) q.set('destinationId', options.destinationId);
    if (options.ignoreCache) q.set('ignoreCache', 'true');
    return this.call('GET', `/streams?${q}`, undefined, 'stream discovery', this.options.discoverTimeoutMs);
  }

  patchConnection(connectionId: string, body: Partial<Pick<ConnectionCreateRequest, 'configurations' | 'status' | 'schedule' | 'name' | 'prefix'>>): Promise<ConnectionResponse> {
    return this.call('PATCH', `/connections/${encodeURIComponent(connectionId)}`, body, 'connection update', this.options.discoverTimeoutMs);
  }

  getConnection(connectionId: string): Promise<ConnectionResponse> {
    return this.call('GET', `/connections/${encodeURIComponent(connectionId)}`, undefined, 'connection lookup');
  }

  deleteConnection(connectionId: string): Promise<void> {
    return this.call('DELETE', `/connections/${encodeURIComponent(connectionId)}`, undefined, 'connection deletion');
  }

  createJob(body: { connectionId: string; jobType: 'sync' | 'reset' | 'refresh' | 'clear' }): Promise<JobResponse> {
    return this.call('POST', '/jobs', body, 'sync start');
  }

  /** The newest jobs of a connection, newest first. */
  /** The workspace's newest jobs (every connection), newest first: one call for a list of sources. */
  async listWorkspaceJobs(workspaceId: string, limit = 100): Promise<JobResponse[]> {
    const page = await this.call<ListResponse<JobResponse>>('GET', `/jobs?workspaceIds=${encodeURIComponent(workspaceId)}&limit=${limit}&orderBy=createdAt%7CDESC`, undefined, 'job listing');
    return page.data;
  }

  async listJobs(connectionId: string, limit = 5): Promise<JobResponse[]> {
    // Newest first; one page is what a status view needs.
    const page = await this.call<ListResponse<JobResponse>>(
      'GET',
      `/jobs?connectionId=${encodeURIComponent(connectionId)}&limit=${limit}&orderBy=createdAt%7CDESC`,
      undefined,
      'job listing',
    );
    return page.data;
  }

  private async accessToken(forceRefresh: boolean): Promise<string> {
    const { now, refreshMarginMs } = this.options;
    if (!forceRefresh && this.token && this.token.expiresAt - refreshMarginMs > now()) return this.token.value;
    this.tokenRequest ??= (async () => {
      try {
        const res = await this.send('POST', '/applications/token', {
          client_id: this.options.clientId,
          client_secret: this.options.clientSecret,
          'grant-type': 'client_credentials',
        }, undefined, 'token exchange');
        const body = (await res.json()) as AccessTokenResponse;
        this.token = { value: body.access_token, expiresAt: now() + body.expires_in * 1000 };
        return body.access_token;
      } finally {
        this.tokenRequest = undefined;
      }
    })();
    return this.tokenRequest;
  }

  /**
   * One API call with the client's policy: a fresh token once on 401; retries with exponential
   * backoff and full jitter on 429 (never processed, so safe for any method), and for idempotent
   * methods also on 5xx, timeouts and network errors. A POST that failed with an unknown outcome
   * is not repeated here: the onboarding saga looks before it creates again.
   */
  private call<T>(method: string, path: string, body: unknown, operation: string, timeoutMs = this.options.timeoutMs): Promise<T> {
    if (method !== 'GET') return this.attempt<T>(method, path, body, operation, timeoutMs);
    // Identical reads in flight at the same moment (several widgets polling one customer's
    // sources) share one request: none is older than the request it waited for. Callers must
    // not mutate what they get.
    let shared = this.inflight.get(path) as Promise<T> | undefined;
    if (!shared) {
      shared = this.attempt<T>(method, path, body, operation, timeoutMs).finally(() => this.inflight.delete(path));
      this.inflight.set(path, shared);
    }
    return shared;
  }

  private async attempt<T>(method: string, path: string, body: unknown, operation: string, timeoutMs: number): Promise<T> {
    const idempotent = method === 'GET' || method === 'PUT' || method === 'DELETE';
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      try {
        const token = await this.accessToken(false);
        const res = await this.send(method, path, body, token, operation, !refreshed, timeoutMs);
        if (res.status === 401) {
          refreshed = true;
          await this.accessToken(true);
          attempt--;
          continue;
        }
        if (res.status === 204) return undefined as T;
        // Some operations answer 200 with no body (e.g. PUT …/oauthCredentials).
        const text = await res.text();
        return (text ? JSON.parse(text) : undefined) as T;
      } catch (error) {
        // A connector that refused the credentials answers the same on every try.
        if (!(error instanceof AirbyteApiError) || attempt >= this.options.retries || connectorFailure(error) !== undefined) throw error;
        const retryable = error.status === 429 || (idempotent && (error.status === 0 || error.status >= 500));
        if (!retryable) throw error;
        const cap = this.options.retryDelayMs * 2 ** Math.min(attempt, 3);
        await new Promise((r) => setTimeout(r, Math.random() * cap));
      }
    }
  }

  /** Sends one request; throws {@link AirbyteApiError} on a non-2xx (except a 401 when `allow401`). */
  private async send(method: string, path: string, body: unknown, token: string | undefined, operation: string, allow401 = false, timeoutMs = this.options.timeoutMs): Promise<Response> {
    this.requestCount++;
    let res: Response;
    try {
      res = await this.options.fetch(`${this.options.baseUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      throw new AirbyteApiError(operation, 0, undefined, cause);
    }
    if (res.ok || (allow401 && res.status === 401)) return res;
    let problem: AirbyteProblem | undefined;
    try {
      problem = (await res.json()) as AirbyteProblem;
    } catch {
      problem = undefined;
    }
    throw new AirbyteApiError(operation, res.status, problem);
  }
}

const CONNECTOR_FAILURE = /^Something went wrong in the connector\.\s*(?:logs:\s*)?/;

/**
 * The connector's own message when Airbyte's discover (or check) job failed, else undefined.
 * Airbyte answers that with a 500 `unexpected-problem` whose message starts "Something went wrong
 * in the connector." (airbyte-server `publicapi/services/SourceService.kt`, getSourceSchema): it is
 * the customer's credentials or settings, not an outage, so it is neither retried nor a 503.
 */
export function connectorFailure(error: unknown): string | undefined {
  if (!(error instanceof AirbyteApiError) || error.status !== 500) return undefined;
  const message = (error.problem as { data?: { message?: unknown } } | undefined)?.data?.message;
  if (typeof message !== 'string' || !CONNECTOR_FAILURE.test(message)) return undefined;
  return message.replace(CONNECTOR_FAILURE, '').trim() || 'The connector could not connect with these details.';
}
