import { SECRET_MASK, type ConnectionStatus, type OnboardingProgress, type OnboardingStep, type JobSummary, type SourceDetail, type SourceOverview, type TemplateDetail, type TemplateSummary, type UpdateSourceRequest, type JsonSchema } from '../shared/contract.ts';
import { deepMerge } from '../shared/deepMerge.ts';
import { EmbedError } from '../shared/errors.ts';
import { describeSchedule } from '../shared/schedule.ts';
import { maskSecrets } from '../shared/secrets.ts';
import { safeToBacktrack } from '../shared/pattern/backtrackSafety.ts';
import { markPatternSafety } from '../shared/pattern/browserPattern.ts';
import { valueAt } from '../shared/valueAt.ts';
import { ownValue } from '../shared/ownRecord.ts';
import type { ConnectionStreams, ErrorCode, OnboardingResult, StreamOption } from '../shared/contract.ts';
import type { StreamProperties } from './airbyteTypes.ts';
import { customerTemplate, templateOAuthPlan } from './oauth.ts';
import { checkChoice, discovered, selectStreams, streamConfigurations, streamOptions } from './streams.ts';
import type { ConnectionTemplate } from './templates.ts';
import { AirbyteApiError } from './airbyteClient.ts';
import { closeOnboarding, findTemplate, isRunningHere, mayBeGoneWorkspace, toConnectionSummary, toJobSummary, workspaceGone, type OnboardingContext } from './onboarding.ts';
import { checkSourceName, userView, validateUserConfig } from './userConfig.ts';
import type { Session } from './sessionToken.ts';
import type { OnboardingRecord, SourceRecord } from './store/proxyStore.ts';
import type { UnfinishedSetup } from '../shared/contract.ts';
import { matchesTags } from './templates.ts';
import { emitEvent, emitQuietly } from './webhooks/events.ts';
import { brokenSources, clearBroken } from './webhooks/inbound.ts';

/** How long a progress request waits for an onboarding that has not recorded anything yet. */
const ONBOARDING_WAIT_MS = 2000;

/**
 * A spec as the browser gets it: each `pattern` marked with whether the browser may run it
 * (PATTERN_SAFE), so the form needs no regex parser of its own. Memoised per spec object.
 */
const marked = new WeakMap<object, JsonSchema>();
function forBrowser(spec: JsonSchema): JsonSchema {
  let out = marked.get(spec);
  if (!out) marked.set(spec, (out = markPatternSafety(spec, safeToBacktrack)));
  return out;
}

const notFoundSource = () => new EmbedError('not_found', 'This source does not exist or is not yours. Reload the page to see your sources.');
const notFoundConnection = () => new EmbedError('not_found', 'This connection does not exist or is not yours. Reload the page to see your connections.');

/** The customer's own source record; another customer's id answers exactly like a missing one. */
async function ownSource(ctx: OnboardingContext, session: Session, sourceId: string): Promise<SourceRecord> {
  const record = await ctx.store.getSource(sourceId);
  if (!record || record.customerId !== session.customerId) throw notFoundSource();
  return record;
}

/** The record of the customer's source that owns `connectionId`. */
async function ownConnection(ctx: OnboardingContext, session: Session, connectionId: string): Promise<SourceRecord> {
  const record = (await ctx.store.listSources(session.customerId)).find((r) => r.connectionIds.includes(connectionId));
  if (!record) throw notFoundConnection();
  return record;
}

/** One source as the manage view shows it (its connections and last jobs from Airbyte). */
export async function overview(ctx: OnboardingContext, record: SourceRecord): Promise<SourceOverview> {
  const [template, broken] = await Promise.all([ctx.store.getSourceTemplate(record.templateId), brokenSources(ctx.store, record.customerId)]);
  const connections = await Promise.all(
    record.connectionIds.map(async (id) => {
      const [connection, jobs] = await Promise.all([ctx.airbyte.getConnection(id), ctx.airbyte.listJobs(id, 1)]);
      return {
        connection: toConnectionSummary(connection, ownValue(record.destinationNames, connection.destinationId) ?? connection.destinationId, ctx.now(), await choosable(ctx, ownValue(record.destinationNames, connection.destinationId))),
        lastJob: jobs[0] ? toJobSummary(jobs[0]) : null,
      };
    }),
  );
  return { sourceId: record.sourceId, name: record.name, templateId: record.templateId, createdAt: record.createdAt, ...(record.detail ? { detail: record.detail } : {}), ...(template && templateOAuthPlan(template) ? { signIn: true } : {}), templateName: template?.name ?? record.templateId, ...(broken.has(record.sourceId) ? { credentialsBroken: true } : {}), connections };
}

/** The customer API behind the widget: every function is scoped to the session's customer. */
export const customerApi = {
  async listTemplates(ctx: OnboardingContext, session: Session): Promise<{ data: TemplateSummary[] }> {
    const all = await ctx.store.listSourceTemplates();
    return {
      data: all
        .filter((t) => matchesTags(t.tags, session.templateTags, session.templateTagsMode))
        .map(({ id, name, icon, category }) => ({ id, name, ...(icon ? { icon } : {}), ...(category ? { category } : {}) })),
    };
  },

  async getTemplate(ctx: OnboardingContext, session: Session, templateId: string): Promise<TemplateDetail> {
    const found = await findTemplate(ctx, session, templateId);
    const t = customerTemplate(found);
    const plan = templateOAuthPlan(found);
    const connections = await ctx.store.listConnectionTemplates();
    return {
      id: t.id,
      name: t.name,
      ...(t.icon ? { icon: t.icon } : {}),
      spec: forBrowser(t.partialUserConfigSpec.connectionSpecification),
      ...(plan ? { oauth: { predicateKey: plan.predicateKey, ...(plan.predicateValue !== undefined ? { predicateValue: plan.predicateValue } : {}), inputPaths: plan.inputPaths } } : {}),
      connections: connections.map((c) => ({ destinationName: c.destination_name, schedule: describeSchedule(c.cron_expression, ctx.now()), syncOnCreate: c.sync_on_create, streams: c.streams ?? 'suggested' })),
    };
  },

  /**
   * The manage view's list in one round trip to Airbyte, however many sources: the workspace's
   * sources, connections and newest jobs, fetched together. A connection whose last job is older
   * than those is asked for on its own; one deleted in Airbyte meanwhile is left out. The list
   * tells the truth about the store: a source whose onboarding stopped midway carries `setup`
   * (with its key, for "Finish setup"), one Airbyte no longer has carries `removedInAirbyte`, and
   * a workspace Airbyte no longer has is forgotten (every source in it is then removed).
   */
  async listSources(ctx: OnboardingContext, session: Session): Promise<{ data: SourceOverview[] }> {
    const [records, templates, workspaceId, open, broken] = await Promise.all([
      ctx.store.listSources(session.customerId),
      ctx.store.listSourceTemplates(),
      ctx.store.getWorkspaceId(session.customerId),
      ctx.store.listOpenOnboardings(session.customerId),
      brokenSources(ctx.store, session.customerId),
    ]);
    if (!records.length) return { data: [] };
    let airbyteState: { sources: Set<string>; connections: Map<string, import('./airbyteTypes.ts').ConnectionResponse>; jobs: import('./airbyteTypes.ts').JobResponse[] } | undefined;
    if (workspaceId) {
      try {
        const [sources, connections, jobs] = await Promise.all([ctx.airbyte.listSources(workspaceId), ctx.airbyte.listConnections(workspaceId), ctx.airbyte.listWorkspaceJobs(workspaceId)]);
        airbyteState = { sources: new Set(sources.map((s) => s.sourceId)), connections: new Map(connections.map((c) => [c.connectionId, c])), jobs };
      } catch (error) {
        if (!(mayBeGoneWorkspace(error) && (await workspaceGone(ctx, session.customerId, workspaceId, 'list')))) throw error;
      }
    }
    const byId = airbyteState?.connections ?? new Map();
    const jobs = airbyteState?.jobs ?? [];
    const lastJobs = new Map<string, JobSummary>();
    for (const job of jobs) if (!lastJobs.has(job.connectionId)) lastJobs.set(job.connectionId, toJobSummary(job));
    const names = new Map(templates.map((t) => [t.id, t.name]));
    const signIns = new Set(templates.filter((t) => templateOAuthPlan(t)).map((t) => t.id));
    const setups = new Map(open.filter((o) => o.record.sourceId).map((o) => [o.record.sourceId!, unfinishedSetup(o.record, o.updatedAt)]));
    const connectionTemplates = await ctx.store.listConnectionTemplates();
    const data = await Promise.all(
      records.map(async (record): Promise<SourceOverview> => {
        const removed = record.removedInAirbyte === true || !airbyteState?.sources.has(record.sourceId);
        const setup = removed ? undefined : setups.get(record.sourceId);
        return {
          sourceId: record.sourceId,
          name: record.name,
          templateId: record.templateId,
          createdAt: record.createdAt,
          ...(record.detail ? { detail: record.detail } : {}),
          ...(signIns.has(record.templateId) ? { signIn: true } : {}),
          templateName: names.get(record.templateId) ?? record.templateId,
          ...(setup ? { setup: setup(connectionTemplates) } : {}),
          ...(removed ? { removedInAirbyte: true } : {}),
          ...(!removed && broken.has(record.sourceId) ? { credentialsBroken: true } : {}),
          connections: removed
            ? []
            : await Promise.all(
                record.connectionIds
                  .filter((id) => byId.has(id))
                  .map(async (id) => {
                    const connection = byId.get(id)!;
                    const lastJob = lastJobs.get(id) ?? (jobs.length < 100 ? null : ((await ctx.airbyte.listJobs(id, 1)).map(toJobSummary)[0] ?? null));
                    return { connection: toConnectionSummary(connection, ownValue(record.destinationNames, connection.destinationId) ?? connection.destinationId, ctx.now(), await choosable(ctx, ownValue(record.destinationNames, connection.destinationId))), lastJob };
                  }),
              ),
        };
      }),
    );
    return { data };
  },

  async getSource(ctx: OnboardingContext, session: Session, sourceId: string): Promise<SourceDetail> {
    const record = await ownSource(ctx, session, sourceId);
    const template = await ctx.store.getSourceTemplate(record.templateId);
    if (!template) throw new EmbedError('not_found', 'The connector this source was made from is no longer offered, so it cannot be edited here.');
    const spec = template.partialUserConfigSpec.connectionSpecification;
    const source = await ctx.airbyte.getSource(sourceId);
    // Only the form's own fields at every depth (never a value the operator set), every secret masked.
    return { source: await overview(ctx, record), config: maskSecrets(spec, userView(template, source.configuration)), spec: forBrowser(spec) };
  },

  async updateSource(ctx: OnboardingContext, session: Session, sourceId: string, body: unknown): Promise<SourceOverview> {
    const record = await ownSource(ctx, session, sourceId);
    const req = (body ?? {}) as UpdateSourceRequest;
    if (typeof req !== 'object' || Array.isArray(req)) throw new EmbedError('invalid_request', 'Send a JSON object with "config" and/or "name".');
    const name = checkSourceName(req.name);
    const template = await ctx.store.getSourceTemplate(record.templateId);
    if (!template) throw new EmbedError('not_found', 'The connector this source was made from is no longer offered, so it cannot be edited here.');
    const patch: { name?: string; configuration?: Record<string, unknown> } = {};
    if (req.config !== undefined) {
      // A secret sent back as the mask keeps its stored value: Airbyte restores masked values itself.
      const config = validateUserConfig(ctx, template, req.config, (path) => valueAt(req.config, path) === SECRET_MASK);
      patch.configuration = deepMerge(template.partialDefaultConfig, config);
    }
    if (name) patch.name = name;
    if (Object.keys(patch).length) await ctx.airbyte.patchSource(sourceId, patch);
    // Which parts changed, never their values.
    const changed = [...(patch.configuration ? ['config'] : []), ...(patch.name ? ['name'] : [])];
    await ctx.store.transaction(async (tx) => {
      if (patch.name) await tx.recordSource({ ...record, name: patch.name });
      if (changed.length) await emitEvent(tx, ctx.now(), { type: 'source.updated', customerId: session.customerId, data: { sourceId, name: patch.name ?? record.name, templateId: record.templateId, changed } });
      // New details for a source whose credentials broke: marked fixed (a sync failing on them again marks it again).
      if (patch.configuration && (await clearBroken(tx, sourceId))) await emitEvent(tx, ctx.now(), { type: 'credentials.restored', customerId: session.customerId, data: { sourceId, via: 'edit' } });
    });
    ctx.webhooks?.kick?.();
    return overview(ctx, { ...record, ...(patch.name ? { name: patch.name } : {}) });
  },

  async deleteSource(ctx: OnboardingContext, session: Session, sourceId: string): Promise<{ deleted: true }> {
    const record = await ownSource(ctx, session, sourceId);
    // An unfinished setup ends with its source: "Finish setup" must not bring it back.
    if (record.onboardingKey) await closeOnboarding(ctx, session.customerId, record.onboardingKey);
    for (const id of record.connectionIds) {
      await ctx.airbyte.deleteConnection(id).catch((e: unknown) => {
        // Gone already: 404 (self-managed), 403 (Cloud, in a workspace it no longer has).
        if (!(e instanceof AirbyteApiError && (e.status === 404 || e.status === 403))) throw e;
      });
    }
    await ctx.airbyte.deleteSource(sourceId).catch((e: unknown) => {
      // Gone already: 404 (self-managed), 403 (Cloud, in a workspace it no longer has).
        if (!(e instanceof AirbyteApiError && (e.status === 404 || e.status === 403))) throw e;
    });
    await ctx.store.transaction(async (tx) => {
      await tx.deleteSource(sourceId);
      await clearBroken(tx, sourceId);
      await emitEvent(tx, ctx.now(), { type: 'source.deleted', customerId: session.customerId, dedupeKey: `source.deleted:${sourceId}`, data: { sourceId, name: record.name, templateId: record.templateId, connectionIds: record.connectionIds } });
    });
    ctx.webhooks?.kick?.();
    return { deleted: true };
  },

  async getConnection(ctx: OnboardingContext, session: Session, connectionId: string): Promise<ConnectionStatus> {
    const record = await ownConnection(ctx, session, connectionId);
    const [connection, jobs] = await Promise.all([ctx.airbyte.getConnection(connectionId), ctx.airbyte.listJobs(connectionId, 1)]);
    const latestJob = jobs[0] ? toJobSummary(jobs[0]) : null;
    // Self-managed: the Config API says why a job failed (the public API does not).
    if (latestJob?.status === 'failed' && ctx.configApi) {
      const reason = await ctx.airbyte.jobFailureReason(latestJob.jobId).catch(() => undefined);
      if (reason) latestJob.failureReason = reason;
    }
    return {
      connection: toConnectionSummary(connection, ownValue(record.destinationNames, connection.destinationId) ?? connection.destinationId, ctx.now(), await choosable(ctx, ownValue(record.destinationNames, connection.destinationId))),
      latestJob,
    };
  },

  async startSync(ctx: OnboardingContext, session: Session, connectionId: string): Promise<JobSummary> {
    const record = await ownConnection(ctx, session, connectionId);
    try {
      const job = toJobSummary(await ctx.airbyte.createJob({ connectionId, jobType: 'sync' }));
      // The job exists in Airbyte whatever the store does: recorded on its own, never failing the answer.
      await emitQuietly(ctx.store, ctx.now(), { type: 'sync.started', customerId: session.customerId, dedupeKey: `sync.started:${job.jobId}`, data: { sourceId: record.sourceId, connectionId, jobId: job.jobId, trigger: 'manual' } }, ctx.log);
      ctx.webhooks?.kick?.();
      return job;
    } catch (error) {
      if (error instanceof AirbyteApiError && error.status === 409) throw new EmbedError('sync_running', 'A sync is already running for this connection. Wait for it to finish, then try again.');
      throw error;
    }
  },

  async listJobs(ctx: OnboardingContext, session: Session, connectionId: string): Promise<{ data: JobSummary[] }> {
    await ownConnection(ctx, session, connectionId);
    return { data: (await ctx.airbyte.listJobs(connectionId, 20)).map(toJobSummary) };
  },

  /**
   * Progress of the customer's onboarding with this idempotency key, from the saga's record. A key
   * that has not started (or is another customer's) answers 404, like any id that is not yours.
   */
  async getOnboarding(ctx: OnboardingContext, session: Session, key: string): Promise<OnboardingProgress> {
    // The widget polls from the moment it sends the POST; give that request a moment to record
    // its first step rather than answer a 404 the browser would log as an error.
    let rec = await ctx.store.getOnboarding(session.customerId, key);
    for (let waited = 0; !rec && waited < ONBOARDING_WAIT_MS; waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
      rec = await ctx.store.getOnboarding(session.customerId, key);
    }
    if (!rec) throw new EmbedError('not_found', 'No onboarding with this key has started. Send the POST /sources with this Idempotency-Key first.');
    const templates = await ctx.store.listConnectionTemplates();
    const per = templates.map((t) => ownValue(rec.connections, t.id));
    const done: Array<[OnboardingStep, boolean]> = [
      ['workspace', Boolean(rec.workspaceId)],
      ['source', Boolean(rec.sourceId)],
      ['check', Boolean(rec.catalog)],
    ];
    if (templates.some((t) => t.streams === 'choose')) done.push(['streams', Boolean(rec.chosenStreams)]);
    if (templates.length) {
      done.push(['destination', per.every((c) => c?.destinationId)], ['connection', per.every((c) => c?.connectionId)]);
      if (templates.some((t) => t.sync_on_create)) done.push(['sync', per.every((c) => c?.jobId !== undefined)]);
    }
    const open = rec.status === 'running' || rec.status === 'needs_streams' || rec.status === 'stalled';
    const firstOpen = open ? done.findIndex(([, d]) => !d) : -1;
    const chooser = templates.find((t) => t.streams === 'choose');
    return {
      status: rec.status,
      steps: done.map(([step, d], i) => ({ step, state: rec.status === 'succeeded' || d ? 'done' : i === firstOpen ? 'active' : 'pending' })),
      ...(rec.status === 'succeeded' ? { result: rec.result as OnboardingResult } : {}),
      ...((rec.status === 'failed' || rec.status === 'stalled') && rec.error ? { error: { code: rec.error.code as ErrorCode, message: rec.error.message } } : {}),
      ...(rec.status === 'needs_streams' && rec.catalog && chooser ? { streams: streamOptions(chooser, rec.catalog) } : {}),
    };
  },

  /** Every stream the connection's source discovers, with what the connection syncs now (the manage view's chooser). */
  async getConnectionStreams(ctx: OnboardingContext, session: Session, connectionId: string): Promise<ConnectionStreams> {
    const record = await ownConnection(ctx, session, connectionId);
    const { template, connection, properties } = await connectionContext(ctx, record, connectionId);
    return { streams: currentOptions(template, connection.configurations.streams ?? [], properties) };
  },

  /**
   * Changes which streams a connection syncs (only where its template lets the customer choose):
   * at least one, each discovered; the template's fixed streams stay; a stream already synced
   * keeps its sync mode, a new one gets the best both sides allow.
   */
  async updateConnectionStreams(ctx: OnboardingContext, session: Session, connectionId: string, body: unknown): Promise<ConnectionStreams> {
    const record = await ownConnection(ctx, session, connectionId);
    const { template, connection, properties } = await connectionContext(ctx, record, connectionId);
    if (!template || template.streams !== 'choose') {
      throw new EmbedError('invalid_request', 'This site chooses what this connection syncs; ask its team to change it.');
    }
    const streams = discovered(properties);
    const choice = checkChoice((body as { streams?: unknown } | null)?.streams, streams);
    const selected = selectStreams(template, streams, choice);
    const updated = await ctx.airbyte.patchConnection(connectionId, { configurations: { streams: streamConfigurations(template, selected, properties, connection.configurations.streams ?? []) } });
    return { streams: currentOptions(template, updated.configurations.streams ?? [], properties) };
  },
};

/** How long a running onboarding may go without saving a step before the manage view offers to finish it. */
const RUNNING_GRACE_MS = 60_000;

/**
 * Where an open onboarding stands, as the manage view shows it: `running` while it saved a step
 * in the last minute and is not waiting or stalled, else `needs_streams` or `stopped`.
 */
function unfinishedSetup(rec: OnboardingRecord, updatedAt: number) {
  return (connectionTemplates: ConnectionTemplate[]): UnfinishedSetup => {
    const per = connectionTemplates.map((t) => ownValue(rec.connections, t.id));
    const steps: Array<[OnboardingStep, boolean]> = [
      ['check', Boolean(rec.catalog)],
      ['streams', !connectionTemplates.some((t) => t.streams === 'choose') || Boolean(rec.chosenStreams)],
      ['destination', per.every((c) => c?.destinationId)],
      ['connection', per.every((c) => c?.connectionId)],
      ['sync', per.every((c) => c?.jobId !== undefined)],
    ];
    const step = steps.find(([, done]) => !done)?.[0] ?? 'sync';
    // Running: a request of this process works on it, or (another instance's) it saved a step lately.
    const running = isRunningHere(rec.customerId, rec.idempotencyKey) || (rec.status === 'running' && Date.now() - updatedAt < RUNNING_GRACE_MS);
    const state = rec.status === 'needs_streams' && !running ? 'needs_streams' : running ? 'running' : 'stopped';
    return { onboardingKey: rec.idempotencyKey, state, step, ...(rec.error ? { error: { code: rec.error.code as ErrorCode, message: rec.error.message } } : {}) };
  };
}

/** A connection's template (by its destination's name), the connection, and its streams as the destination allows them. */
async function connectionContext(ctx: OnboardingContext, record: SourceRecord, connectionId: string) {
  const connection = await ctx.airbyte.getConnection(connectionId);
  const destinationName = ownValue(record.destinationNames, connection.destinationId);
  const template = (await ctx.store.listConnectionTemplates()).find((t) => t.destination_name === destinationName);
  const properties = await ctx.airbyte.getStreams(connection.sourceId, { destinationId: connection.destinationId });
  return { template, connection, properties };
}

function currentOptions(template: ConnectionTemplate | undefined, current: Array<{ name: string; namespace?: string; syncMode?: string }>, properties: StreamProperties[]): StreamOption[] {
  const fixed = template?.fixed_streams ?? [];
  return discovered(properties).map((s) => {
    const now = current.find((c) => c.name === s.name && (c.namespace ?? '') === (s.namespace ?? ''));
    const required = fixed.some((f) => f.name === s.name && (f.namespace === undefined || f.namespace === (s.namespace ?? '')));
    return { ...s, required, selected: Boolean(now), ...(now?.syncMode ? { syncMode: now.syncMode } : {}) };
  });
}

/** Whether the connection template behind this destination name lets the customer choose streams. */
async function choosable(ctx: OnboardingContext, destinationName: string | undefined): Promise<boolean> {
  if (destinationName === undefined) return false;
  return (await ctx.store.listConnectionTemplates()).some((t) => t.destination_name === destinationName && t.streams === 'choose');
}
