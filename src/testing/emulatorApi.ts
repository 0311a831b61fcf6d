import type { Context, Document } from 'openapi-backend';
import { importOptionalPeer } from '../shared/optionalPeer.ts';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from '../shared/contract.ts';
import { ConfigValidator } from '../shared/configValidator.ts';
import { maskSecrets } from '../shared/secrets.ts';
import { ConnectorRegistry, type ConnectorDefinition } from './connectors.ts';
import { checkAirbyteCron, cronRunsBetween } from '../shared/quartzCron.ts';
import { DEFAULT_ORGANIZATION_ID, emptyState, type ActorRecord, type ConnectionRecord, type EmulatorState, type JobFailureRecord, type JobRecord, type OAuthParamRecord, type StreamConfig } from './emulatorState.ts';
import { airbyteApiDocument } from './generated/airbyteApi.ts';
import { configJobInfo, isTerminal, jobResponse, jobStatus, jobUpdatedAt } from './jobs.ts';
import { badRequest, errorIdOnly, forbidden, knownExceptionBody, knownProblem, micronautRefusal, notFound, problem } from './problems.ts';
import { jsonSchemaValidationMessage, publicApiValidationMessage } from './schemaMessages.ts';
import { configuredStreams, defaultConfiguration, defaultStreams, streamProperties, wrongCredentials, type CatalogEntry } from './catalog.ts';
import { createHash } from 'node:crypto';
import { consentErrorPage, consentPage, expireFlows, injectOAuthParameters, maskOAuthParameters, missingInputsMessage, missingOAuthInputs, newFlow, newSecretId, oauthConfigSpec, oauthOutputs, oauthPaths, overrideAppName, redirectWith, setSecretsInConnectionConfiguration, valueAtPath } from './oauth.ts';

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

/** What {@link createEmulatorApi} needs: state, connectors, credentials, clock and behaviour options. */
export interface EmulatorApiOptions {
  state: EmulatorState;
  registry: ConnectorRegistry;
  clientId: string;
  clientSecret: string;
  now: () => number;
  /** Default duration of a job; a source's `count` scales nothing, durations are fixed. */
  jobDurationMs: number;
  /** Decides whether a job will succeed or fail (and why); default: succeed. */
  jobOutcome?: ((job: { jobId: number; jobType: string; connectionId: string }) => JobOutcome) | undefined;
  /** Whose permissions the application tokens carry (see {@link CallerRole}). */
  caller: CallerRole;
  /** How `POST /applications/token` refuses wrong credentials (see {@link TokenEndpoint}). */
  tokenEndpoint: TokenEndpoint;
  /** Called after every request that changed the state. */
  onChange: () => void;
  /** Origins besides loopback that OAuth may redirect back to. */
  oauthRedirectOrigins?: string[] | undefined;
  /** The app name the consent page asks the user to allow; default "Acme Insights". */
  oauthAppName?: string | undefined;
  /** Returns an OAuth error code (e.g. `server_error`) the provider sends back instead of showing consent. */
  oauthProviderError?: (flow: { sourceType: string }) => string | undefined;
  /** `cloud` (default) implements `POST /sources/initiateOAuth`; `self-managed` answers 501 as the OSS server does. */
  oauthPublicApi?: 'cloud' | 'self-managed' | undefined;
  /** The public API's root path (`/v1`, `/api/public/v1`): the consent page lives under it. */
  basePath?: string | undefined;
  /** How long a discover takes (ms); 0 answers at once. */
  discoverMs: number;
  /** Waits `ms`; discovers use it so tests can control time. */
  sleep: (ms: number) => Promise<void>;
  /** Overrides the wrong-credentials rule: the connector's failure message, or undefined for success. */
  discoverFails?: (source: { definitionId: string; configuration: Record<string, unknown> }) => string | undefined;
}

/** A job's fate: `failed` carries the default reason, or give one (`externalMessage` is what users see). */
export type JobOutcome = 'succeeded' | 'failed' | { status: 'failed'; failure?: JobFailureRecord };

/**
 * Whose permissions the emulator's application tokens carry, which decides how Airbyte answers ids
 * it cannot place (airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/authorization/RoleResolver.kt):
 * - `organization-admin` (Airbyte Cloud's applications; Enterprise's non-admin users): a request's
 *   workspace (given, or found from its source, destination, connection or job) must resolve to an
 *   organization, so an unknown id, or one in a deleted workspace, is refused with 403 before any
 *   handler runs;
 * - `instance-admin` (self-managed Community: every token is the instance admin's): every check
 *   passes, and the handlers answer 404, or 500 where they trip over the missing workspace.
 */
export type CallerRole = 'organization-admin' | 'instance-admin';

/**
 * `POST /applications/token`'s refusal of a wrong client id or secret:
 * - `oidc` (Cloud, Enterprise): airbyte-data/src/main/kotlin/io/airbyte/data/services/impls/keycloak/ApplicationServiceKeycloakImpl.kt
 *   throws InvalidClientCredentialsException, which
 *   airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/errors/handlers/InvalidClientCredentialsExceptionHandler.kt
 *   answers 401 `{errorId}`;
 * - `simple` (self-managed Community's default auth): airbyte-data/src/main/kotlin/io/airbyte/data/services/impls/data/ApplicationServiceMicronautImpl.kt
 *   throws BadRequestException("Invalid client id or token"): 400 `{message, errorId}` (KnownExceptionHandler.kt).
 */
export type TokenEndpoint = 'oidc' | 'simple';

/** The outcome of a discover: the catalog with default selection, or the connector's failure message. */
export type DiscoverResult = { ok: true; entries: CatalogEntry[]; cached: boolean } | { ok: false; message: string; refusedBy?: 'platform' };

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

/**
 * The emulator's request handling: openapi-backend routes each request to its operation in the
 * official spec and validates path, query and body against it (400 `bad-request` otherwise);
 * the handlers below implement Airbyte's behaviour on an in-memory {@link EmulatorState}.
 */
export async function createEmulatorApi(options: EmulatorApiOptions) {
  const { state, registry, now } = options;
  const validator = new ConfigValidator();
  const tokens = new Map<string, number>();

  // An optional peer dependency of the kit (a browser-only host does not install it).
  const { OpenAPIBackend } = await importOptionalPeer('openapi-backend', () => import(/* webpackIgnore: true */ /* turbopackIgnore: true */ 'openapi-backend'), { entry: 'testing', feature: 'the Airbyte API emulator' });
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

  /**
   * The OAuth credentials override that applies to a workspace's connector, as
   * `OAuthServiceJooqImpl.getActorOAuthParameterOptional`
   * (airbyte-data/src/main/kotlin/io/airbyte/data/services/impls/jooq/OAuthServiceJooqImpl.kt) picks
   * it: the workspace's, else its organization's (else Airbyte's own app, which the emulator has none of).
   */
  function oauthParamFor(workspaceId: string, actorType: 'source' | 'destination', definitionId: string): OAuthParamRecord | undefined {
    const organizationId = state.workspaces[workspaceId]?.organizationId ?? DEFAULT_ORGANIZATION_ID;
    return state.oauthParams[`workspace:${workspaceId}:${actorType}:${definitionId}`] ?? state.oauthParams[`organization:${organizationId}:${actorType}:${definitionId}`];
  }

  function actorResponse(kind: 'source' | 'destination', a: ActorRecord) {
    const def = registry.get(a.definitionId, kind);
    let configuration = def ? maskSecrets(def.spec, a.configuration) : a.configuration;
    if (def && oauthParamFor(a.workspaceId, kind, a.definitionId)) configuration = maskOAuthParameters(def, configuration);
    const typeName = def ? def.dockerRepository.replace(`airbyte/${kind}-`, '') : a.definitionId;
    const common = { name: a.name, definitionId: a.definitionId, workspaceId: a.workspaceId, configuration, createdAt: a.createdAt, ...(a.resourceAllocation ? { resourceAllocation: a.resourceAllocation } : {}) };
    return kind === 'source' ? { sourceId: a.id, sourceType: typeName, ...common } : { destinationId: a.id, destinationType: typeName, ...common };
  }

  function workspaceResponse(w: EmulatorState['workspaces'][string]) {
    return { workspaceId: w.workspaceId, name: w.name, dataResidency: w.dataResidency, notifications: w.notifications };
  }

  /**
   * A connection as the API reads it. The cron expression comes back with its time zone appended
   * (`"0 0 * * * ? UTC"`): airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/mappers/ConnectionReadMapper.kt
   * prints `"${cronExpression} ${cronTimeZone}"`, and ConnectionCreateMapper.kt / ConnectionUpdateMapper.kt
   * always store `cronTimeZone = "UTC"` with the expression stripped of a trailing `UTC`.
   */
  function connectionResponse(c: ConnectionRecord) {
    const { scheduledUntil: _s, ...rest } = c;
    const schedule = c.schedule.cronExpression ? { ...c.schedule, cronExpression: `${c.schedule.cronExpression} UTC` } : c.schedule;
    return { ...rest, schedule };
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

  /**
   * The spec check of create, patch and put: JsonSchemaValidator.ensure throws a
   * JsonValidationException (see schemaMessages.ts), which the public API answers 422
   * `unprocessable-entity` with the message up to its schema dump in `data.message`.
   */
  function validateConfig(def: ConnectorDefinition, configuration: Json): Response | undefined {
    const errors = validator.validate(def.spec, configuration);
    if (!errors.length) return undefined;
    return knownProblem('unprocessable-entity', publicApiValidationMessage(errors, def.spec, configuration));
  }

  /** A live (not deleted) workspace. */
  const liveWorkspace = (id: string) => {
    const w = state.workspaces[id];
    return w && !w.tombstone ? w : undefined;
  };

  /**
   * What a source or destination create answers (as an instance admin, whom nothing stops earlier)
   * when its workspace is unknown or deleted: the workspace lookup's ConfigNotFoundException arrives
   * wrapped in a RuntimeException, which ConfigClientErrorHandler.handleError maps to 500
   * `unexpected-problem` with the exception's message. Unknown: ConfigurationDefinitionVersionOverrideProvider
   * (airbyte-config/config-persistence/src/main/kotlin/io/airbyte/config/persistence/versionoverrides/)
   * wraps it directly. Deleted: WorkspaceHelper.getOrganizationForWorkspace
   * (airbyte-data/src/main/kotlin/io/airbyte/data/helpers/WorkspaceHelper.kt) loads through a Caffeine
   * cache, which wraps it in a CompletionException first. That cache never expires entries, so a
   * server that had looked the workspace up before its deletion still has its organization and
   * creates the source in the deleted workspace; the emulator answers as a server that had not.
   */
  function workspaceLookupFailed(workspaceId: string, deleted: boolean): Response {
    const cause = `io.airbyte.data.ConfigNotFoundException: config type: STANDARD_WORKSPACE id: ${workspaceId}`;
    return knownProblem('unexpected-problem', deleted ? `java.util.concurrent.CompletionException: ${cause}` : cause);
  }

  /**
   * A list endpoint's answer: items of the `workspaceIds` filter (all without it), oldest first, paged.
   * Deleted items (`isDeleted`) are left out unless `includeDeleted=true`, as Airbyte's list queries do.
   */
  function listInWorkspaces<T extends { workspaceId: string; createdAt: number }>(c: Context, url: URL, items: Record<string, T>, view: (item: T) => unknown, isDeleted: (item: T) => boolean = () => false): Response {
    const q = c.request.query as Json;
    const ids = listParam(q, 'workspaceIds');
    const includeDeleted = String(q.includeDeleted) === 'true';
    const selected = Object.values(items)
      .filter((x) => (!ids || ids.has(x.workspaceId)) && (includeDeleted || !isDeleted(x)))
      .sort((a, b) => a.createdAt - b.createdAt);
    return page(url, c.request.query as Json, selected.map(view));
  }

  /**
   * Resolves the definition from `definitionId` or `configuration.sourceType`/`destinationType`, as
   * airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/SourcesController.kt
   * (and DestinationsController.kt) do: neither → 422 `unprocessable-entity`; an unknown type name →
   * 400 `value-not-found` with `data.value`.
   */
  function definitionFor(kind: 'source' | 'destination', body: Json): ConnectorDefinition | Response {
    const configuration = (body.configuration ?? {}) as Json;
    const typeKey = kind === 'source' ? 'sourceType' : 'destinationType';
    if (typeof body.definitionId === 'string') {
      return registry.get(body.definitionId, kind) ?? notFound(kind === 'source' ? 'STANDARD_SOURCE_DEFINITION' : 'STANDARD_DESTINATION_DEFINITION', body.definitionId);
    }
    if (typeof configuration[typeKey] === 'string') {
      return registry.byType(configuration[typeKey] as string, kind) ?? problem(400, 'value-not-found', undefined, { value: configuration[typeKey] });
    }
    return problem(422, 'unprocessable-entity');
  }

  /**
   * The configuration without its top-level `sourceType`/`destinationType`, which the server removes
   * before it validates or stores anything: `removeSourceTypeNode` / `removeDestinationType` in
   * airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/helpers/ActorConfigurationHelper.kt.
   */
  function withoutTypeNode(kind: 'source' | 'destination', configuration: unknown): Json {
    const { [kind === 'source' ? 'sourceType' : 'destinationType']: _type, ...rest } = (configuration ?? {}) as Json;
    return structuredClone(rest);
  }

  /**
   * `SourceHandler.createSourceWithOptionalSecret` / `updateSourceWithOptionalSecret`
   * (airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/handlers/SourceHandler.kt):
   * `hydrateOAuthResponseSecret` reads the stored `CompleteOAuthResponse.auth_payload`, then
   * `OAuthSecretHelper.setSecretsInConnectionConfiguration` puts tokens and server outputs at their
   * paths. Airbyte never deletes the secret, so a secretId can be used again (create, then PATCH to
   * reconnect). It is looked up in the workspace's secret persistence; the emulator refuses one
   * minted for another workspace (400). Without an OAuth config spec Airbyte throws
   * IllegalStateException, which the public API answers 409 `state-conflict` (ConfigClientErrorHandler.kt).
   */
  function applyOAuthSecret(def: ConnectorDefinition, configuration: Json, secretId: string, workspaceId: string): Response | Json {
    const secret = state.oauthSecrets[secretId];
    if (!secret || secret.workspaceId !== workspaceId) return badRequest(`Unknown secretId ${secretId} for this workspace.`);
    const out = setSecretsInConnectionConfiguration(def, secret.values, configuration);
    return out ?? knownProblem('state-conflict', 'Could not fulfill request');
  }

  const basePath = (options.basePath ?? '/v1').replace(/\/+$/, '');
  const REDIRECT_RULE = "redirectUrl must be an http(s) URL on this machine (localhost, 127.0.0.1) or on an origin given in the emulator's oauthRedirectOrigins.";
  type FlowStart = string | { kind: 'no-oauth' } | { kind: 'redirect' } | { kind: 'missing'; missing: string[] };

  /**
   * Starts a flow as `OAuthHandler.getSourceOAuthConsent` does: the definition must have an OAuth
   * config spec (else `OAuthImplementationFactory.create` throws IllegalStateException,
   * airbyte-oauth/src/main/kotlin/io/airbyte/oauth/OAuthImplementationFactory.kt), and the inputs
   * (merged with a re-authenticated source's stored ones, `getOAuthInputConfigurationForConsent`)
   * must satisfy the user-input spec. The redirect must be one the emulator may send a user to
   * (loopback or `oauthRedirectOrigins`), so the consent step is no open redirect. Returns the state.
   */
  function startFlow(api: 'public' | 'config', def: ConnectorDefinition, workspaceId: string, redirectUrl: unknown, input: Json, source: ActorRecord | undefined): FlowStart {
    const spec = oauthConfigSpec(def);
    if (!spec) return { kind: 'no-oauth' };
    const redirect = allowedRedirect(redirectUrl, options.oauthRedirectOrigins ?? []);
    if (!redirect) return { kind: 'redirect' };
    const merged: Json = { ...input };
    if (source) {
      // OAuthHandler.getOAuthInputConfigurationForConsent: stored values at the user-input paths fill what the request lacks.
      for (const [k, p] of Object.entries(oauthPaths(spec.userInput))) {
        let v: unknown = source.configuration;
        for (const part of p) v = v && typeof v === 'object' ? (v as Json)[part] : undefined;
        if (merged[k] === undefined && v !== undefined) merged[k] = v;
      }
    }
    const missing = missingOAuthInputs(spec, merged);
    if (missing.length) return { kind: 'missing', missing };
    const param = oauthParamFor(workspaceId, 'source', def.id);
    expireFlows(state, now());
    const flowState = crypto.randomUUID();
    state.oauthFlows[flowState] = write(
      newFlow(
        {
          workspaceId,
          sourceType: def.dockerRepository.replace('airbyte/source-', ''),
          definitionId: def.id,
          redirectUrl: redirect,
          api,
          input: merged,
          ...(source ? { sourceId: source.id } : {}),
          // The consent URL carries the client id of the app that applies (an override, else Airbyte's): the provider names that app.
          ...(param ? { appName: overrideAppName(def, param.configuration) } : {}),
        },
        now(),
      ),
    );
    return flowState;
  }

  /** The emulated provider's consent page for a flow (`GET <basePath>/oauth/consent?state=…`). */
  const consentUrlFor = (origin: string, flowState: string) => `${origin}${basePath}/oauth/consent?${new URLSearchParams({ state: flowState, response_type: 'code' }).toString()}`;

  /** The `auth_payload` of a completed flow: provider tokens plus masked server outputs. */
  function completedPayload(flow: EmulatorState['oauthFlows'][string], flowState: string): Json {
    const def = flow.definitionId ? registry.get(flow.definitionId, 'source') : registry.byType(flow.sourceType, 'source');
    const spec = def ? oauthConfigSpec(def) : undefined;
    return oauthOutputs(spec ?? {}, flowState.replace(/-/g, '').slice(0, 12), flow.input ?? {}, now());
  }

  /**
   * The emulated identity provider's consent page, outside api.yaml and without the bearer token (a
   * browser opens it). GET shows "Allow <oauthAppName> to access your <connector> account?" (or,
   * when `oauthProviderError` returns a code, redirects with that error at once); the form POSTs
   * `state` and `decision=allow|deny`. Allow issues a code; the provider then redirects, as real
   * ones do, with `code` and `state` (or `error=access_denied`, `error_description`, `state` on
   * Deny, RFC 6749 §4.1.2.1) to its redirect URI: Airbyte's `/oauth/callback` for a public-API flow,
   * the caller's redirectUrl for a Config API flow.
   */
  async function handleConsent(request: Request, url: URL): Promise<Response> {
    let params = url.searchParams;
    if (request.method === 'POST') params = new URLSearchParams(await request.text());
    else if (request.method !== 'GET') return new Response(null, { status: 405, headers: { allow: 'GET, POST' } });
    const flowState = params.get('state') ?? '';
    const flow = state.oauthFlows[flowState];
    if (!flow || flow.code !== undefined) return consentErrorPage('This sign-in link is unknown, was already used or has expired. Start again from the app.');
    const def = flow.definitionId ? registry.get(flow.definitionId, 'source') : registry.byType(flow.sourceType, 'source');
    const target = flow.api === 'config' ? flow.redirectUrl : `${url.origin}${basePath}/oauth/callback`;
    const status = request.method === 'POST' ? 303 : 302;
    const before = version;
    const finish = (response: Response) => {
      if (version !== before) options.onChange();
      return response;
    };
    const forced = options.oauthProviderError?.({ sourceType: flow.sourceType });
    const decision = request.method === 'POST' ? params.get('decision') : undefined;
    if (forced || decision === 'deny') {
      const error = forced ?? 'access_denied';
      const description = forced ? `The ${def?.name ?? flow.sourceType} authorization server answered ${forced}.` : 'The user denied the request.';
      if (flow.api === 'config') {
        // The provider's part ends here; a later complete_oauth with this error gets request_succeeded: false.
        delete state.oauthFlows[flowState];
        write(flow);
      }
      return finish(redirectWith(target, { error, error_description: description, state: flowState }, status));
    }
    if (decision === 'allow') {
      flow.code = write(`emu_code_${crypto.randomUUID().replace(/-/g, '')}`);
      return finish(redirectWith(target, { code: flow.code, state: flowState }, status));
    }
    const spec = def ? oauthConfigSpec(def) : undefined;
    const grants = Object.keys((spec?.output?.properties ?? {}) as Json).map((k) => k.replace(/_/g, ' '));
    return consentPage({
      appName: flow.appName ?? options.oauthAppName ?? 'Acme Insights',
      connectorName: def?.name ?? flow.sourceType,
      action: `${basePath}/oauth/consent`,
      state: flowState,
      redirectOrigin: new URL(flow.redirectUrl).origin,
      grants,
    });
  }

  /** The configuration's hash, as Airbyte keys its catalog cache (md5 of the serialized configuration). */
  const configHash = (configuration: Json) => createHash('md5').update(JSON.stringify(configuration)).digest('hex');

  /**
   * Runs a source discover, as the public API does synchronously in connection create/patch and
   * `GET /streams`: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/services/SourceService.kt
   * (`getSourceSchema`) → airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/handlers/SchedulerHandler.kt
   * (`discover`). Unless `disableCache`, a catalog discovered earlier for the same source, connector
   * version and configuration hash answers at once; otherwise the discover takes `discoverMs` and
   * only a successful one is cached. The catalog's default selection follows CatalogConverter.kt.
   */
  async function discover(source: ActorRecord, disableCache: boolean): Promise<DiscoverResult> {
    // SchedulerHandler.discover: `throw NotFoundException("Cannot run discover on tombstoned workspace")`,
    // a KnownException the public API passes through ConfigClientErrorHandler's catch-all: 500 with its message.
    if (state.workspaces[source.workspaceId]?.tombstone) return { ok: false, message: 'Cannot run discover on tombstoned workspace', refusedBy: 'platform' };
    // A deleted source's configuration is voided (SourceServiceJooqImpl.tombstoneSource writes null) and
    // no catalog is cached for that configuration's hash, so the connector runs on no configuration and
    // fails (the wording below is the emulator's: the real text is the connector's error).
    if (source.tombstone) return { ok: false, message: 'The connector received no configuration: this source was deleted.' };
    const def = registry.get(source.definitionId, 'source');
    const { streams, suggestedStreams } = registry.catalog(source.definitionId);
    const entries = defaultConfiguration(streams, suggestedStreams);
    const hash = configHash(source.configuration);
    const tag = def?.dockerImageTag ?? '';
    const cached = state.catalogs[source.id];
    if (!disableCache && cached && cached.configHash === hash && cached.dockerImageTag === tag) return { ok: true, entries, cached: true };
    if (options.discoverMs > 0) await options.sleep(options.discoverMs);
    // The job's connector gets the OAuth override's server outputs (OAuthConfigSupplier.injectSourceOAuthParameters).
    const param = def ? oauthParamFor(source.workspaceId, 'source', source.definitionId) : undefined;
    const configuration = param && def ? injectOAuthParameters(def, param.configuration, source.configuration) : structuredClone(source.configuration);
    const message = options.discoverFails ? options.discoverFails({ definitionId: source.definitionId, configuration }) : wrongCredentials(configuration);
    if (message !== undefined) return { ok: false, message };
    state.catalogs[source.id] = write({ configHash: hash, dockerImageTag: tag, discoveredAt: now() });
    return { ok: true, entries, cached: false };
  }

  /** SourceService.getSourceSchema's answer to a failed discover: 500 `unexpected-problem`. */
  const discoverFailed = (result: { message: string; refusedBy?: 'platform' }) =>
    knownProblem('unexpected-problem', result.refusedBy === 'platform' ? result.message : `Something went wrong in the connector. logs:${result.message}`);

  /**
   * The streams a connection create/patch stores. Without stream configurations (absent or `[]`,
   * AirbyteCatalogHelper.hasStreamConfigurations) the default-selected streams in full refresh |
   * overwrite; otherwise the given ones, checked against the catalog and the destination's sync
   * modes (airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/helpers/AirbyteCatalogHelper.kt).
   */
  function checkStreams(entries: CatalogEntry[], destination: ActorRecord, configurations: unknown): { streams: StreamConfig[] } | Response {
    const given = (configurations as { streams?: StreamConfig[] } | undefined)?.streams;
    if (!given?.length) return { streams: defaultStreams(entries) };
    const result = configuredStreams(
      entries.map((e) => e.stream),
      given,
      registry.destinationSyncModes(destination.definitionId),
    );
    return typeof result === 'string' ? badRequest(result) : { streams: result };
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
    const fate = options.jobOutcome?.({ jobId, jobType, connectionId: connection.connectionId }) ?? 'succeeded';
    const job: JobRecord = {
      jobId,
      jobType,
      connectionId: connection.connectionId,
      workspaceId: connection.workspaceId,
      createdAt: at,
      durationMs: options.jobDurationMs,
      outcome: fate === 'succeeded' ? 'succeeded' : 'failed',
      ...(typeof fate === 'object' && fate.failure ? { failure: { ...fate.failure } } : {}),
      // A connection with no streams (e.g. created with none selected) syncs nothing, successfully.
      rowsTotal: jobType === 'sync' && connection.configurations.streams.length ? (typeof count === 'number' && count > 0 ? Math.floor(count) : 1000) : 0,
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
  // Counts changes; a request that saw the count move saves the state (robust to requests
  // interleaving over a discover's wait).
  let version = 0;
  const write = <T>(value: T): T => {
    version++;
    return value;
  };

  const handlers: Record<string, H> = {
    getHealthCheck: () => new Response('Successful operation', { headers: { 'content-type': 'text/plain' } }),

    createAccessToken: (c) => {
      const body = c.request.requestBody as Json;
      if (body.client_id !== options.clientId || body.client_secret !== options.clientSecret) {
        // ApplicationsController.publicGetAccessToken → ApplicationService.getToken (see TokenEndpoint):
        // neither says which of the two is wrong.
        return options.tokenEndpoint === 'simple' ? knownExceptionBody(400, 'Invalid client id or token') : errorIdOnly(401);
      }
      const token = `emu_${crypto.randomUUID().replace(/-/g, '')}`;
      tokens.set(token, now() + 900_000);
      return Response.json({ access_token: token, token_type: 'Bearer', expires_in: 900 });
    },

    listWorkspaces: (c, _r, url) => {
      // WorkspaceServiceJooqImpl.listStandardWorkspacesPaginated: tombstoned rows only with includeDeleted=true.
      return listInWorkspaces(c, url, state.workspaces, workspaceResponse, (w) => w.tombstone === true);
    },
    createWorkspace: (c) => {
      const body = c.request.requestBody as Json;
      const w = write({
        workspaceId: crypto.randomUUID(),
        name: String(body.name),
        dataResidency: 'auto',
        notifications: (body.notifications as Json) ?? {},
        createdAt: now(),
        organizationId: typeof body.organizationId === 'string' ? body.organizationId : DEFAULT_ORGANIZATION_ID,
      });
      state.workspaces[w.workspaceId] = w;
      return Response.json(workspaceResponse(w));
    },
    /**
     * WorkspacesHandler.getWorkspace (airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/handlers/WorkspacesHandler.kt):
     * `getStandardWorkspaceNoSecrets(id, includeTombstone = false)`, so a deleted workspace is a 404
     * like an unknown one (ConfigNotFoundException STANDARD_WORKSPACE). An organization-level caller
     * never gets here for either: RoleResolver answers 403 first.
     */
    getWorkspace: (c) => {
      const w = liveWorkspace(String(c.request.params.workspaceId));
      return w ? Response.json(workspaceResponse(w)) : notFound('STANDARD_WORKSPACE', String(c.request.params.workspaceId));
    },
    updateWorkspace: (c) => {
      const w = liveWorkspace(String(c.request.params.workspaceId));
      if (!w) return notFound('STANDARD_WORKSPACE', String(c.request.params.workspaceId));
      const body = c.request.requestBody as Json;
      if (typeof body.name === 'string') w.name = body.name;
      if (body.notifications) w.notifications = body.notifications as Json;
      write(w);
      return Response.json(workspaceResponse(w));
    },
    /**
     * WorkspacesHandler.deleteWorkspace: reads the workspace without tombstones (a second delete is a
     * 404), deletes every connection (status deprecated), tombstones every destination and source
     * (DestinationHandler/SourceHandler.deleteSource: configuration voided), then tombstones the
     * workspace itself. Nothing is removed: the sources, connections and jobs still read by id.
     */
    deleteWorkspace: (c) => {
      const id = String(c.request.params.workspaceId);
      const w = liveWorkspace(id);
      if (!w) return notFound('STANDARD_WORKSPACE', id);
      for (const conn of Object.values(state.connections)) if (conn.workspaceId === id) conn.status = 'deprecated';
      for (const store of [state.destinations, state.sources]) {
        for (const a of Object.values(store)) {
          if (a.workspaceId !== id) continue;
          a.tombstone = true;
          a.configuration = {};
          delete state.catalogs[a.id];
        }
      }
      w.tombstone = true;
      write(id);
      return new Response(null, { status: 204 });
    },

    ...oauthCredentialHandlers(),

    ...actorHandlers('source'),
    ...actorHandlers('destination'),

    /**
     * Airbyte Cloud's initiateOAuth (its implementation is not public; the OSS server's
     * `SourceService.controllerInitiateOAuth` answers 501, see `oauthPublicApi`). It asks
     * `OAuthHandler.getSourceOAuthConsent` for the provider's consent URL, with Airbyte's own
     * `/v1/oauth/callback` as the provider's redirect. InitiateOauthRequest names the connector by
     * `sourceType` (or the deprecated `name`); it has no `definitionId`.
     */
    initiateOAuth: (c, _r, url) => {
      // airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/services/SourceService.kt: NOT_IMPLEMENTED in OSS.
      if (options.oauthPublicApi === 'self-managed') return new Response(null, { status: 501 });
      const body = c.request.requestBody as Json;
      const workspaceId = String(body.workspaceId);
      if (!state.workspaces[workspaceId]) return notFound('STANDARD_WORKSPACE', workspaceId);
      const typeName = body.sourceType ?? body.name;
      if (typeof typeName !== 'string' || !typeName) {
        return badRequest(`sourceType is required${body.definitionId ? ' (InitiateOauthRequest has no definitionId; send the type name, e.g. "hubspot")' : ''}.`);
      }
      const def = registry.byType(typeName, 'source');
      if (!def) return problem(400, 'value-not-found', undefined, { value: typeName });
      const input = (body.oAuthInputConfiguration ?? {}) as Json;
      const started = startFlow('public', def, workspaceId, body.redirectUrl, input, undefined);
      if (typeof started === 'string') return Response.json({ consentUrl: consentUrlFor(url.origin, started) });
      if (started.kind === 'no-oauth') return knownProblem('state-conflict', 'Could not fulfill request');
      if (started.kind === 'redirect') return problem(422, 'invalid-redirect-url', REDIRECT_RULE, { redirectUrl: String(body.redirectUrl ?? '') });
      // JsonValidationException → 422 unprocessable-entity, message before "\nSchema:" (ConfigClientErrorHandler.kt).
      return knownProblem('unprocessable-entity', missingInputsMessage(started.missing));
    },
    /**
     * Airbyte Cloud's callback (not public): it completes the flow with `returnSecretCoordinate`
     * (`OAuthHandler.completeSourceOAuthHandleReturnSecret`, which mints no secret for a denied flow)
     * and redirects to the flow's redirectUrl with `secret_id`. How Cloud reports a denial or a
     * provider error to redirectUrl is not public either: the emulator passes the provider's
     * `error` (and `error_description`) on, the OAuth 2.0 error response of RFC 6749 §4.1.2.1.
     */
    oauthCallback: (_c, _r, url) => {
      const flowState = url.searchParams.get('state') ?? '';
      const flow = state.oauthFlows[flowState];
      if (!flow || flow.api === 'config') return badRequest('Unknown or missing OAuth state or code.');
      const error = url.searchParams.get('error');
      if (error) {
        delete state.oauthFlows[flowState];
        write(flow);
        return redirectWith(flow.redirectUrl, { error, ...(url.searchParams.get('error_description') ? { error_description: url.searchParams.get('error_description')! } : {}) });
      }
      const code = url.searchParams.get('code');
      // Flows saved by older emulators carry no code: any code completes them.
      if (!code || (flow.code !== undefined && code !== flow.code)) return badRequest('Unknown or missing OAuth state or code.');
      delete state.oauthFlows[flowState];
      const secretId = newSecretId(flow.workspaceId);
      state.oauthSecrets[secretId] = write({ workspaceId: flow.workspaceId, sourceType: flow.sourceType, values: completedPayload(flow, flowState) });
      return redirectWith(flow.redirectUrl, { secret_id: secretId });
    },

    listConnections: (c, _r, url) => {
      // A deleted connection is `deprecated` (ConnectionHelper.deleteConnection); lists skip those.
      return listInWorkspaces(c, url, state.connections, connectionResponse, (conn) => conn.status === 'deprecated');
    },
    /**
     * airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/ConnectionsController.kt
     * (`publicCreateConnection`): cron check, destination read, a synchronous discover (500 when it
     * fails), the destination's sync modes, then the streams (default selection or checked configs).
     */
    createConnection: async (c) => {
      const body = c.request.requestBody as Json;
      const schedule = checkSchedule(body.schedule);
      if (schedule instanceof Response) return schedule;
      const destination = state.destinations[String(body.destinationId)];
      if (!destination) return notFound('DESTINATION_CONNECTION', String(body.destinationId));
      const source = state.sources[String(body.sourceId)];
      if (!source) return notFound('SOURCE_CONNECTION', String(body.sourceId));
      const discovered = await discover(source, false);
      if (!discovered.ok) return discoverFailed(discovered);
      const streams = checkStreams(discovered.entries, destination, body.configurations);
      if (streams instanceof Response) return streams;
      if (source.workspaceId !== destination.workspaceId) return badRequest('Source and destination must be in the same workspace.');
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
      // A deleted connection still reads, with status `deprecated`.
      const conn = state.connections[String(c.request.params.connectionId)];
      return conn ? Response.json(connectionResponse(conn)) : notFound('STANDARD_SYNC', String(c.request.params.connectionId));
    },
    /**
     * ConnectionsController.kt (`patchConnection`): cron check; 409 on a locked connection; a
     * discover and the stream checks only when stream configurations are sent (non-empty).
     */
    patchConnection: async (c) => {
      const conn = state.connections[String(c.request.params.connectionId)];
      if (!conn) return notFound('STANDARD_SYNC', String(c.request.params.connectionId));
      const body = c.request.requestBody as Json;
      const next = { ...conn };
      if (body.schedule !== undefined) {
        const schedule = checkSchedule(body.schedule);
        if (schedule instanceof Response) return schedule;
        next.schedule = schedule;
        next.scheduledUntil = now();
      }
      if (conn.status === 'locked') {
        return problem(409, 'error:connection/locked', 'The connection is locked and cannot be modified.', { connectionId: conn.connectionId });
      }
      const given = (body.configurations as { streams?: unknown[] } | undefined)?.streams;
      if (given?.length) {
        const source = state.sources[conn.sourceId];
        const destination = state.destinations[conn.destinationId];
        if (!source) return notFound('SOURCE_CONNECTION', conn.sourceId);
        if (!destination) return notFound('DESTINATION_CONNECTION', conn.destinationId);
        const discovered = await discover(source, false);
        if (!discovered.ok) return discoverFailed(discovered);
        const streams = checkStreams(discovered.entries, destination, body.configurations);
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
      const conn = state.connections[id];
      if (!conn) return notFound('STANDARD_SYNC', id);
      // airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/converters/ConnectionHelper.kt
      // (`deleteConnection`): the connection stays, with status deprecated.
      conn.status = write('deprecated');
      return new Response(null, { status: 204 });
    },

    /**
     * airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/StreamsController.kt
     * (`getStreamProperties`): a discover (cached unless `ignoreCache=true`), then each stream with
     * the sync modes the destination allows; without `destinationId` no `syncModes` at all.
     */
    getStreamProperties: async (c) => {
      const q = c.request.query as Json;
      const sourceId = String(q.sourceId);
      const source = state.sources[sourceId];
      if (!source) return notFound('SOURCE_CONNECTION', sourceId);
      const destination = q.destinationId === undefined ? undefined : state.destinations[String(q.destinationId)];
      if (q.destinationId !== undefined && !destination) return notFound('DESTINATION_CONNECTION', String(q.destinationId));
      const discovered = await discover(source, String(q.ignoreCache) === 'true');
      if (!discovered.ok) return discoverFailed(discovered);
      const destinationModes = destination ? registry.destinationSyncModes(destination.definitionId) : undefined;
      return Response.json(discovered.entries.map((e) => streamProperties(e.stream, destinationModes)));
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
      if (!conn) return notFound('STANDARD_SYNC', String(body.connectionId));
      // airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/JobsController.kt: refresh → 422.
      if (body.jobType === 'refresh') return knownProblem('unprocessable-entity', 'Refreshes are not supported in the public API');
      // airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/handlers/SchedulerHandler.kt
      // (`submitManualSyncToWorker`): check(status == ACTIVE) { "Can only sync an active connection" }; the
      // IllegalStateException becomes 409 state-conflict "Could not fulfill request" in
      // airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/errorHandlers/ConfigClientErrorHandler.kt.
      if (body.jobType === 'sync' && conn.status !== 'active') return knownProblem('state-conflict', 'Could not fulfill request');
      const t = now();
      if (runningJob(conn.connectionId, t)) {
        return knownProblem('try-again-later', `A sync is already running for: ${conn.connectionId}`);
      }
      return Response.json(jobResponse(write(startJob(conn, String(body.jobType), t)), t));
    },
    /**
     * An unknown job id is not a 404: JobHistoryHandler.getJobInfoWithoutLogs → DefaultJobPersistence.getJob
     * (airbyte-persistence/job-persistence/src/main/kotlin/io/airbyte/persistence/job/DefaultJobPersistence.kt)
     * throws RuntimeException("Could not find job with id: …"), which ConfigClientErrorHandler.kt turns into
     * 409 `state-conflict` "Job is not currently running" (the same for a cancel).
     */
    getJob: (c) => {
      const job = state.jobs[String(c.request.params.jobId)];
      return job && job.createdAt <= now() ? Response.json(jobResponse(job, now())) : knownProblem('state-conflict', 'Job is not currently running');
    },
    cancelJob: (c) => {
      const job = state.jobs[String(c.request.params.jobId)];
      if (!job) return knownProblem('state-conflict', 'Job is not currently running');
      const t = now();
      if (isTerminal(jobStatus(job, t))) return knownProblem('state-conflict', 'Job is not currently running');
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

  /**
   * OAuth credentials overrides: the operator's own OAuth app for a connector, per workspace or
   * per organization. Paths below are airbyte-platform (commit 310e6cb6ac0e) files:
   * - airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/WorkspacesController.kt
   *   (`createOrUpdateWorkspaceOAuthCredentials`, `deleteWorkspaceOAuthCredentials`) delegates to
   *   services/WorkspaceService.kt, which in OSS answers 501 (`controllerSetWorkspaceOverrideOAuthParams`
   *   returns NOT_IMPLEMENTED; Cloud overrides it): with `oauthPublicApi: 'self-managed'` so does the emulator.
   * - controllers/OrganizationsController.kt (`createOrUpdateOrganizationOAuthCredentials`: 200, no
   *   body; `deleteOrganizationOAuthCredentials`: 204) → services/OrganizationService.kt: the name is
   *   looked up in SOURCE_NAME_TO_DEFINITION_ID / DESTINATION_… (mappers/NameToDefinitionMapper.kt,
   *   the connector's type name, e.g. `hubspot`), unknown → 400 `value-not-found` (UnknownValueProblem).
   * - airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/handlers/OAuthHandler.kt
   *   (`setSourceOrganizationOverrideOauthParams`, `setSourceWorkspaceOverrideOauthParams`,
   *   `sanitizeOauthConfiguration`) → handlers/helpers/OAuthSecretHelper.kt
   *   (`validateOauthParamConfigAndReturnAdvancedAuthSecretSpec`): with an OAuth config spec every
   *   `complete_oauth_server_output_specification` property must be at its `path_in_connector_config`
   *   in `configuration` (e.g. HubSpot `credentials.client_id`), else BadObjectSchemaKnownException
   *   "Missing OAuth param for key at [credentials, client_id]", a 422 KnownException body
   *   (errors/handlers/KnownExceptionHandler.kt). A second PUT replaces the first (one row per scope
   *   and definition). The license check (`Entitlement.CONFIG_TEMPLATE_ENDPOINTS`) always passes here.
   * The organizations the emulator knows: the default one and those its workspaces were created in.
   */
  function oauthCredentialHandlers(): Record<string, H> {
    const knownOrganization = (id: string) => id === DEFAULT_ORGANIZATION_ID || Object.values(state.workspaces).some((w) => w.organizationId === id);
    const forbidden = () => problem(403, 'forbidden', 'The caller does not have the required role (ORGANIZATION_ADMIN) in this organization.');
    const knownException = (status: number, message: string, className: string) => Response.json({ message, exceptionClassName: className }, { status });
    /** Checks the scope, returns the row key or a refusal. */
    const scopeKey = (c: Context, scope: 'workspace' | 'organization', actorType: string, definitionId: string): string | Response => {
      if (scope === 'workspace') {
        if (options.oauthPublicApi === 'self-managed') return new Response(null, { status: 501 });
        const id = String(c.request.params.workspaceId);
        if (!state.workspaces[id]) return notFound('STANDARD_WORKSPACE', id);
        return `workspace:${id}:${actorType}:${definitionId}`;
      }
      const id = String(c.request.params.organizationId);
      if (!knownOrganization(id)) return forbidden();
      return `organization:${id}:${actorType}:${definitionId}`;
    };
    const set = (scope: 'workspace' | 'organization'): H => (c) => {
      const body = c.request.requestBody as Json;
      const actorType = body.actorType as 'source' | 'destination';
      const name = String(body.name);
      if (scope === 'workspace' && options.oauthPublicApi === 'self-managed') return new Response(null, { status: 501 });
      const def = registry.byType(name, actorType);
      if (!def) return problem(400, 'value-not-found', undefined, { value: name });
      const key = scopeKey(c, scope, actorType, def.id);
      if (key instanceof Response) return key;
      const configuration = (body.configuration ?? {}) as Json;
      const spec = oauthConfigSpec(def);
      if (spec) {
        for (const p of Object.values(oauthPaths(spec.serverOutput))) {
          const v = valueAtPath(configuration, p);
          if (v === undefined || v === null) return knownException(422, `Missing OAuth param for key at [${p.join(', ')}]`, 'io.airbyte.commons.server.errors.BadObjectSchemaKnownException');
        }
      }
      const [, scopeId] = key.split(':');
      state.oauthParams[key] = write({
        actorType,
        definitionId: def.id,
        ...(scope === 'workspace' ? { workspaceId: scopeId } : { organizationId: scopeId }),
        configuration: structuredClone(configuration),
        updatedAt: now(),
      });
      return new Response(null, { status: 200 });
    };
    const remove = (scope: 'workspace' | 'organization'): H => (c) => {
      const actorType = String(c.request.params.actorType) as 'source' | 'destination';
      const name = String(c.request.params.name);
      if (scope === 'workspace' && options.oauthPublicApi === 'self-managed') return new Response(null, { status: 501 });
      const def = registry.byType(name, actorType);
      if (!def) return problem(400, 'value-not-found', undefined, { value: name });
      const key = scopeKey(c, scope, actorType, def.id);
      if (key instanceof Response) return key;
      // OAuthService.deleteSourceOAuthParamByWorkspaceId / …ByDefinitionId: a delete query, 204 whether or not a row was there.
      if (state.oauthParams[key]) delete state.oauthParams[write(key)];
      return new Response(null, { status: 204 });
    };
    return {
      createOrUpdateWorkspaceOAuthCredentials: set('workspace'),
      deleteWorkspaceOAuthCredentials: remove('workspace'),
      createOrUpdateOrganizationOAuthCredentials: set('organization'),
      deleteOrganizationOAuthCredentials: remove('organization'),
    };
  }

  function definitionHandlers(kind: 'source' | 'destination'): Record<string, H> {
    const cap = kind === 'source' ? 'Source' : 'Destination';
    const view = (d: ConnectorDefinition) => ({ id: d.id, name: d.name, dockerRepository: d.dockerRepository, dockerImageTag: d.dockerImageTag, ...(d.documentationUrl ? { documentationUrl: d.documentationUrl } : {}) });
    return {
      [`list${cap}Definitions`]: (c, _r, url) => {
        const ws = String(c.request.params.workspaceId);
        if (!state.workspaces[ws]) return notFound('STANDARD_WORKSPACE', ws);
        return page(url, c.request.query as Json, registry.list(kind).map(view));
      },
      [`get${cap}Definition`]: (c) => {
        const ws = String(c.request.params.workspaceId);
        if (!state.workspaces[ws]) return notFound('STANDARD_WORKSPACE', ws);
        const d = registry.get(String(c.request.params.definitionId), kind);
        return d ? Response.json(view(d)) : notFound(kind === 'source' ? 'STANDARD_SOURCE_DEFINITION' : 'STANDARD_DESTINATION_DEFINITION', String(c.request.params.definitionId));
      },
    };
  }

  function actorHandlers(kind: 'source' | 'destination'): Record<string, H> {
    const cap = kind === 'source' ? 'Source' : 'Destination';
    const idParam = `${kind}Id`;
    const store = () => actorStore(kind);
    const find = (c: Context) => store()[String(c.request.params[idParam])];
    /** Shared by create, patch and put: resolve OAuth, check against the spec, store. */
    const commit = (def: ConnectorDefinition, a: ActorRecord, secretId: unknown, beforeWrite?: () => Response | undefined): Response => {
      if (typeof secretId === 'string' && kind === 'source') {
        const withSecret = applyOAuthSecret(def, a.configuration, secretId, a.workspaceId);
        if (withSecret instanceof Response) return withSecret;
        a.configuration = withSecret;
      }
      const invalid = validateConfig(def, a.configuration);
      if (invalid) return invalid;
      const refused = beforeWrite?.();
      if (refused) return refused;
      store()[a.id] = write(a);
      return Response.json(actorResponse(kind, a));
    };
    return {
      [`list${cap}s`]: (c, _r, url) => {
        return listInWorkspaces(c, url, store(), (a) => actorResponse(kind, a), (a) => a.tombstone === true);
      },
      /**
       * SourceHandler.createSource / DestinationHandler.createDestination
       * (airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/handlers/): the definition
       * first (unknown: 404 STANDARD_SOURCE_DEFINITION), then its version for the workspace, which
       * reads the workspace with tombstones (ConfigurationDefinitionVersionOverrideProvider.getOrganizationId:
       * unknown → 500), then the spec check (422), then persisting, which asks the workspace's
       * organization without tombstones (WorkspaceHelper.getOrganizationForWorkspace: deleted → 500).
       * An organization-level caller is refused with 403 before any of this (see `authorize`).
       */
      [`create${cap}`]: (c) => {
        const body = c.request.requestBody as Json;
        const def = definitionFor(kind, body);
        if (def instanceof Response) return def;
        const workspaceId = String(body.workspaceId);
        const workspace = state.workspaces[workspaceId];
        if (!workspace) return workspaceLookupFailed(workspaceId, false);
        const a: ActorRecord = {
          id: crypto.randomUUID(),
          name: String(body.name),
          definitionId: def.id,
          workspaceId,
          configuration: withoutTypeNode(kind, body.configuration),
          createdAt: Math.floor(now() / 1000),
          ...(body.resourceAllocation ? { resourceAllocation: body.resourceAllocation as Json } : {}),
        };
        return commit(def, a, body.secretId, () => (workspace.tombstone ? workspaceLookupFailed(workspaceId, true) : undefined));
      },
      [`get${cap}`]: (c) => {
        const a = find(c);
        return a ? Response.json(actorResponse(kind, a)) : notFound(kind === 'source' ? 'SOURCE_CONNECTION' : 'DESTINATION_CONNECTION', String(c.request.params[idParam]));
      },
      [`patch${cap}`]: (c) => {
        const a = find(c);
        if (!a) return notFound(kind === 'source' ? 'SOURCE_CONNECTION' : 'DESTINATION_CONNECTION', String(c.request.params[idParam]));
        const body = c.request.requestBody as Json;
        const def = registry.get(a.definitionId, kind)!;
        const next: ActorRecord = { ...a, configuration: structuredClone(a.configuration) };
        if (typeof body.name === 'string') next.name = body.name;
        if (typeof body.workspaceId === 'string') {
          if (!state.workspaces[body.workspaceId]) return notFound('STANDARD_WORKSPACE', body.workspaceId);
          next.workspaceId = body.workspaceId;
        }
        if (body.configuration) next.configuration = merge(a.configuration, unmask(withoutTypeNode(kind, body.configuration), a.configuration) as Json);
        if (body.resourceAllocation) next.resourceAllocation = body.resourceAllocation as Json;
        return commit(def, next, body.secretId);
      },
      [`put${cap}`]: (c) => {
        const a = find(c);
        if (!a) return notFound(kind === 'source' ? 'SOURCE_CONNECTION' : 'DESTINATION_CONNECTION', String(c.request.params[idParam]));
        const body = c.request.requestBody as Json;
        const def = registry.get(a.definitionId, kind)!;
        const next: ActorRecord = { ...a, name: String(body.name), configuration: unmask(withoutTypeNode(kind, body.configuration), a.configuration) as Json };
        if (body.resourceAllocation) next.resourceAllocation = body.resourceAllocation as Json;
        return commit(def, next, undefined);
      },
      /**
       * A tombstone, as airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/handlers/SourceHandler.kt
       * (`deleteSource`) and DestinationHandler.kt do: its connections are deleted (status deprecated)
       * first, then the record is kept with `tombstone` set and its configuration voided
       * (SourceServiceJooqImpl.tombstoneSource). A GET still reads it; lists skip it unless `includeDeleted=true`.
       */
      [`delete${cap}`]: (c) => {
        const a = find(c);
        if (!a) return notFound(kind === 'source' ? 'SOURCE_CONNECTION' : 'DESTINATION_CONNECTION', String(c.request.params[idParam]));
        for (const conn of Object.values(state.connections)) if (conn.sourceId === a.id || conn.destinationId === a.id) conn.status = 'deprecated';
        a.tombstone = true;
        a.configuration = {};
        if (kind === 'source') delete state.catalogs[a.id];
        write(a);
        return new Response(null, { status: 204 });
      },
    };
  }

  const PUBLIC = new Set(['getHealthCheck', 'createAccessToken', 'oauthCallback']);

  /** The ids a request names that RoleResolver can turn into workspaces (AuthenticationId's fields). */
  interface AuthRefs {
    workspaceId?: string | undefined;
    workspaceIds?: string[] | undefined;
    connectionId?: string | undefined;
    sourceId?: string | undefined;
    destinationId?: string | undefined;
    jobId?: string | undefined;
  }

  /**
   * The workspaces a request is about, in the precedence of
   * airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/support/AuthenticationHeaderResolver.kt
   * (`resolveWorkspace`: workspace, connection, source + destination, destination, job, source,
   * workspace list), through WorkspaceHelper's lookups, which find deleted sources, destinations and
   * connections too; undefined when an id is unknown (ConfigNotFoundException: "Unable to resolve").
   */
  function resolveWorkspaces(refs: AuthRefs): string[] | undefined {
    if (refs.workspaceId !== undefined) return [refs.workspaceId];
    if (refs.connectionId !== undefined) return state.connections[refs.connectionId] ? [state.connections[refs.connectionId]!.workspaceId] : undefined;
    if (refs.sourceId !== undefined && refs.destinationId !== undefined) {
      const source = state.sources[refs.sourceId];
      const destination = state.destinations[refs.destinationId];
      // WorkspaceHelper.getWorkspaceForConnection: require(same workspace), an IllegalArgumentException resolveWorkspace swallows.
      return source && destination && source.workspaceId === destination.workspaceId ? [source.workspaceId] : undefined;
    }
    if (refs.destinationId !== undefined) return state.destinations[refs.destinationId] ? [state.destinations[refs.destinationId]!.workspaceId] : undefined;
    if (refs.jobId !== undefined) return state.jobs[refs.jobId] ? [state.jobs[refs.jobId]!.workspaceId] : undefined;
    if (refs.sourceId !== undefined) return state.sources[refs.sourceId] ? [state.sources[refs.sourceId]!.workspaceId] : undefined;
    return refs.workspaceIds ?? [];
  }

  /**
   * Whether an organization-level caller holds a workspace role for these refs: RoleResolver.kt
   * (`determineWorkspaceRole`) needs a grant for every requested workspace, and an organization grant
   * reaches a workspace only through its organization (WorkspaceHelper.getOrganizationForWorkspace,
   * which reads workspaces without tombstones), so an unknown or deleted workspace gets no role.
   */
  function callerMay(refs: AuthRefs): boolean {
    const workspaces = resolveWorkspaces(refs);
    return workspaces !== undefined && workspaces.length > 0 && workspaces.every((id) => liveWorkspace(id) !== undefined);
  }

  /** The top-level id fields of a JSON body, which AuthorizationServerHandler.kt copies into headers for `@Secured` roles. */
  const bodyRefs = (b: Json): AuthRefs => {
    const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
    return {
      workspaceId: str(b.workspaceId),
      connectionId: str(b.connectionId),
      sourceId: str(b.sourceId),
      destinationId: str(b.destinationId),
      jobId: str(b.id) ?? str(b.jobId),
      ...(Array.isArray(b.workspaceIds) ? { workspaceIds: b.workspaceIds.map(String) } : {}),
    };
  };
  const idsOf = (q: Json): AuthRefs | undefined => {
    const ids = listParam(q, 'workspaceIds');
    return ids ? { workspaceIds: [...ids] } : undefined;
  };

  /**
   * How each operation checks the caller (airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/*.kt):
   * `annotation` routes carry `@Secured(<roles>)` and Micronaut refuses them (403 JsonError, see
   * micronautRefusal); the others call `roleResolver…requireRole(role)` (403 problem naming the role)
   * or `requireOneOfRoles` (no `role`: 403 problem "…the required permissions…"). `refs` undefined:
   * nothing to check (a list without `workspaceIds` covers the caller's own workspaces).
   */
  type AuthRule = { refs: (p: Record<string, string>, q: Json, b: Json) => AuthRefs | undefined; role?: string; annotation?: true };
  const READER = 'WORKSPACE_READER';
  const AUTH_RULES: Record<string, AuthRule> = {
    listWorkspaces: { refs: (_p, q) => idsOf(q), role: READER },
    getWorkspace: { refs: (p) => ({ workspaceId: p.workspaceId }), role: READER },
    updateWorkspace: { refs: (p) => ({ workspaceId: p.workspaceId }) },
    deleteWorkspace: { refs: (p) => ({ workspaceId: p.workspaceId }) },
    createOrUpdateWorkspaceOAuthCredentials: { refs: (p) => ({ workspaceId: p.workspaceId }) },
    deleteWorkspaceOAuthCredentials: { refs: (p) => ({ workspaceId: p.workspaceId }) },
    listSources: { refs: (_p, q) => idsOf(q), role: READER },
    createSource: { refs: (_p, _q, b) => bodyRefs(b), annotation: true },
    initiateOAuth: { refs: (_p, _q, b) => bodyRefs(b), annotation: true },
    getSource: { refs: (p) => ({ sourceId: p.sourceId }) },
    patchSource: { refs: (p) => ({ sourceId: p.sourceId }) },
    putSource: { refs: (p) => ({ sourceId: p.sourceId }) },
    deleteSource: { refs: (p) => ({ sourceId: p.sourceId }) },
    listDestinations: { refs: (_p, q) => idsOf(q), role: READER },
    createDestination: { refs: (_p, _q, b) => bodyRefs(b), annotation: true },
    getDestination: { refs: (p) => ({ destinationId: p.destinationId }), role: READER },
    patchDestination: { refs: (p) => ({ destinationId: p.destinationId }) },
    putDestination: { refs: (p) => ({ destinationId: p.destinationId }) },
    deleteDestination: { refs: (p) => ({ destinationId: p.destinationId }) },
    listConnections: { refs: (_p, q) => idsOf(q), role: READER },
    createConnection: { refs: (_p, _q, b) => bodyRefs(b), annotation: true },
    getConnection: { refs: (p) => ({ connectionId: p.connectionId }), role: READER },
    patchConnection: { refs: (p) => ({ connectionId: p.connectionId }) },
    deleteConnection: { refs: (p) => ({ connectionId: p.connectionId }) },
    listJobs: { refs: (_p, q) => (q.connectionId !== undefined ? { connectionId: String(q.connectionId) } : idsOf(q)), role: READER },
    createJob: { refs: (_p, _q, b) => ({ connectionId: String(b.connectionId) }) },
    getJob: { refs: (p) => ({ jobId: p.jobId }), role: READER },
    cancelJob: { refs: (p) => ({ jobId: p.jobId }), role: 'WORKSPACE_RUNNER' },
    getStreamProperties: { refs: (_p, q) => ({ sourceId: String(q.sourceId), ...(q.destinationId === undefined ? {} : { destinationId: String(q.destinationId) }) }), role: READER },
    listConnectorDefinitions: { refs: (_p, q) => (q.workspaceId === undefined ? undefined : { workspaceId: String(q.workspaceId) }), role: READER },
    listSourceDefinitions: { refs: (p) => ({ workspaceId: p.workspaceId }), role: READER },
    getSourceDefinition: { refs: (p) => ({ workspaceId: p.workspaceId }), role: READER },
    listDestinationDefinitions: { refs: (p) => ({ workspaceId: p.workspaceId }), role: READER },
    getDestinationDefinition: { refs: (p) => ({ workspaceId: p.workspaceId }), role: READER },
  };

  /** An organization-level caller's refusal of a request, or undefined when it may go on (see {@link CallerRole}). */
  function authorize(rule: AuthRule, params: Record<string, string>, query: Json, body: Json, url: URL): Response | undefined {
    const refs = rule.refs(params, query, body);
    if (!refs || callerMay(refs)) return undefined;
    return rule.annotation ? micronautRefusal(403, url.pathname) : forbidden(rule.role);
  }

  api.register({
    notFound: (_c: Context, request: Request, url: URL) => problem(404, 'resource-not-found', `No route for ${request.method} ${url.pathname}`),
    methodNotAllowed: (_c: Context, request: Request, url: URL) => problem(405, 'method-not-allowed', `${request.method} is not allowed on ${url.pathname}`),
    validationFail: (c: Context) => {
      const errors = (c.validation.errors ?? []).map((e) => `${e.instancePath.replace(/^\/requestBody/, '') || '/'} ${e.message ?? 'is invalid'}`);
      return badRequest(`The request is invalid: ${errors.join('; ')}`);
    },
  });
  for (const [operationId, handler] of Object.entries(handlers)) {
    // roleResolver checks run inside the controller method, after the request was bound and validated.
    const rule = AUTH_RULES[operationId];
    api.register(
      operationId,
      rule && !rule.annotation
        ? (c: Context, request: Request, url: URL) => {
            const refused = options.caller === 'organization-admin' ? authorize(rule, c.request.params as Record<string, string>, c.request.query as Json, (c.request.requestBody ?? {}) as Json, url) : undefined;
            return refused ?? handler(c, request, url);
          }
        : handler,
    );
  }
  await api.init();
  // The router rebuilds its list of operations from the definition on every match (2–3 per
  // request, most of the emulator's CPU under load); the definition never changes after init.
  const operations = api.router.getOperations();
  api.router.getOperations = () => operations;

  /** Whether a bearer token the emulator issued, and not expired, authenticates the request. */
  function authenticated(request: Request): boolean {
    const token = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    const expiresAt = token ? tokens.get(token) : undefined;
    return expiresAt !== undefined && expiresAt > now();
  }

  /** Handles one request whose path is relative to the API root (e.g. `/sources`). */
  async function handle(request: Request, url: URL, apiPath: string): Promise<{ response: Response; operationId?: string }> {
    const operation = api.matchOperation({ method: request.method, path: apiPath, headers: {} });
    // Micronaut Security's filter runs before the route binds and validates the body: a missing,
    // unknown or expired token is a 401 whatever the request (DefaultAuthorizationExceptionHandler).
    if (operation && !PUBLIC.has(operation.operationId ?? '') && !authenticated(request)) {
      return { response: micronautRefusal(401, url.pathname), operationId: operation.operationId };
    }
    if (runSchedules()) version++;
    const before = version;
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
    // `@Secured(<roles>)` routes are refused by Micronaut Security before the body is bound or validated.
    const secured = operation ? AUTH_RULES[operation.operationId ?? ''] : undefined;
    if (secured?.annotation && options.caller === 'organization-admin') {
      const params = api.router.parseRequest({ method: request.method, path: apiPath, headers: {}, query }, operation).params as Record<string, string>;
      const refused = authorize(secured, params, query, (body && typeof body === 'object' ? body : {}) as Json, url);
      if (refused) return { response: refused, operationId: operation!.operationId };
    }
    const response = (await api.handleRequest(
      { method: request.method, path: apiPath, query, body, headers: Object.fromEntries(request.headers) },
      request,
      url,
    )) as Response;
    if (version !== before) options.onChange();
    return { response, operationId: operation?.operationId };
  }

  /** A stream and its default configuration, as the Config API's `AirbyteStreamAndConfiguration`. */
  function configApiStream(e: CatalogEntry) {
    const s = e.stream;
    const incremental = s.sourceDefinedCursor && s.sourceDefinedPrimaryKey.length > 0;
    return {
      stream: {
        name: s.name,
        jsonSchema: { type: 'object', properties: Object.fromEntries(s.fields.map((f) => [f, {}])) },
        supportedSyncModes: s.supportedSyncModes,
        sourceDefinedCursor: s.sourceDefinedCursor,
        defaultCursorField: s.defaultCursorField,
        sourceDefinedPrimaryKey: s.sourceDefinedPrimaryKey,
        ...(s.namespace === undefined ? {} : { namespace: s.namespace }),
      },
      // CatalogConverter.kt generateDefaultConfiguration + configureDefaultSyncModesForNewStream.
      config: {
        syncMode: incremental ? 'incremental' : 'full_refresh',
        destinationSyncMode: incremental ? 'append_dedup' : 'overwrite',
        cursorField: s.defaultCursorField,
        primaryKey: s.sourceDefinedPrimaryKey,
        aliasName: s.name.replace(/[^A-Za-z0-9_]/g, '_'),
        selected: e.selected,
        suggested: e.suggested,
      },
    };
  }

  /** The Config API's `SynchronousJobRead` of a discover or check that ran now. */
  function jobInfo(configType: string, configId: string, failure?: string) {
    const t = now();
    return {
      id: crypto.randomUUID(),
      configType,
      configId,
      createdAt: t - options.discoverMs,
      endedAt: t,
      succeeded: failure === undefined,
      ...(failure === undefined ? {} : { failureReason: { failureOrigin: 'source', failureType: 'config_error', externalMessage: failure, timestamp: t } }),
    };
  }

  /**
   * `POST /api/v1/jobs/get`, `/jobs/get_without_logs`, `/jobs/get_light` `{id}`
   * (airbyte-server/src/main/kotlin/io/airbyte/server/apis/controllers/JobsApiController.kt →
   * JobHistoryHandler): where a failed sync's reason is, in `attempts[].attempt.failureSummary.failures[]`
   * (`failureOrigin`, `failureType`, `externalMessage`, …; see jobs.ts `configJobInfo`). The public
   * API's JobResponse has none of it. An unknown id: DefaultJobPersistence.getJob throws a
   * RuntimeException ("Could not find job with id: …") that nothing maps, so
   * UncaughtExceptionHandler.kt answers 500 `{errorId}`.
   */
  function configJob(variant: 'get' | 'get_without_logs' | 'get_light', body: Json): Response {
    const job = state.jobs[String(body.id)];
    if (!job || job.createdAt > now()) return errorIdOnly(500);
    const conn = state.connections[job.connectionId];
    const streams = (conn?.configurations.streams ?? []).map((st) => ({ name: st.name, ...(st.namespace === undefined ? {} : { namespace: st.namespace }) }));
    return Response.json(configJobInfo(job, now(), { streams }, variant));
  }

  /**
   * The Config API's source OAuth (self-managed Airbyte's webapp flow; config.yaml
   * `getSourceOAuthConsent`, `completeSourceOAuth`; OAuthHandler.kt). Errors follow
   * airbyte-server/src/main/kotlin/io/airbyte/server/apis/ApiHelper.kt `execute`: an unknown id is 404
   * "Could not find configuration for …", a JsonValidationException 422 "The provided configuration
   * does not fulfill the specification. Errors: …"; other exceptions are 500s.
   */
  function configOAuth(configPath: string, body: Json, origin: string, configError: (status: number, message: string) => Response): Response {
    const workspaceId = String(body.workspaceId);
    if (!state.workspaces[workspaceId]) return configError(404, `Could not find configuration for STANDARD_WORKSPACE: ${workspaceId}.`);
    const def = typeof body.sourceDefinitionId === 'string' ? registry.get(body.sourceDefinitionId, 'source') : undefined;
    if (!def) return configError(404, `Could not find configuration for STANDARD_SOURCE_DEFINITION: ${String(body.sourceDefinitionId)}.`);
    const input = (body.oAuthInputConfiguration ?? {}) as Json;
    if (configPath === '/source_oauths/get_consent_url') {
      let source: ActorRecord | undefined;
      if (typeof body.sourceId === 'string') {
        source = state.sources[body.sourceId];
        if (!source) return configError(404, `Could not find configuration for SOURCE_CONNECTION: ${body.sourceId}.`);
      }
      const started = startFlow('config', def, workspaceId, body.redirectUrl, input, source);
      if (typeof started === 'string') return Response.json({ consentUrl: consentUrlFor(origin, started) });
      if (started.kind === 'no-oauth') return configError(500, `Requested OAuth implementation for ${def.dockerRepository}, but it is not included in the oauth mapping.`);
      if (started.kind === 'redirect') return configError(422, REDIRECT_RULE);
      return configError(422, `The provided configuration does not fulfill the specification. Errors: ${missingInputsMessage(started.missing)}`);
    }
    // complete_oauth: BaseOAuth2Flow.completeSourceOAuth (airbyte-oauth/src/main/kotlin/io/airbyte/oauth/BaseOAuth2Flow.kt).
    const spec = oauthConfigSpec(def);
    if (!spec) return configError(500, `Requested OAuth implementation for ${def.dockerRepository}, but it is not included in the oauth mapping.`);
    const query = (body.queryParams ?? {}) as Json;
    const flowState = typeof query.state === 'string' ? query.state : '';
    const flow = state.oauthFlows[flowState];
    const merged = { ...(flow?.input ?? {}), ...input };
    const missing = missingOAuthInputs(spec, merged);
    if (missing.length) return configError(422, `The provided configuration does not fulfill the specification. Errors: ${missingInputsMessage(missing)}`);
    // Only access_denied is an "ignored" error answered with request_succeeded: false (buildRequestError).
    if (query.error === 'access_denied') {
      if (flow) delete state.oauthFlows[write(flowState)];
      return Response.json({ request_succeeded: false, request_error: 'access_denied', auth_payload: {} });
    }
    if (typeof query.code !== 'string') return configError(500, "Undefined 'code' from consent redirected url.");
    // The provider's token endpoint refuses a code it did not issue, or one used before (IOException → 500).
    if (!flow || flow.api !== 'config' || flow.code !== query.code || flow.workspaceId !== workspaceId || flow.definitionId !== def.id) {
      return configError(500, 'Failed to complete OAuth flow: the provider refused the authorization code (invalid_grant).');
    }
    delete state.oauthFlows[flowState];
    const payload = completedPayload({ ...flow, input: merged }, flowState);
    write(flow);
    if (body.returnSecretCoordinate === true) {
      // OAuthHandler.writeOAuthResponseSecret: the whole response is stored; auth_payload is {secretId}.
      const secretId = newSecretId(workspaceId);
      state.oauthSecrets[secretId] = write({ workspaceId, sourceType: flow.sourceType, values: payload });
      return Response.json({ request_succeeded: true, auth_payload: { secretId } });
    }
    // OAuthHelper.mapToCompleteOAuthResponse: raw tokens, server outputs masked.
    return Response.json({ request_succeeded: true, auth_payload: payload });
  }

  /**
   * The two self-managed Config API calls the kit may use, served under `/api/v1` beside the public
   * API (airbyte-api/server-api/src/main/openapi/config.yaml), with the same bearer tokens:
   * `POST /api/v1/sources/discover_schema` (SchedulerHandler.discoverSchemaForSourceFromSourceId:
   * cache unless `disable_cache`; a failure is a 200 with `jobInfo.succeeded: false` and
   * `failureReason.externalMessage`) and `POST /api/v1/scheduler/sources/check_connection`
   * (SchedulerHandler.checkSourceConnectionFromSourceCreate: `status` succeeded or failed with the
   * connector's `message`). Both take `discoverMs` and follow the same credentials rule. Also
   * `POST /api/v1/source_oauths/get_consent_url` and `/complete_oauth` (see `configOAuth`).
   * Returns undefined for any other path.
   */
  async function handleConfigApi(request: Request, configPath: string): Promise<Response | undefined> {
    const routes = ['/sources/discover_schema', '/scheduler/sources/check_connection', '/source_oauths/get_consent_url', '/source_oauths/complete_oauth', '/jobs/get', '/jobs/get_without_logs', '/jobs/get_light', '/destination_definition_specifications/get'];
    if (!routes.includes(configPath)) return undefined;
    const configError = (status: number, message: string) => Response.json({ message }, { status });
    if (request.method !== 'POST') return configError(405, `${request.method} is not allowed; the Config API takes POST.`);
    const token = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    const expiresAt = token ? tokens.get(token) : undefined;
    if (expiresAt === undefined || expiresAt <= now()) return micronautRefusal(401, new URL(request.url).pathname);
    let body: Json;
    try {
      body = JSON.parse(await request.text()) as Json;
    } catch {
      return configError(400, 'The request body is not valid JSON.');
    }
    // Every one of these routes is `@Secured(<workspace roles>)` (SourceApiController.kt,
    // SchedulerApiController.kt, SourceOauthApiController.kt, JobsApiController.kt): the roles come
    // from the body's ids (AuthorizationServerHandler.kt), so an organization-level caller naming an
    // unknown or deleted workspace, source or job gets Micronaut's 403.
    if (options.caller === 'organization-admin' && !callerMay(bodyRefs(body))) return micronautRefusal(403, new URL(request.url).pathname);
    if (runSchedules()) version++;
    const before = version;
    let response: Response;
    if (configPath.startsWith('/source_oauths/')) {
      response = configOAuth(configPath, body, new URL(request.url).origin, configError);
    } else if (configPath === '/sources/discover_schema') {
      const source = typeof body.sourceId === 'string' ? state.sources[body.sourceId] : undefined;
      if (!source) return configError(404, `Could not find configuration for SOURCE_CONNECTION: ${String(body.sourceId)}.`);
      const result = await discover(source, body.disable_cache === true || body.disableCache === true);
      response = result.ok
        ? Response.json({ catalog: { streams: result.entries.map(configApiStream) }, jobInfo: { ...jobInfo('discover_schema', source.id), ...(result.cached ? { configId: 'NoConfiguration', createdAt: 0, endedAt: 0 } : {}) }, catalogId: crypto.randomUUID() })
        : result.refusedBy === 'platform'
          ? knownExceptionBody(404, result.message)
          : Response.json({ jobInfo: jobInfo('discover_schema', source.id, result.message) });
    } else if (configPath === '/destination_definition_specifications/get') {
      // DestinationDefinitionSpecificationApiController → ConnectorDefinitionSpecificationHandler
      // .getDestinationSpecification (airbyte-commons-server): the definition's spec for the
      // workspace, with its supported sync modes and a synchronous job record; an unknown
      // definition is ConfigNotFound (404 STANDARD_DESTINATION_DEFINITION).
      const def = typeof body.destinationDefinitionId === 'string' ? registry.get(body.destinationDefinitionId, 'destination') : undefined;
      if (!def) return configError(404, `Could not find configuration for STANDARD_DESTINATION_DEFINITION: ${String(body.destinationDefinitionId)}.`);
      response = Response.json({
        destinationDefinitionId: def.id,
        connectionSpecification: def.spec,
        ...(def.supportedDestinationSyncModes ? { supportedDestinationSyncModes: def.supportedDestinationSyncModes } : {}),
        jobInfo: jobInfo('get_spec', def.id),
      });
    } else if (configPath.startsWith('/jobs/')) {
      response = configJob(configPath.slice('/jobs/'.length) as 'get' | 'get_without_logs' | 'get_light', body);
    } else {
      const def = typeof body.sourceDefinitionId === 'string' ? registry.get(body.sourceDefinitionId, 'source') : undefined;
      if (!def) return configError(404, `Could not find configuration for STANDARD_SOURCE_DEFINITION: ${String(body.sourceDefinitionId)}.`);
      const configuration = withoutTypeNode('source', body.connectionConfiguration);
      const errors = validator.validate(def.spec, configuration);
      // ApiHelper.execute (airbyte-server/src/main/kotlin/io/airbyte/server/apis/ApiHelper.kt): a
      // JsonValidationException becomes BadObjectSchemaKnownException (422) with its whole message.
      if (errors.length) return configError(422, `The provided configuration does not fulfill the specification. Errors: ${jsonSchemaValidationMessage(errors, def.spec, configuration)}`);
      if (options.discoverMs > 0) await options.sleep(options.discoverMs);
      const failure = options.discoverFails ? options.discoverFails({ definitionId: def.id, configuration: structuredClone(configuration) }) : wrongCredentials(configuration);
      // The check ran (jobInfo.succeeded); the connector's verdict is in status and message.
      response = Response.json({ status: failure === undefined ? 'succeeded' : 'failed', ...(failure === undefined ? {} : { message: failure }), jobInfo: jobInfo('check_connection_source', def.id) });
    }
    if (version !== before) options.onChange();
    return response;
  }

  /**
   * Forgets everything, as a fresh Airbyte at the same address would: every table, the job counter,
   * every issued token (a new instance signs with another key, so old tokens are a 401; the same
   * client id and secret get new ones).
   */
  function reset(): void {
    Object.assign(state, emptyState());
    tokens.clear();
    nextDue.clear();
    version++;
    options.onChange();
  }

  return { handle, handleConfigApi, handleConsent, reset, matchOperationId: (method: string, apiPath: string) => api.matchOperation({ method, path: apiPath, headers: {} })?.operationId };
}
