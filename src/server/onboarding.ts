import type { ConnectionSummary, CreateSourceRequest, JobSummary, OnboardingPending, OnboardingResult, StreamRef } from '../shared/contract.ts';
import type { ConfigValidator } from '../shared/configValidator.ts';
import { deepMerge } from '../shared/deepMerge.ts';
import { ownSlot, ownValue, setOwn } from '../shared/ownRecord.ts';
import { EmbedError } from '../shared/errors.ts';
import { describeSchedule } from '../shared/schedule.ts';
import { AirbyteApiError, connectorFailure, type AirbyteClient } from './airbyteClient.ts';
import type { ConnectionResponse, JobResponse, NonBreakingSchemaUpdatesBehavior, StreamProperties } from './airbyteTypes.ts';
import type { Session } from './sessionToken.ts';
import type { OnboardingRecord, ProxyStore, SourceRecord } from './store/proxyStore.ts';
import { customerTemplate, takeGrant, templateOAuthPlan } from './oauth.ts';
import { applyPendingOAuthCredentials } from './oauthCredentials.ts';
import { oauthChosen } from '../shared/oauthSpec.ts';
import { checkChoice, discovered, selectStreams, streamConfigurations, streamOptions, streamPrefix, type DiscoveredStream } from './streams.ts';
import { matchesTags, type ConnectionTemplate, type SourceTemplate } from './templates.ts';
import { emitEvent } from './webhooks/events.ts';
import { ensureWorkspaceNotifications, newNotificationToken, notificationsConfig, saveNotificationToken, type InboundNotifications } from './webhooks/notifications.ts';
import { checkSourceName, validateUserConfig } from './userConfig.ts';

/** Everything onboarding needs; built once by the proxy. */
export interface OnboardingContext {
  airbyte: AirbyteClient;
  store: ProxyStore;
  validator: ConfigValidator;
  now: () => number;
  /**
   * Self-managed Airbyte with its Config API reachable: check the details before creating the
   * source (`check_connection`), and read the connector's suggested streams (`discover_schema`).
   */
  configApi?: boolean | undefined;
  /** Sources one customer may have (a new onboarding past it is refused); default unlimited. */
  maxSourcesPerCustomer?: number | undefined;
  /** Warnings of background work (e.g. OAuth credentials not applied); default: JSON on console.warn. */
  log?: ((entry: { level: 'info' | 'warn' | 'error'; message: string; requestId: string }) => void) | undefined;
  /** Signed webhooks (src/server/webhooks/): the URL rules for endpoints, and a nudge for the delivery worker. */
  webhooks?: ({ urlPolicy?: import('./webhooks/endpoints.ts').UrlPolicy; kick?: () => void }) | undefined;
  /** Where the workspaces' Airbyte notifications are pointed (the proxy's `webhooks.publicUrl`); absent: not at all. */
  notifications?: InboundNotifications | undefined;
}

/** Embedded templates spell two values differently from the public API. */
const NON_BREAKING: Record<ConnectionTemplate['non_breaking_changes_preference'], NonBreakingSchemaUpdatesBehavior> = {
  ignore: 'ignore',
  disable: 'disable_connection',
  propagate_columns: 'propagate_columns',
  propagate_fully: 'propagate_fully',
};

/** A template the session may use; another customer's catalog answers 404 like a missing one. */
export async function findTemplate(ctx: OnboardingContext, session: Session, templateId: string): Promise<SourceTemplate> {
  const template = await ctx.store.getSourceTemplate(templateId);
  if (!template || !matchesTags(template.tags, session.templateTags, session.templateTagsMode)) {
    throw new EmbedError('not_found', `There is no connector "${templateId}" in your catalog. Reload the catalog and pick one from the list.`);
  }
  return template;
}

export function toJobSummary(job: JobResponse): JobSummary {
  const { jobId, status, jobType, startTime, lastUpdatedAt, duration, rowsSynced, bytesSynced } = job;
  return { jobId, status, jobType, startTime, lastUpdatedAt, duration, rowsSynced, bytesSynced };
}

export function toConnectionSummary(connection: ConnectionResponse, destinationName: string, now: number, canChooseStreams = false): ConnectionSummary {
  return {
    streamCount: connection.configurations?.streams?.length ?? 0,
    ...(canChooseStreams ? { canChooseStreams } : {}),
    connectionId: connection.connectionId,
    name: connection.name,
    status: connection.status,
    sourceId: connection.sourceId,
    destinationId: connection.destinationId,
    destinationName,
    // Airbyte reads cron expressions back with " UTC" appended (AirbyteCatalogHelper.normalizeCronExpression strips it on the way in).
    schedule: describeSchedule(connection.schedule.scheduleType === 'cron' ? (connection.schedule.cronExpression?.replace(/\s*UTC$/, '') ?? null) : null, now),
  };
}

/**
 * The customer's workspace, named after the customer id, and whether this call created it. The
 * store answers without any Airbyte call. For a customer it does not know, one that existed
 * before this store (a store that was reset) is found in the snapshot of workspaces taken the
 * first time the store needed one — a single list call in the store's life — and one whose
 * creation was interrupted (intent recorded, outcome unknown) by listing again. Otherwise the
 * workspace is created with no lookup. A lock per customer, across every proxy instance, makes
 * that exactly one workspace.
 */
export async function workspaceFor(ctx: OnboardingContext, customerId: string): Promise<{ workspaceId: string; created: boolean }> {
  const ws = await findOrCreateWorkspace(ctx, customerId);
  // The operator's own OAuth apps (scope `workspaces`) the workspace lacks: new, adopted, or an
  // earlier attempt failed. One store query when there is nothing to do; failures only warn.
  await applyPendingOAuthCredentials(ctx, ws.workspaceId, customerId);
  // Airbyte's notifications to the proxy (inbound webhooks): a created workspace has them
  // already; an adopted one, or one from before `publicUrl`, gets them now. Failures only warn.
  await ensureWorkspaceNotifications(ctx, ws.workspaceId, customerId);
  return ws;
}

async function findOrCreateWorkspace(ctx: OnboardingContext, customerId: string): Promise<{ workspaceId: string; created: boolean }> {
  const known = await ctx.store.getWorkspaceId(customerId);
  if (known) return { workspaceId: known, created: false };
  return ctx.store.withLock(`customer:${customerId}`, async () => {
    const again = await ctx.store.getWorkspaceId(customerId);
    if (again) return { workspaceId: again, created: false };
    if (!(await ctx.store.hasWorkspaceSnapshot())) {
      await ctx.store.withLock('aek:workspace-snapshot', async () => {
        if (!(await ctx.store.hasWorkspaceSnapshot())) await ctx.store.saveWorkspaceSnapshot(await ctx.airbyte.listWorkspaces());
      });
    }
    const existing = (await ctx.store.hasWorkspaceIntent(customerId))
      ? (await ctx.airbyte.listWorkspaces()).filter((w) => w.name === customerId).map((w) => w.workspaceId)
      : await ctx.store.snapshotWorkspaces(customerId);
    if (existing.length > 1) {
      throw new EmbedError('misconfigured', `Airbyte has ${existing.length} workspaces named "${customerId}"; the operator must merge or rename them.`);
    }
    let workspaceId = existing[0];
    if (!workspaceId) {
      await ctx.store.recordWorkspaceIntent(customerId);
      // Created with its notifications pointed at the proxy; the token is recorded once the id is known.
      const token = ctx.notifications && newNotificationToken();
      workspaceId = (await ctx.airbyte.createWorkspace({ name: customerId, ...(token ? { notifications: notificationsConfig(ctx.notifications!, token) } : {}) })).workspaceId;
      if (token) await saveNotificationToken(ctx.store, ctx.now(), ctx.notifications!, workspaceId, customerId, token);
    }
    await ctx.store.setWorkspaceId(customerId, workspaceId);
    return { workspaceId, created: !existing[0] };
  });
}

/**
 * The workspace's destination named by the template: from the store, else found by name, else
 * created. `fresh`: this onboarding created the workspace and has not tried to create this
 * destination before, so there is nothing to find and no lookup is made.
 */
async function destinationFor(ctx: OnboardingContext, workspaceId: string, template: ConnectionTemplate, fresh: boolean): Promise<string> {
  const known = await ctx.store.getDestinationId(workspaceId, template.destination_name);
  if (known) return known;
  return ctx.store.withLock(`destination:${workspaceId}:${template.destination_name}`, async () => {
    const again = await ctx.store.getDestinationId(workspaceId, template.destination_name);
    if (again) return again;
    const matches = fresh ? [] : (await ctx.airbyte.listDestinations(workspaceId)).filter((d) => d.name === template.destination_name);
    if (matches.length > 1) {
      throw new EmbedError('misconfigured', `The workspace has ${matches.length} destinations named "${template.destination_name}"; the operator must remove the extra ones.`);
    }
    const id =
      matches[0]?.destinationId ??
      (await ctx.airbyte.createDestination({
        name: template.destination_name,
        workspaceId,
        definitionId: template.destination_definition_id,
        configuration: template.destination_config,
      })).destinationId;
    await ctx.store.setDestinationId(workspaceId, template.destination_name, id);
    return id;
  });
}

async function requestHash(request: CreateSourceRequest): Promise<string> {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;
  const bytes = new TextEncoder().encode(JSON.stringify(canonical({ templateId: request.templateId, name: request.name ?? null, config: request.config })));
  return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Whether retrying can help: Airbyte unreachable, overloaded or failing, as opposed to refusing. */
function isTransient(error: unknown): boolean {
  return error instanceof AirbyteApiError && (error.status === 0 || error.status === 429 || error.status >= 500);
}

/** A saga's step context: the record, and how to save it. */
interface Saga {
  ctx: OnboardingContext;
  rec: OnboardingRecord;
  save: () => Promise<void>;
  template: SourceTemplate;
  connectionTemplates: ConnectionTemplate[];
}

/** Step 1: the customer's workspace (see {@link workspaceFor}). */
async function stepWorkspace({ ctx, rec, save }: Saga): Promise<string> {
  if (!rec.workspaceId) {
    const ws = await workspaceFor(ctx, rec.customerId);
    rec.workspaceId = ws.workspaceId;
    rec.workspaceCreated = ws.created;
    await save();
  }
  return rec.workspaceId;
}

/** What a resume cannot do without the customer's values: there is nothing to finish. */
const nothingToFinish = () =>
  new EmbedError('not_found', 'This setup stopped before its source was made, so there is nothing to finish. Connect the source again from the catalog.');

/**
 * Step 2: the source, template defaults deep-merged under the customer's values; adopted when an
 * earlier try's create has no known outcome. `config` is undefined on a resume ("Finish setup"):
 * then only adoption can give a source.
 *
 * Adoption goes by connector, name and time, which a source another onboarding of the customer
 * made at the same moment also fits (two at once get the same default name). So the look-up and
 * the create run under one lock per workspace, connector and name, and each create's answer is
 * saved in its onboarding's record before the lock is let go: a source some other onboarding
 * claimed (or a recorded one) is never adopted.
 */
async function stepSource(saga: Saga, workspaceId: string, config: Record<string, unknown> | undefined, sourceName: string): Promise<string> {
  const { ctx, rec, template } = saga;
  if (rec.sourceId) return rec.sourceId;
  return ctx.store.withLock(`source:${workspaceId}:${template.actorDefinitionId}:${sourceName}`, () => adoptOrCreateSource(saga, workspaceId, config, sourceName));
}

async function adoptOrCreateSource({ ctx, rec, save, template }: Saga, workspaceId: string, config: Record<string, unknown> | undefined, sourceName: string): Promise<string> {
  if (!rec.sourceId && rec.sourceIntentAt !== undefined) {
    // A create whose answer never came: adopt the source if Airbyte made it.
    const since = Math.floor(rec.sourceIntentAt / 1000) - 1;
    const candidates = (await ctx.airbyte.listSources(workspaceId)).filter((s) => s.definitionId === template.actorDefinitionId && s.name === sourceName && s.createdAt >= since);
    for (const c of candidates.sort((a, b) => a.createdAt - b.createdAt)) {
      if (!(await ctx.store.isSourceClaimed(c.sourceId, rec))) {
        rec.sourceId = c.sourceId;
        await save();
        break;
      }
    }
  }
  if (!rec.sourceId) {
    if (!config) throw nothingToFinish();
    rec.sourceIntentAt = ctx.now();
    await save();
    const source = await ctx.airbyte.createSource({
      name: sourceName,
      workspaceId,
      definitionId: template.actorDefinitionId,
      configuration: deepMerge(template.partialDefaultConfig, config),
      // Airbyte puts the sign-in's tokens (and its app's client id and secret) into the configuration.
      ...(rec.oauthSecretId ? { secretId: rec.oauthSecretId } : {}),
    });
    rec.sourceId = source.sourceId;
    await save();
  }
  return rec.sourceId;
}

/** A connection template's destination in the workspace (by name; created when absent), recorded in its step. */
async function stepDestination({ ctx, rec, save }: Saga, ct: ConnectionTemplate): Promise<string> {
  const step = ownSlot<OnboardingRecord['connections'][string]>(rec.connections, ct.id, () => ({}));
  if (!step.destinationId) {
    // A destination this onboarding tried to create before may exist: then it is looked up.
    const fresh = rec.workspaceCreated === true && step.destinationIntentAt === undefined;
    step.destinationIntentAt = ctx.now();
    await save();
    step.destinationId = await destinationFor(ctx, rec.workspaceId!, ct, fresh);
    await save();
  }
  return step.destinationId;
}

/**
 * Step 2a, self-managed with the Config API (`configApi`): the details are checked before any
 * source exists (`check_connection`), so wrong ones leave nothing at all. Not for a sign-in (its
 * tokens reach Airbyte only with the source).
 */
async function stepPrecheck({ ctx, rec, save, template }: Saga, workspaceId: string, config: Record<string, unknown>): Promise<void> {
  if (rec.prechecked || rec.sourceId) return;
  const result = await ctx.airbyte.checkConnection({ sourceDefinitionId: template.actorDefinitionId, workspaceId, connectionConfiguration: deepMerge(template.partialDefaultConfig, config) });
  if (result.status !== 'succeeded') {
    const message = result.message ?? result.jobInfo?.failureReason?.externalMessage ?? 'The connector could not connect with these details.';
    throw new EmbedError('check_failed', `${template.name} did not accept these details: ${message}`);
  }
  rec.prechecked = true;
  await save();
}

/**
 * Step 3: the credentials check. A fresh discover (`GET /streams?ignoreCache=true`, with the
 * first connection template's destination so the answer also lists the sync modes both allow):
 * it connects with the customer's details, so wrong ones fail here, before any connection
 * exists, and the customer sees the connector's message next to the form. The streams are kept
 * for the stream steps. It can take minutes; the proxy answers 202 meanwhile and the widget polls.
 */
async function stepCheck({ ctx, rec, save, template }: Saga, sourceId: string, destinationId: string | undefined): Promise<DiscoveredStream[]> {
  if (!rec.catalog && ctx.configApi) {
    // Self-managed: the Config API's discover also says which streams the connector suggests.
    const found = await ctx.airbyte.discoverSchema(sourceId, true);
    if (found.jobInfo?.succeeded === false || !found.catalog) {
      throw new EmbedError('check_failed', `${template.name} did not accept these details: ${found.jobInfo?.failureReason?.externalMessage ?? 'the connector could not list its streams.'}`);
    }
    rec.catalog = (found.catalog.streams ?? [])
      .filter((e) => typeof e.stream?.name === 'string')
      .map((e) => ({ name: e.stream!.name!, ...(e.stream!.namespace ? { namespace: e.stream!.namespace } : {}), suggested: e.config?.suggested === true }));
    await save();
  }
  if (!rec.catalog) {
    let properties: StreamProperties[];
    try {
      properties = await ctx.airbyte.getStreams(sourceId, { ignoreCache: true, ...(destinationId ? { destinationId } : {}) });
    } catch (error) {
      const message = connectorFailure(error);
      if (message !== undefined) throw new EmbedError('check_failed', `${template.name} did not accept these details: ${message}`);
      throw error;
    }
    rec.catalog = discovered(properties);
    // Without the field lists (a database can have thousands): the modes and keys are enough.
    rec.checkedWith = destinationId ? { destinationId, properties: properties.map(({ propertyFields: _fields, ...rest }) => rest) } : undefined;
    await save();
  }
  return rec.catalog;
}

/** Errors after which the saga keeps what it made and waits for the customer (not a final refusal). */
const KEEPS_PROGRESS = new WeakSet<Error>();

/**
 * Step 4, only when a connection template lets the customer choose: the saga waits (status
 * `needs_streams`) until the same request comes back with `streams`.
 */
async function stepChoose({ rec, save, connectionTemplates }: Saga, catalog: DiscoveredStream[], choice: StreamRef[] | undefined): Promise<'wait' | 'go'> {
  if (!connectionTemplates.some((ct) => ct.streams === 'choose') || rec.chosenStreams) return 'go';
  if (!choice) {
    rec.status = 'needs_streams';
    await save();
    return 'wait';
  }
  try {
    rec.chosenStreams = checkChoice(choice, catalog);
  } catch (error) {
    // A wrong choice is the customer's to fix in the chooser: the checked source stays.
    rec.status = 'needs_streams';
    await save();
    KEEPS_PROGRESS.add(error as Error);
    throw error;
  }
  rec.status = 'running';
  await save();
  return 'go';
}

/** Step 5 (per connection template): the destination, the connection with explicit streams, and the first sync. */
async function stepConnection(saga: Saga, ct: ConnectionTemplate, sourceId: string, sourceName: string, catalog: DiscoveredStream[], record: SourceRecord) {
  const { ctx, rec, save } = saga;
  const workspaceId = rec.workspaceId!;
  const destinationId = await stepDestination(saga, ct);
  const step = ownSlot<OnboardingRecord['connections'][string]>(rec.connections, ct.id, () => ({}));
  if (!step.connectionId && step.connectionIntentAt !== undefined) {
    const found = (await ctx.airbyte.listConnections(workspaceId)).find((c) => c.sourceId === sourceId && c.destinationId === destinationId);
    if (found) step.connectionId = found.connectionId;
  }
  let connection: ConnectionResponse;
  if (step.connectionId) {
    connection = await ctx.airbyte.getConnection(step.connectionId);
  } else {
    // Streams are always explicit: without them Airbyte selects only suggested streams (none for Postgres).
    const selected = selectStreams(ct, catalog, rec.chosenStreams);
    // The check's discover already listed the modes for its destination; another one asks (cached by Airbyte).
    const properties = rec.checkedWith?.destinationId === destinationId ? rec.checkedWith.properties : await ctx.airbyte.getStreams(sourceId, { destinationId });
    step.connectionIntentAt = ctx.now();
    await save();
    connection = await ctx.airbyte.createConnection({
      sourceId,
      destinationId,
      name: `${sourceName} -> ${ct.destination_name}`,
      schedule: ct.cron_expression ? { scheduleType: 'cron', cronExpression: ct.cron_expression } : { scheduleType: 'manual' },
      nonBreakingSchemaUpdatesBehavior: NON_BREAKING[ct.non_breaking_changes_preference],
      status: 'active',
      prefix: streamPrefix(ct, sourceId),
      ...(ct.namespace_definition ? { namespaceDefinition: ct.namespace_definition } : {}),
      ...(ct.namespace_format ? { namespaceFormat: ct.namespace_format } : {}),
      ...(ct.data_residency ? { dataResidency: ct.data_residency } : {}),
      configurations: { streams: streamConfigurations(ct, selected, properties) },
    });
    step.connectionId = connection.connectionId;
    await save();
  }
  if (!record.connectionIds.includes(connection.connectionId)) record.connectionIds.push(connection.connectionId);
  setOwn(record.destinationNames, connection.destinationId, ct.destination_name);
  await ctx.store.recordSource(record);

  let job: JobResponse | null = null;
  if (!ct.sync_on_create) step.jobId = null;
  else if (step.jobId === undefined) {
    job = await ctx.airbyte.createJob({ connectionId: connection.connectionId, jobType: 'sync' }).catch(async (error: unknown) => {
      // 409: a sync already runs (our own earlier attempt, or the schedule): that is the first sync.
      if (error instanceof AirbyteApiError && error.status === 409) return (await ctx.airbyte.listJobs(connection.connectionId, 1))[0] ?? null;
      throw error;
    });
    step.jobId = job?.jobId ?? null;
    await save();
  } else if (step.jobId !== null) {
    job = await ctx.airbyte.getJob(step.jobId);
  }
  return { connection: toConnectionSummary(connection, ct.destination_name, ctx.now(), ct.streams === 'choose'), firstJob: job && toJobSummary(job) };
}

/** The customer's own name for the source, else the connector's, numbered when the customer has one by that name ("Postgres 2"). */
async function nameFor(ctx: OnboardingContext, customerId: string, wanted: string | undefined, base: string, ownKey: string): Promise<string> {
  if (wanted?.trim()) return wanted.trim();
  // The customer's sources, and the names other onboardings running now have taken (their source may not exist yet).
  const taken = new Set([...(await ctx.store.listSources(customerId)).map((s) => s.name), ...(await ctx.store.namesInFlight(customerId, ownKey))]);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base} ${n}`)) return `${base} ${n}`;
}

/**
 * One detail that tells two sources of one connector apart in the manage view: the first required
 * field of the form that is plain text and not a secret (host, account, subdomain…).
 */
export function identifyingDetail(template: SourceTemplate, config: Record<string, unknown>): string | undefined {
  const spec = template.partialUserConfigSpec.connectionSpecification as { required?: unknown; properties?: Record<string, { type?: unknown; airbyte_secret?: unknown; const?: unknown }> };
  const props = spec.properties ?? {};
  for (const key of Array.isArray(spec.required) ? (spec.required as string[]) : []) {
    const p = Object.prototype.hasOwnProperty.call(props, key) ? props[key] : undefined;
    const v = Object.prototype.hasOwnProperty.call(config, key) ? config[key] : undefined;
    if (p && p.type === 'string' && !p.airbyte_secret && p.const === undefined && typeof v === 'string' && v.trim()) return v.trim().slice(0, 80);
  }
  return undefined;
}

/**
 * Whether an Airbyte error from a call in the customer's workspace may mean the workspace is
 * gone: Cloud refuses every id in a deleted or unknown workspace with 403 (the caller's role is
 * resolved through the workspace's organization, `RoleResolver.kt`, and
 * `WorkspaceHelper.getOrganizationForWorkspace` skips deleted ones); self-managed answers 404
 * (`STANDARD_WORKSPACE`), or 500 for a create there (`SourceHandler.createSource`:
 * `ConfigNotFoundException … STANDARD_WORKSPACE`; `SchedulerHandler.discover`: "Cannot run
 * discover on tombstoned workspace"). airbyte-platform `airbyte-server/.../publicapi/`.
 */
export function mayBeGoneWorkspace(error: unknown): boolean {
  if (!(error instanceof AirbyteApiError)) return false;
  if (error.status === 403 || error.status === 404) return true;
  const said = JSON.stringify(error.problem ?? '');
  return error.status >= 500 && /STANDARD_WORKSPACE|tombstoned workspace/.test(said);
}

/**
 * Whether Airbyte no longer has the customer's workspace (deleted there, or the proxy now talks to
 * another Airbyte). `GET /workspaces/{id}`: 404 (self-managed) means gone; 403 (Cloud) means gone
 * when the workspace is not among those the application can list. Then the store forgets it (and
 * marks the customer's sources in it removed) and the next step finds the workspace by name or
 * makes a new one. Any other answer: false.
 */
export async function workspaceGone(ctx: OnboardingContext, customerId: string, workspaceId: string, requestId: string): Promise<boolean> {
  try {
    await ctx.airbyte.getWorkspace(workspaceId);
    return false;
  } catch (error) {
    if (!(error instanceof AirbyteApiError)) return false;
    if (error.status === 403) {
      // The token works (it got this far); a workspace it cannot see among its own is not there.
      const listed = await ctx.airbyte.listWorkspaces().catch(() => undefined);
      if (!listed || listed.some((w) => w.workspaceId === workspaceId)) return false;
    } else if (error.status !== 404) return false;
  }
  await ctx.store.forgetWorkspace(customerId, workspaceId);
  // Adopt a workspace of that name if the operator made one again, else create one.
  await ctx.store.recordWorkspaceIntent(customerId);
  (ctx.log ?? defaultLog)({ level: 'warn', message: `Airbyte no longer has workspace ${workspaceId} of customer "${customerId}": the proxy forgot it, marked its sources removed, and will find or create the customer's workspace again.`, requestId });
  return true;
}

function defaultLog(entry: { level: string; message: string; requestId: string }) {
  console.warn(JSON.stringify({ ...entry, at: new Date().toISOString() }));
}

/** Step 2 again in a workspace found or made afresh, when Airbyte answered that the recorded one is gone. */
async function stepSourceRepairing(saga: Saga, config: Record<string, unknown> | undefined, sourceName: string): Promise<string> {
  const { ctx, rec, save } = saga;
  try {
    return await stepSource(saga, rec.workspaceId!, config, sourceName);
  } catch (error) {
    if (!mayBeGoneWorkspace(error) || rec.sourceId) throw error;
    if (!(await workspaceGone(ctx, rec.customerId, rec.workspaceId!, rec.idempotencyKey))) throw error;
    rec.workspaceId = undefined;
    rec.workspaceCreated = undefined;
    rec.sourceIntentAt = undefined;
    rec.connections = {};
    await save();
    return stepSource(saga, await stepWorkspace(saga), config, sourceName);
  }
}

/**
 * An Airbyte refusal the customer cannot fix (their details were already checked by the proxy, so
 * what Airbyte refuses is the site's set-up: a connector definition it does not know, a
 * destination configuration it rejects, credentials it does not accept). The customer is told
 * the site's team knows; the log names the template, the operation and Airbyte's own detail.
 */
export function operatorError(ctx: Pick<OnboardingContext, 'log'>, error: AirbyteApiError, where: string, requestId: string): EmbedError {
  // Airbyte puts the validator's words (which field, which rule) in `data.message` (ConfigClientErrorHandler.kt).
  const data = error.problem?.data as { message?: unknown } | undefined;
  const detail = [error.problem?.title, error.problem?.detail, typeof data?.message === 'string' ? data.message.trim() : undefined].filter(Boolean).join(': ').slice(0, 800);
  const hint =
    error.status === 401 || error.status === 403
      ? ' The proxy\'s Airbyte credentials (airbyte.clientId / clientSecret) are wrong or lack access to this workspace.'
      : error.operation === 'destination creation'
        ? ' Fix the connection template\'s destination_config or destination_definition_id.'
        : error.operation === 'source creation'
          ? ' Check the source template\'s actorDefinitionId and partialDefaultConfig against the connector\'s spec.'
          : '';
  (ctx.log ?? defaultLog)({ level: 'error', message: `${where}: Airbyte answered ${error.status} to the ${error.operation}${detail ? ` (${detail})` : ''}.${hint}`, requestId });
  return new EmbedError('misconfigured', "This connector is not set up correctly; the site's team has been told. Try again later.", { cause: error });
}

/** What the customer enters (absent on a resume: the source exists, or nothing is left to do). */
interface SagaInput {
  config?: Record<string, unknown> | undefined;
  name?: string | undefined;
  streams?: StreamRef[] | undefined;
}

/**
 * Runs (or resumes) the saga's steps after the one it last recorded. A transient failure leaves
 * it `stalled` with everything it made; a final refusal undoes what it made and is remembered.
 */
async function runSaga(saga: Saga, input: SagaInput): Promise<OnboardingResult | OnboardingPending> {
  const customerId = saga.rec.customerId;
  const key = saga.rec.idempotencyKey;
  RUNNING.add(`${customerId}\u0000${key}`);
  try {
    return await runSteps(saga, input);
  } finally {
    RUNNING.delete(`${customerId}\u0000${key}`);
  }
}

/** Onboardings a request of this process is working on now (the manage view says "Setting up…"). */
const RUNNING = new Set<string>();

/** Whether a request of this process is running the customer's onboarding with this key now. */
export function isRunningHere(customerId: string, key: string): boolean {
  return RUNNING.has(`${customerId}\u0000${key}`);
}

/** The saga's steps after the last one recorded (see {@link runSaga}). */
async function runSteps(saga: Saga, input: SagaInput): Promise<OnboardingResult | OnboardingPending> {
  const { ctx, rec, template } = saga;
  const customerId = rec.customerId;
  const key = rec.idempotencyKey;
  if (rec.status === 'stalled') rec.status = 'running';
  rec.error = undefined;
  try {
    if (rec.sourceName === undefined) {
      // One name at a time per customer, saved before the lock is let go: two connects of one
      // connector at once get "Stripe" and "Stripe 2", not "Stripe" twice.
      await ctx.store.withLock(`source-name:${customerId}`, async () => {
        rec.sourceName = await nameFor(ctx, customerId, input.name, template.name, key);
        await saga.save();
      });
    }
    const sourceName = rec.sourceName!;
    if (input.config && rec.detail === undefined) rec.detail = identifyingDetail(template, input.config) ?? '';
    // Recorded before the first Airbyte call, so the progress route can answer from the start.
    await saga.save();
    const workspaceId = await stepWorkspace(saga);
    if (ctx.configApi && !rec.oauthSecretId && input.config) await stepPrecheck(saga, workspaceId, input.config);
    const sourceId = await stepSourceRepairing(saga, input.config, sourceName);
    const createdAt = Math.floor((rec.sourceIntentAt ?? ctx.now()) / 1000);
    const summary = { sourceId, name: sourceName, templateId: template.id, createdAt, ...(rec.detail ? { detail: rec.detail } : {}) };
    // Visible in the manage view from now on ("Setup not finished" until the saga succeeds).
    const record: SourceRecord = (await ctx.store.getSource(sourceId)) ?? { ...summary, customerId, connectionIds: [], destinationNames: {}, onboardingKey: key };
    await ctx.store.recordSource(record);
    // With a destination the workspace already has, one discover checks and lists the sync modes;
    // a new customer's destination is made only once the details passed.
    const first = saga.connectionTemplates[0];
    const known = first && (ownValue(rec.connections, first.id)?.destinationId ?? (await ctx.store.getDestinationId(rec.workspaceId!, first.destination_name)));
    const catalog = await stepCheck(saga, sourceId, known);
    if ((await stepChoose(saga, catalog, input.streams)) === 'wait') {
      const ct = saga.connectionTemplates.find((c) => c.streams === 'choose')!;
      return { status: 'needs_streams', onboardingKey: key, source: summary, streams: streamOptions(ct, catalog) } satisfies OnboardingPending;
    }
    const connections: OnboardingResult['connections'] = [];
    for (const ct of saga.connectionTemplates) connections.push(await stepConnection(saga, ct, sourceId, sourceName, catalog, record));
    const result: OnboardingResult = { source: summary, connections };
    rec.status = 'succeeded';
    rec.result = result;
    // The webhook events commit with the outcome, once (a replay of the key answers from the record).
    await ctx.store.transaction(async (tx) => {
      await tx.saveOnboarding(rec);
      const at = ctx.now();
      await emitEvent(tx, at, { type: 'source.connected', customerId, dedupeKey: `source.connected:${sourceId}`, data: { sourceId, sourceName, templateId: template.id, onboardingKey: key, connectionIds: connections.map((c) => c.connection.connectionId) } });
      for (const c of connections) {
        if (c.firstJob) await emitEvent(tx, at, { type: 'sync.started', customerId, dedupeKey: `sync.started:${c.firstJob.jobId}`, data: { sourceId, connectionId: c.connection.connectionId, jobId: c.firstJob.jobId, trigger: 'first_sync' } });
      }
    });
    ctx.webhooks?.kick?.();
    return result;
  } catch (error) {
    if (error instanceof Error && KEEPS_PROGRESS.has(error)) throw error;
    // The workspace (and so everything this onboarding made in it) may be gone in Airbyte: then
    // there is nothing to resume, and retrying would fail forever.
    const gone = rec.workspaceId !== undefined && mayBeGoneWorkspace(error) && (await workspaceGone(ctx, customerId, rec.workspaceId, key).catch(() => false));
    // Progress is saved: a retry with the same key resumes after a transient failure or a bug.
    if (!gone && (isTransient(error) || !(error instanceof EmbedError || error instanceof AirbyteApiError))) {
      rec.status = 'stalled';
      rec.error = { code: 'upstream_unavailable', message: 'The data service is not responding right now. Your details are kept; try again in a moment.' };
      // `source.setup_unfinished` once per onboarding, however often it stalls.
      await ctx.store
        .transaction(async (tx) => {
          await tx.saveOnboarding(rec);
          await emitEvent(tx, ctx.now(), { type: 'source.setup_unfinished', customerId, dedupeKey: `source.setup_unfinished:${customerId}:${key}`, data: { onboardingKey: key, templateId: template.id, ...(rec.sourceId ? { sourceId: rec.sourceId } : {}), reason: 'upstream_unavailable' } });
        })
        .catch(() => saga.save())
        .catch(() => undefined);
      throw error;
    }
    // A refusal retrying cannot fix: undo what this onboarding created, and remember the answer.
    for (const step of Object.values(rec.connections)) if (step.connectionId) await ctx.airbyte.deleteConnection(step.connectionId).catch(() => undefined);
    if (rec.sourceId) {
      await ctx.airbyte.deleteSource(rec.sourceId).catch(() => undefined);
      await ctx.store.deleteSource(rec.sourceId);
    }
    // Past the transient branch, anything not ours is Airbyte's answer.
    const refusal = error as EmbedError | AirbyteApiError;
    const final =
      refusal instanceof EmbedError
        ? refusal
        : gone || ((refusal.status === 404 || refusal.status === 403) && rec.sourceId && (refusal.operation === 'stream discovery' || refusal.operation === 'source lookup'))
          ? new EmbedError('not_found', 'Airbyte no longer has this source, so its setup cannot be finished. Connect it again from the catalog.')
          : operatorError(ctx, refusal, `Template "${template.id}" (${template.name}), customer "${customerId}"`, key);
    rec.status = 'failed';
    rec.error = { code: final.code, message: final.message };
    rec.sourceId = undefined;
    rec.catalog = undefined;
    rec.checkedWith = undefined;
    rec.chosenStreams = undefined;
    rec.connections = {};
    await saga.save();
    throw final;
  }
}

/**
 * Creates a customer's source from a template and applies every connection template to it, as a
 * durable saga keyed by the client's idempotency key, one function per step:
 * workspace → source → credentials check (a discover; wrong details delete the source and come
 * back as `check_failed`) → the customer's stream choice when a template asks for one (the saga
 * answers `needs_streams` and waits) → per connection template: destination, connection with
 * explicit streams, first sync.
 *
 * Each step is recorded when it completes. A repeat with the same key replays the answer; a retry
 * after a transient failure (Airbyte 5xx, 429, timeout, a crash) resumes where it stopped, and a
 * create whose outcome was unknown is looked up before being sent again, so nothing is created
 * twice. A final refusal (Airbyte 4xx, a failed check) deletes what this onboarding created and
 * is replayed. One that stopped midway is resumed server side by {@link resumeOnboarding}.
 */
export async function onboardSource(ctx: OnboardingContext, session: Session, body: unknown, idempotencyKey: string | undefined): Promise<OnboardingResult | OnboardingPending> {
  const req = body as Partial<CreateSourceRequest> | null;
  if (!req || typeof req !== 'object' || Array.isArray(req)) throw new EmbedError('invalid_request', 'Send a JSON object with "templateId" and "config".');
  if (typeof req.templateId !== 'string' || !req.templateId) throw new EmbedError('invalid_request', '"templateId" is required: the id of the catalog entry to connect.');
  const name = checkSourceName(req.name);
  if (idempotencyKey !== undefined && !/^[A-Za-z0-9._:-]{8,128}$/.test(idempotencyKey)) {
    throw new EmbedError('invalid_request', 'The Idempotency-Key header must be 8–128 letters, digits, ".", "_", ":" or "-" (a UUID works).');
  }
  const found = await findTemplate(ctx, session, req.templateId);
  // With a sign-in, the customer fills the form without its token fields; the grant brings them.
  const template = customerTemplate(found);
  const config = validateUserConfig(ctx, template, req.config);
  const plan = templateOAuthPlan(found);
  if (plan && oauthChosen(plan, config) && !req.oauth) {
    const at = plan.predicateKey.slice(0, -1);
    throw new EmbedError('invalid_config', `Sign in with ${found.name} first.`, { fieldErrors: [{ path: at.length ? at : plan.predicateKey, message: `sign in with ${found.name} first`, rule: { keyword: 'oauth', params: {} } }] });
  }
  if (req.oauth && !(plan && oauthChosen(plan, config))) throw new EmbedError('invalid_request', `"oauth" is only for ${found.name}'s sign-in option.`);
  const request: CreateSourceRequest = { templateId: template.id, config, ...(name ? { name } : {}) };
  const streams = req.streams === undefined ? undefined : checkChoiceShape(req.streams);
  const key = idempotencyKey ?? crypto.randomUUID();
  const hash = await requestHash(request);
  const customerId = session.customerId;

  return ctx.store.withLock(`onboarding:${customerId}:${key}`, async () => {
    const existing = await ctx.store.getOnboarding(customerId, key);
    if (existing && existing.requestHash !== hash) {
      throw new EmbedError('idempotency_key_reused', 'This Idempotency-Key was already used for different values. Send a new key for a new submission.');
    }
    if (existing?.status === 'succeeded') return existing.result as OnboardingResult;
    if (existing?.status === 'failed' && existing.error) throw new EmbedError(existing.error.code as never, existing.error.message);
    // A new onboarding (not a retry of one that already made its source) counts against the cap.
    if (!existing?.sourceId && ctx.maxSourcesPerCustomer !== undefined && (await ctx.store.listSources(customerId)).length >= ctx.maxSourcesPerCustomer) {
      throw new EmbedError('source_limit_reached', `You already have ${ctx.maxSourcesPerCustomer} data sources, the most this site allows. Remove one you no longer need, then connect again.`);
    }
    const rec: OnboardingRecord = existing ?? { customerId, idempotencyKey: key, requestHash: hash, templateId: template.id, status: 'running', connections: {} };
    // A grant is taken once; the secret it stood for stays with this onboarding for its retries.
    if (req.oauth && !rec.oauthSecretId) rec.oauthSecretId = await takeGrant(ctx, session, template.id, req.oauth);
    const saga: Saga = { ctx, rec, save: () => ctx.store.saveOnboarding(rec), template, connectionTemplates: await ctx.store.listConnectionTemplates() };
    return runSaga(saga, { config, ...(name ? { name } : {}), ...(streams ? { streams } : {}) });
  });
}

/** A stream choice's shape (a list of `{ name, namespace? }`), before the streams it names are known. */
function checkChoiceShape(streams: unknown): StreamRef[] {
  return checkChoice(streams, Array.isArray(streams) ? streams.map((s: { name?: unknown; namespace?: unknown }) => ({ name: String(s?.name), ...(typeof s?.namespace === 'string' ? { namespace: s.namespace } : {}), suggested: false })) : []);
}

/**
 * "Finish setup": resumes the customer's onboarding with this key, server side, from the step it
 * recorded last — after a failure, a closed tab or days — without the customer's values (the
 * source already holds them). With `streams` it answers a `needs_streams` wait. Answers like
 * `createSource` (202 pending while it runs); one that ended replays its outcome; another
 * customer's key answers 404 like a missing one.
 */
export async function resumeOnboarding(ctx: OnboardingContext, session: Session, key: string, body: unknown): Promise<OnboardingResult | OnboardingPending> {
  const req = (body ?? {}) as { streams?: unknown };
  if (typeof req !== 'object' || Array.isArray(req)) throw new EmbedError('invalid_request', 'Send a JSON object, with "streams" when the setup asks what to sync.');
  const streams = req.streams === undefined ? undefined : checkChoiceShape(req.streams);
  const customerId = session.customerId;
  return ctx.store.withLock(`onboarding:${customerId}:${key}`, async () => {
    const rec = await ctx.store.getOnboarding(customerId, key);
    if (!rec) throw new EmbedError('not_found', 'There is no unfinished setup with this key. Reload the page to see your sources.');
    if (rec.status === 'succeeded') return rec.result as OnboardingResult;
    if (rec.status === 'failed' && rec.error) throw new EmbedError(rec.error.code as never, rec.error.message);
    const found = await ctx.store.getSourceTemplate(rec.templateId);
    if (!found) throw new EmbedError('not_found', 'The connector of this setup is no longer offered, so it cannot be finished. Remove it.');
    const saga: Saga = { ctx, rec, save: () => ctx.store.saveOnboarding(rec), template: customerTemplate(found), connectionTemplates: await ctx.store.listConnectionTemplates() };
    return runSaga(saga, streams ? { streams } : {});
  });
}

/**
 * "Remove" for an unfinished setup: deletes what the onboarding made in Airbyte (its connections
 * and its source; the workspace and destinations stay, they are shared) and ends it, so it no
 * longer shows. A finished one is refused: delete its source instead.
 */
export async function removeOnboarding(ctx: OnboardingContext, session: Session, key: string): Promise<{ deleted: true }> {
  const customerId = session.customerId;
  return ctx.store.withLock(`onboarding:${customerId}:${key}`, async () => {
    const rec = await ctx.store.getOnboarding(customerId, key);
    if (!rec || rec.status === 'failed') throw new EmbedError('not_found', 'There is no unfinished setup with this key. Reload the page to see your sources.');
    if (rec.status === 'succeeded') throw new EmbedError('invalid_request', 'This setup has finished; delete its source instead.');
    await undoOnboarding(ctx, rec);
    rec.status = 'failed';
    rec.error = { code: 'not_found', message: 'This setup was removed. Connect the source again to start over.' };
    await ctx.store.saveOnboarding(rec);
    return { deleted: true };
  });
}

/** Deletes an onboarding's connections and source in Airbyte (gone already is fine) and the source's record. */
async function undoOnboarding(ctx: OnboardingContext, rec: OnboardingRecord): Promise<void> {
  const gone = (e: unknown) => {
    if (!(e instanceof AirbyteApiError && (e.status === 404 || e.status === 403))) throw e;
  };
  for (const step of Object.values(rec.connections)) if (step.connectionId) await ctx.airbyte.deleteConnection(step.connectionId).catch(gone);
  const sourceId = rec.sourceId;
  if (sourceId) {
    await ctx.airbyte.deleteSource(sourceId).catch(gone);
    await ctx.store.deleteSource(sourceId);
  }
  rec.sourceId = undefined;
  rec.catalog = undefined;
  rec.checkedWith = undefined;
  rec.chosenStreams = undefined;
  rec.connections = {};
}

/**
 * Ends the onboarding that made a source, when the customer deletes the source itself, so a
 * later "Finish setup" cannot bring back what they removed.
 */
export async function closeOnboarding(ctx: OnboardingContext, customerId: string, key: string): Promise<void> {
  await ctx.store.withLock(`onboarding:${customerId}:${key}`, async () => {
    const rec = await ctx.store.getOnboarding(customerId, key);
    if (!rec || rec.status === 'succeeded' || rec.status === 'failed') return;
    rec.status = 'failed';
    rec.error = { code: 'not_found', message: 'This source was deleted. Connect it again to start over.' };
    rec.sourceId = undefined;
    rec.connections = {};
    await ctx.store.saveOnboarding(rec);
  });
}
