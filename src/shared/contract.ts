/**
 * The one typed contract between the browser (proxy client, hooks, widget) and the proxy.
 * Both sides import it, so a route, its body, its success shape and its error codes can
 * never drift apart. Keep it free of React and of server code.
 */

/** A JSON Schema object as Airbyte connector specs use it (draft-07 plus `airbyte_*` extensions). */
export type JsonSchema = { [key: string]: unknown };

/** A connector configuration: the JSON a source is created with. */
export type ConnectorConfig = { [key: string]: unknown };

/** A cron schedule as the widget shows it: the Quartz expression and a sentence in words. */
export interface ScheduleInfo {
  /** Quartz expression (6 or 7 fields, UTC), or null for a manual connection. */
  cronExpression: string | null;
  /** Human-readable, e.g. "At 02:15 AM, every day (UTC)". */
  description: string;
  /** The next run times (ISO 8601, UTC), soonest first; empty for manual connections. */
  nextRuns?: string[] | undefined;
}

/** One entry of the catalog. */
export interface TemplateSummary {
  id: string;
  name: string;
  /** URL of the connector icon (the template's, else Airbyte's registry icon); the catalog shows a letter when it fails to load. */
  icon?: string | undefined;
  /** The template's category (e.g. "database", "api", "file", "Marketing"): catalog search matches it. */
  category?: string | undefined;
}

/** What applying the connection templates will do, shown before the user submits. */
export interface ConnectionPlan {
  destinationName: string;
  schedule: ScheduleInfo;
  syncOnCreate: boolean;
  /** Which streams it syncs: the site's pick (`suggested`), every one (`all`), or the customer's (`choose`, asked after the check). */
  streams?: 'suggested' | 'all' | 'choose' | undefined;
}

/** A template with the form to render. Never contains the template's `partialDefaultConfig`. */
export interface TemplateDetail extends TemplateSummary {
  /** The `connectionSpecification` the user fills in (with a sign-in, without the fields the sign-in fills). */
  spec: JsonSchema;
  connections: ConnectionPlan[];
  /** "Sign in with …": which option it belongs to and which fields the provider needs first. */
  oauth?: { predicateKey: string[]; predicateValue?: string; inputPaths: string[][] } | undefined;
}

/** `startOAuth`'s answer: where to send the sign-in window, and the id its callback answers with. */
export interface OAuthStart {
  consentUrl: string;
  flowId: string;
}

export interface OAuthStartRequest {
  templateId: string;
  /** The form's current values; the fields the provider needs first are taken from them. */
  inputs?: ConnectorConfig | undefined;
  /** For the full-page flow (popup blocked): the page to come back to, on the session's origin. */
  returnTo?: string | undefined;
}

export interface CreateSourceRequest {
  templateId: string;
  /** Display name for the source; defaults to the template name, numbered when taken ("Postgres 2"). */
  name?: string | undefined;
  /** The user's values, exactly as the form produced them. */
  config: ConnectorConfig;
  /**
   * The streams (tables) the customer chose, by name, when the onboarding asked for a choice
   * (`needs_streams`). Sent with the same idempotency key as the first submit; not part of what
   * makes two submits "the same".
   */
  streams?: StreamRef[] | undefined;
  /** A finished sign-in (from the callback page), in place of the credential fields it fills. */
  oauth?: { grantId: string } | undefined;
}

/** A stream as the customer picks it: its name and, for databases, its namespace (schema). */
export interface StreamRef {
  name: string;
  namespace?: string | undefined;
}

/** A stream the source discovered, as the stream chooser shows it. */
export interface StreamOption extends StreamRef {
  /** Preselected: the connector suggests it (or the template fixes it). */
  suggested: boolean;
  /** Fixed by the site's template: always synced, cannot be deselected. */
  required: boolean;
  /** Selected now (an existing connection), or preselected (a new one). */
  selected: boolean;
  /** How it will sync, e.g. "incremental_append", when known. */
  syncMode?: string | undefined;
}

/**
 * `createSource` answered before the onboarding finished (HTTP 202): either it is still running
 * (a discover can take minutes; poll `getOnboarding`) or it waits for the customer to choose what
 * to sync (send the same request again, same idempotency key, with `streams`).
 */
export interface OnboardingPending {
  status: 'running' | 'needs_streams';
  onboardingKey: string;
  /** With `needs_streams`: what the source discovered. */
  streams?: StreamOption[] | undefined;
  /** The source already made (and checked), when it exists. */
  source?: SourceSummary | undefined;
}

/** Whether `createSource` answered before the onboarding finished. */
export function isOnboardingPending(value: OnboardingResult | OnboardingPending): value is OnboardingPending {
  return 'onboardingKey' in value && 'status' in value;
}

/** Terminal statuses are `succeeded`, `failed` and `cancelled`. */
export type JobStatus = 'pending' | 'queued' | 'running' | 'incomplete' | 'failed' | 'succeeded' | 'cancelled';

export interface JobSummary {
  jobId: number;
  status: JobStatus;
  jobType: string;
  startTime: string;
  lastUpdatedAt?: string | undefined;
  duration?: string | undefined;
  rowsSynced?: number | undefined;
  bytesSynced?: number | undefined;
  /** Why a failed job failed, in the connector's or Airbyte's words, when Airbyte says (self-managed with `configApi`). */
  failureReason?: string | undefined;
}

export interface ConnectionSummary {
  connectionId: string;
  name: string;
  status: string;
  sourceId: string;
  destinationId: string;
  destinationName: string;
  schedule: ScheduleInfo;
  /** How many streams (tables) it syncs. */
  streamCount?: number | undefined;
  /** Its template lets the customer change which streams it syncs (`getConnectionStreams`). */
  canChooseStreams?: boolean | undefined;
}

export interface SourceSummary {
  sourceId: string;
  name: string;
  templateId: string;
  createdAt: number;
  /** One identifying detail the customer typed (host, account, subdomain…), to tell two sources of one connector apart. */
  detail?: string | undefined;
}

/**
 * `GET {basePath}/ping`: no token, no preflight, readable from any origin. When the browser refuses
 * a page the proxy's answers (CORS), the client asks here whether the proxy is up and allows that
 * origin, which a preflight would tell anyone too.
 */
export interface PingAnswer {
  service: 'airbyte-embed-kit';
  originAllowed: boolean;
}

export interface OnboardingResult {
  source: SourceSummary;
  connections: Array<{ connection: ConnectionSummary; firstJob: JobSummary | null }>;
}

export interface ConnectionStatus {
  connection: ConnectionSummary;
  latestJob: JobSummary | null;
}

/** One of the customer's sources with its connections, as the manage view lists them. */
export interface SourceOverview extends SourceSummary {
  templateName: string;
  /** Its connector signs in (OAuth): the manage view offers "Reconnect" (`reconnectSource`). */
  signIn?: boolean | undefined;
  connections: Array<{ connection: ConnectionSummary; lastJob: JobSummary | null }>;
  /**
   * The onboarding that made this source stopped before its connections were made (or waits for
   * the customer's stream choice): the manage view says "Setup not finished" and offers "Finish
   * setup" (`resumeOnboarding` with `onboardingKey`) and "Remove" (`removeOnboarding`).
   */
  setup?: UnfinishedSetup | undefined;
  /** Airbyte no longer has this source (deleted there, or its workspace was): only "Remove from list" (`deleteSource`) helps. */
  removedInAirbyte?: boolean | undefined;
  /**
   * Its last sync failed because the source refused its configuration (wrong, expired or revoked
   * credentials, from Airbyte's failure notification): the manage view offers Reconnect
   * (`signIn`) or Edit. Cleared by a reconnect, an edit of its details or a sync that succeeds.
   */
  credentialsBroken?: boolean | undefined;
}

/** Where an unfinished onboarding stopped, as the manage view shows it. */
export interface UnfinishedSetup {
  onboardingKey: string;
  /**
   * `running`: a request is working on it right now (wait); `needs_streams`: it waits for the
   * customer's choice of what to sync; `stopped`: it stopped on a failure (`error` says which)
   * or was left, and "Finish setup" picks it up where it stopped.
   */
  state: 'running' | 'needs_streams' | 'stopped';
  /** The first step not done yet. */
  step: OnboardingStep;
  /** Why it stopped, when it stopped on an error. */
  error?: ErrorBody['error'] | undefined;
}

/** `resumeOnboarding`'s body: the customer's stream choice when the setup waits for one. */
export interface ResumeOnboardingRequest {
  streams?: StreamRef[] | undefined;
}

/** A source opened for editing: its user-facing values with every secret masked, and the form spec. */
export interface SourceDetail {
  source: SourceOverview;
  /** Only the fields of the template's form; `airbyte_secret` values are {@link SECRET_MASK}. */
  config: ConnectorConfig;
  spec: JsonSchema;
}

export interface UpdateSourceRequest {
  name?: string | undefined;
  /** The form values; a secret left as {@link SECRET_MASK} keeps its stored value. */
  config?: ConnectorConfig | undefined;
}

/** The steps of an onboarding, in order; a template set without destinations has only the first two. */
export type OnboardingStep = 'workspace' | 'source' | 'check' | 'streams' | 'destination' | 'connection' | 'sync';

/**
 * How far an onboarding (one idempotency key) has got, read from the saga's durable record while
 * the `createSource` request is still running, so the widget can show real progress. Before the
 * saga has recorded anything the route answers 404 `not_found`.
 */
export interface OnboardingProgress {
  /** `stalled`: it stopped on a transient failure (`error` says which); send the same request again to resume. */
  status: 'running' | 'needs_streams' | 'succeeded' | 'failed' | 'stalled';
  steps: Array<{ step: OnboardingStep; state: 'pending' | 'active' | 'done' }>;
  /** With `succeeded`: what `createSource` would have answered. */
  result?: OnboardingResult | undefined;
  /** With `failed` or `stalled`: the error `createSource` would have answered. */
  error?: ErrorBody['error'] | undefined;
  /** With `needs_streams`: what the source discovered. */
  streams?: StreamOption[] | undefined;
}

/** The streams of an existing connection: every discovered one, with what is selected now. */
export interface ConnectionStreams {
  streams: StreamOption[];
}

export interface UpdateStreamsRequest {
  streams: StreamRef[];
}

/** Every error code the proxy can answer with; the client switches on these, never on messages. */
export type ErrorCode =
  | 'unauthorized'
  | 'session_expired'
  | 'origin_not_allowed'
  | 'not_found'
  | 'method_not_allowed'
  | 'invalid_request'
  | 'invalid_config'
  | 'payload_too_large'
  | 'request_timeout'
  | 'source_limit_reached'
  | 'check_failed'
  | 'no_streams'
  | 'unsupported_media_type'
  | 'idempotency_key_reused'
  | 'sync_running'
  | 'rate_limited'
  | 'upstream_error'
  | 'misconfigured'
  | 'session_unavailable'
  | 'host_misconfigured'
  | 'upstream_unavailable'
  | 'internal_error';

/** A message tied to one form field; `path` is the property names from the config root. */
export interface FieldError {
  path: string[];
  /** In English; a client may word it in its own language from `rule`. */
  message: string;
  /** The validation rule that failed (Ajv keyword and params; never the submitted value). */
  rule?: { keyword: string; params: Record<string, unknown> } | undefined;
}

/** The body of every non-2xx proxy response. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    fieldErrors?: FieldError[] | undefined;
    requestId?: string | undefined;
  };
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** A route: method, path (with `:params`), request body and success body. */
export interface RouteDef<Params extends string = never, Body = undefined, Success = unknown> {
  method: Method;
  path: string;
  /** Phantom fields for typing only. */
  readonly _types?: { params: Params; body: Body; success: Success } | undefined;
}

function route<Params extends string = never, Body = undefined, Success = unknown>(
  method: Method,
  path: string,
): RouteDef<Params, Body, Success> {
  return { method, path };
}

/** The customer API, relative to the proxy's base path (default `/api/embed`). */
export const routes = {
  listTemplates: route<never, undefined, { data: TemplateSummary[] }>('GET', '/templates'),
  getTemplate: route<'templateId', undefined, TemplateDetail>('GET', '/templates/:templateId'),
  createSource: route<never, CreateSourceRequest, OnboardingResult | OnboardingPending>('POST', '/sources'),
  getConnection: route<'connectionId', undefined, ConnectionStatus>('GET', '/connections/:connectionId'),
  listSources: route<never, undefined, { data: SourceOverview[] }>('GET', '/sources'),
  getSource: route<'sourceId', undefined, SourceDetail>('GET', '/sources/:sourceId'),
  updateSource: route<'sourceId', UpdateSourceRequest, SourceOverview>('PATCH', '/sources/:sourceId'),
  deleteSource: route<'sourceId', undefined, { deleted: true }>('DELETE', '/sources/:sourceId'),
  startSync: route<'connectionId', undefined, JobSummary>('POST', '/connections/:connectionId/sync'),
  listJobs: route<'connectionId', undefined, { data: JobSummary[] }>('GET', '/connections/:connectionId/jobs'),
  getOnboarding: route<'key', undefined, OnboardingProgress>('GET', '/onboardings/:key'),
  resumeOnboarding: route<'key', ResumeOnboardingRequest, OnboardingResult | OnboardingPending>('POST', '/onboardings/:key/resume'),
  removeOnboarding: route<'key', undefined, { deleted: true }>('DELETE', '/onboardings/:key'),
  startOAuth: route<never, OAuthStartRequest, OAuthStart>('POST', '/oauth/start'),
  reconnectSource: route<'sourceId', { oauth: { grantId: string } }, SourceOverview>('POST', '/sources/:sourceId/reconnect'),
  getConnectionStreams: route<'connectionId', undefined, ConnectionStreams>('GET', '/connections/:connectionId/streams'),
  updateConnectionStreams: route<'connectionId', UpdateStreamsRequest, ConnectionStreams>('PATCH', '/connections/:connectionId/streams'),
} as const;

/** Header carrying the client's idempotency key on `createSource`; retries reuse it. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

export type RouteName = keyof typeof routes;
export type RouteParams<R extends RouteName> = NonNullable<(typeof routes)[R]['_types']>['params'];
export type RouteBody<R extends RouteName> = NonNullable<(typeof routes)[R]['_types']>['body'];
export type RouteSuccess<R extends RouteName> = NonNullable<(typeof routes)[R]['_types']>['success'];

/** Fills `:params` of a route path; values are URI-encoded. */
export function buildPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`Missing route parameter "${key}" for ${path}`);
    return encodeURIComponent(value);
  });
}

/** The mask Airbyte (and this proxy) send in place of a secret value. Sending it back keeps the stored value. */
export const SECRET_MASK = '**********';

/** Job statuses after which a job never changes again. */
export function isTerminalJobStatus(status: JobStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}
