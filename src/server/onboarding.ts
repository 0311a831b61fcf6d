import type { ConnectionSummary, CreateSourceRequest, JobSummary, OnboardingResult } from '../shared/contract.ts';
import type { ConfigValidator } from '../shared/configValidator.ts';
import { deepMerge } from '../shared/deepMerge.ts';
import { ownSlot, setOwn } from '../shared/ownRecord.ts';
import { EmbedError } from '../shared/errors.ts';
import { describeSchedule } from '../shared/schedule.ts';
import { AirbyteApiError, type AirbyteClient } from './airbyteClient.ts';
import type { ConnectionResponse, JobResponse, NonBreakingSchemaUpdatesBehavior } from './airbyteTypes.ts';
import type { Session } from './sessionToken.ts';
import type { OnboardingRecord, ProxyStore } from './store/proxyStore.ts';
import { matchesTags, type ConnectionTemplate, type SourceTemplate } from './templates.ts';
import { checkSourceName, validateUserConfig } from './userConfig.ts';

/** Everything onboarding needs; built once by the proxy. */
export interface OnboardingContext {
  airbyte: AirbyteClient;
  store: ProxyStore;
  validator: ConfigValidator;
  now: () => number;
  /** Sources one customer may have (a new onboarding past it is refused); default unlimited. */
  maxSourcesPerCustomer?: number;
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

export function toConnectionSummary(connection: ConnectionResponse, destinationName: string, now: number): ConnectionSummary {
  return {
    connectionId: connection.connectionId,
    name: connection.name,
    status: connection.status,
    sourceId: connection.sourceId,
    destinationId: connection.destinationId,
    destinationName,
    schedule: describeSchedule(connection.schedule.scheduleType === 'cron' ? connection.schedule.cronExpression : null, now),
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
      throw new EmbedError('upstream_error', `Airbyte has ${existing.length} workspaces named "${customerId}"; the operator must merge or rename them.`);
    }
    let workspaceId = existing[0];
    if (!workspaceId) {
      await ctx.store.recordWorkspaceIntent(customerId);
      workspaceId = (await ctx.airbyte.createWorkspace({ name: customerId })).workspaceId;
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
      throw new EmbedError('upstream_error', `The workspace has ${matches.length} destinations named "${template.destination_name}"; the operator must remove the extra ones.`);
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

/**
 * Creates a customer's source from a template and applies every connection template to it, as a
 * durable saga keyed by the client's idempotency key:
 * workspace (get or create) → source (template defaults deep-merged with the user's values) →
 * per connection template: destination (by name, created when absent) → connection on the
 * template's cron → first sync when `sync_on_create`.
 *
 * Each step is recorded when it completes. A repeat with the same key replays the answer; a retry
 * after a transient failure (Airbyte 5xx, 429, timeout, a crash) resumes where it stopped, and a
 * create whose outcome was unknown is looked up before being sent again, so nothing is created
 * twice. A final refusal (Airbyte 4xx) deletes what this onboarding created and is replayed.
 */
export async function onboardSource(ctx: OnboardingContext, session: Session, body: unknown, idempotencyKey: string | undefined): Promise<OnboardingResult> {
  const req = body as Partial<CreateSourceRequest> | null;
  if (!req || typeof req !== 'object' || Array.isArray(req)) throw new EmbedError('invalid_request', 'Send a JSON object with "templateId" and "config".');
  if (typeof req.templateId !== 'string' || !req.templateId) throw new EmbedError('invalid_request', '"templateId" is required: the id of the catalog entry to connect.');
  const name = checkSourceName(req.name);
  if (idempotencyKey !== undefined && !/^[A-Za-z0-9._:-]{8,128}$/.test(idempotencyKey)) {
    throw new EmbedError('invalid_request', 'The Idempotency-Key header must be 8–128 letters, digits, ".", "_", ":" or "-" (a UUID works).');
  }
  const template = await findTemplate(ctx, session, req.templateId);
  const config = validateUserConfig(ctx, template, req.config);
  const request: CreateSourceRequest = { templateId: template.id, config, ...(name ? { name } : {}) };
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
    const save = () => ctx.store.saveOnboarding(rec);
    const sourceName = request.name?.trim() || template.name;
    const connectionTemplates = await ctx.store.listConnectionTemplates();
    try {
      // Recorded before the first Airbyte call, so the progress route can answer from the start.
      if (!existing) await save();
      if (!rec.workspaceId) {
        const ws = await workspaceFor(ctx, customerId);
        rec.workspaceId = ws.workspaceId;
        rec.workspaceCreated = ws.created;
      }
      const workspaceId = rec.workspaceId;
      await save();

      if (!rec.sourceId && rec.sourceIntentAt !== undefined) {
        // A create whose answer never came: adopt the source if Airbyte made it.
        const since = Math.floor(rec.sourceIntentAt / 1000) - 1;
        const candidates = (await ctx.airbyte.listSources(workspaceId)).filter(
          (s) => s.definitionId === template.actorDefinitionId && s.name === sourceName && s.createdAt >= since,
        );
        for (const c of candidates.sort((a, b) => a.createdAt - b.createdAt)) {
          if (!(await ctx.store.getSource(c.sourceId))) {
            rec.sourceId = c.sourceId;
            break;
          }
        }
      }
      if (!rec.sourceId) {
        rec.sourceIntentAt = ctx.now();
        await save();
        const source = await ctx.airbyte.createSource({
          name: sourceName,
          workspaceId,
          definitionId: template.actorDefinitionId,
          configuration: deepMerge(template.partialDefaultConfig, config),
        });
        rec.sourceId = source.sourceId;
        await save();
      }
      const sourceId = rec.sourceId;
      const createdAt = Math.floor((rec.sourceIntentAt ?? ctx.now()) / 1000);
      const record = { sourceId, customerId, templateId: template.id, name: sourceName, connectionIds: [] as string[], destinationNames: {} as Record<string, string>, createdAt };
      // Visible in the manage view from now on, even before its connections exist.
      await ctx.store.recordSource(record);

      const connections: OnboardingResult['connections'] = [];
      for (const ct of connectionTemplates) {
        const step = ownSlot<OnboardingRecord['connections'][string]>(rec.connections, ct.id, () => ({}));
        if (!step.destinationId) {
          // A destination this onboarding tried to create before may exist: then it is looked up.
          const fresh = rec.workspaceCreated === true && step.destinationIntentAt === undefined;
          step.destinationIntentAt = ctx.now();
          await save();
          step.destinationId = await destinationFor(ctx, workspaceId, ct, fresh);
        }
        await save();
        if (!step.connectionId && step.connectionIntentAt !== undefined) {
          const found = (await ctx.airbyte.listConnections(workspaceId)).find((c) => c.sourceId === sourceId && c.destinationId === step.destinationId);
          if (found) step.connectionId = found.connectionId;
        }
        let connection: ConnectionResponse;
        if (step.connectionId) {
          connection = await ctx.airbyte.getConnection(step.connectionId);
        } else {
          step.connectionIntentAt = ctx.now();
          await save();
          connection = await ctx.airbyte.createConnection({
            sourceId,
            destinationId: step.destinationId,
            name: `${sourceName} -> ${ct.destination_name}`,
            schedule: ct.cron_expression ? { scheduleType: 'cron', cronExpression: ct.cron_expression } : { scheduleType: 'manual' },
            nonBreakingSchemaUpdatesBehavior: NON_BREAKING[ct.non_breaking_changes_preference],
            status: 'active',
          });
          step.connectionId = connection.connectionId;
          await save();
        }
        record.connectionIds.push(connection.connectionId);
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
        connections.push({ connection: toConnectionSummary(connection, ct.destination_name, ctx.now()), firstJob: job && toJobSummary(job) });
      }
      const result: OnboardingResult = { source: { sourceId, name: sourceName, templateId: template.id, createdAt }, connections };
      rec.status = 'succeeded';
      rec.result = result;
      await save();
      return result;
    } catch (error) {
      // Progress is saved: a retry with the same key resumes after a transient failure or a bug.
      if (isTransient(error) || !(error instanceof EmbedError || error instanceof AirbyteApiError)) throw error;
      // A refusal retrying cannot fix: undo what this onboarding created, and remember the answer.
      for (const step of Object.values(rec.connections)) if (step.connectionId) await ctx.airbyte.deleteConnection(step.connectionId).catch(() => undefined);
      if (rec.sourceId) {
        await ctx.airbyte.deleteSource(rec.sourceId).catch(() => undefined);
        await ctx.store.deleteSource(rec.sourceId);
      }
      const final =
        error instanceof EmbedError
          ? error
          : new EmbedError('upstream_error', `The data service refused the ${error.operation} (${error.problem?.title ?? error.status}). Check your details; if they are right, contact support.`);
      rec.status = 'failed';
      rec.error = { code: final.code, message: final.message };
      rec.sourceId = undefined;
      rec.connections = {};
      await save();
      throw final;
    }
  });
}
