import type { ConnectionSummary, CreateSourceRequest, JobSummary, JsonSchema, OnboardingResult } from '../shared/contract.ts';
import type { ConfigValidator } from '../shared/configValidator.ts';
import { deepMerge } from '../shared/deepMerge.ts';
import { EmbedError } from '../shared/errors.ts';
import { describeSchedule, normalizeCron } from '../shared/schedule.ts';
import type { AirbyteClient } from './airbyteClient.ts';
import type { ConnectionResponse, DestinationResponse, JobResponse, NonBreakingSchemaUpdatesBehavior } from './airbyteTypes.ts';
import type { ProxyStore } from './store.ts';
import type { ConnectionTemplate, SourceTemplate, TemplateSet } from './templates.ts';

/** Everything onboarding needs; built once by the proxy. */
export interface OnboardingContext {
  airbyte: AirbyteClient;
  store: ProxyStore;
  validator: ConfigValidator;
  templates: TemplateSet;
  /** In-flight get-or-create calls, so a double click in one process creates one workspace. */
  inflight: Map<string, Promise<unknown>>;
}

/** Embedded templates spell two values differently from the public API. */
const NON_BREAKING: Record<NonNullable<ConnectionTemplate['non_breaking_changes_preference']>, NonBreakingSchemaUpdatesBehavior> = {
  ignore: 'ignore',
  disable: 'disable_connection',
  propagate_columns: 'propagate_columns',
  propagate_fully: 'propagate_fully',
};

export function findTemplate(templates: TemplateSet, templateId: string): SourceTemplate {
  const template = templates.sources.find((t) => t.id === templateId);
  if (!template) throw new EmbedError('not_found', `There is no connector "${templateId}" in your catalog. Reload the catalog and pick one from the list.`);
  return template;
}

/** Property names the user spec allows at the root, including those of root `oneOf` options. */
function allowedRootKeys(spec: JsonSchema): Set<string> {
  const keys = new Set(Object.keys((spec.properties as object | undefined) ?? {}));
  for (const option of (spec.oneOf as JsonSchema[] | undefined) ?? []) {
    for (const k of Object.keys((option.properties as object | undefined) ?? {})) keys.add(k);
  }
  return keys;
}

/** Checks the request body and the user's values against the template spec; throws a 400 with per-field errors. */
export function validateCreateRequest(ctx: OnboardingContext, body: unknown): { template: SourceTemplate; request: CreateSourceRequest } {
  const req = body as Partial<CreateSourceRequest> | null;
  if (!req || typeof req !== 'object' || Array.isArray(req)) throw new EmbedError('invalid_request', 'Send a JSON object with "templateId" and "config".');
  if (typeof req.templateId !== 'string' || !req.templateId) throw new EmbedError('invalid_request', '"templateId" is required: the id of the catalog entry to connect.');
  if (req.name !== undefined && (typeof req.name !== 'string' || req.name.length > 200)) {
    throw new EmbedError('invalid_request', '"name" must be text of at most 200 characters.', { fieldErrors: [] });
  }
  if (typeof req.config !== 'object' || req.config === null || Array.isArray(req.config)) {
    throw new EmbedError('invalid_request', '"config" must be a JSON object with the form values.');
  }
  const template = findTemplate(ctx.templates, req.templateId);
  const spec = template.partialUserConfigSpec.connectionSpecification;
  const allowed = allowedRootKeys(spec);
  const unknown = Object.keys(req.config).filter((k) => !allowed.has(k));
  const fieldErrors = [
    ...unknown.map((k) => ({ path: [k], message: 'is not a field of this form' })),
    ...ctx.validator.validate(spec, req.config),
  ];
  if (fieldErrors.length) {
    const n = fieldErrors.length;
    throw new EmbedError('invalid_config', `${n} field${n === 1 ? ' needs' : 's need'} attention. Fix the highlighted field${n === 1 ? '' : 's'} and submit again.`, { fieldErrors });
  }
  return { template, request: req as CreateSourceRequest };
}

/** Runs `create` once per key at a time within this process. */
async function once<T>(ctx: OnboardingContext, key: string, create: () => Promise<T>): Promise<T> {
  const running = ctx.inflight.get(key) as Promise<T> | undefined;
  if (running) return running;
  const promise = create().finally(() => ctx.inflight.delete(key));
  ctx.inflight.set(key, promise);
  return promise;
}

/**
 * The customer's workspace, named after the customer id. The store answers without any Airbyte
 * call; when it does not know the customer (first source, or a store that was reset), the
 * workspaces are listed once to find one by name before a new one is created, so a lost store
 * never duplicates a customer's workspace.
 */
export async function workspaceFor(ctx: OnboardingContext, customerId: string): Promise<string> {
  const known = await ctx.store.getWorkspaceId(customerId);
  if (known) return known;
  return once(ctx, `workspace:${customerId}`, async () => {
    const again = await ctx.store.getWorkspaceId(customerId);
    if (again) return again;
    const existing = (await ctx.airbyte.listWorkspaces()).filter((w) => w.name === customerId);
    if (existing.length > 1) {
      throw new EmbedError('upstream_error', `Airbyte has ${existing.length} workspaces named "${customerId}"; the operator must merge or rename them.`);
    }
    const workspaceId = existing[0]?.workspaceId ?? (await ctx.airbyte.createWorkspace({ name: customerId })).workspaceId;
    await ctx.store.setWorkspaceId(customerId, workspaceId);
    return workspaceId;
  });
}

/** The workspace's destination named by the template, created from `destination_config` when absent. */
async function ensureDestination(ctx: OnboardingContext, workspaceId: string, template: ConnectionTemplate): Promise<DestinationResponse> {
  return once(ctx, `destination:${workspaceId}:${template.destination_name}`, async () => {
    const matches = (await ctx.airbyte.listDestinations(workspaceId)).filter((d) => d.name === template.destination_name);
    if (matches.length > 1) {
      throw new EmbedError('upstream_error', `The workspace has ${matches.length} destinations named "${template.destination_name}"; the operator must remove the extra ones.`);
    }
    if (matches[0]) return matches[0];
    return ctx.airbyte.createDestination({
      name: template.destination_name,
      workspaceId,
      definitionId: template.destination_definition_id,
      configuration: template.destination_config,
    });
  });
}

export function toJobSummary(job: JobResponse): JobSummary {
  const { jobId, status, jobType, startTime, lastUpdatedAt, duration, rowsSynced, bytesSynced } = job;
  return { jobId, status, jobType, startTime, lastUpdatedAt, duration, rowsSynced, bytesSynced };
}

export function toConnectionSummary(connection: ConnectionResponse, destinationName: string): ConnectionSummary {
  return {
    connectionId: connection.connectionId,
    name: connection.name,
    status: connection.status,
    sourceId: connection.sourceId,
    destinationId: connection.destinationId,
    destinationName,
    schedule: describeSchedule(connection.schedule.scheduleType === 'cron' ? connection.schedule.cronExpression : null),
  };
}

/**
 * Creates a customer's source from a template and applies every connection template to it:
 * workspace (get or create) → source (template defaults deep-merged with the user's values) →
 * per connection template: destination (by name, created when absent) → connection on the
 * template's cron → first sync when `sync_on_create`. If a step after the source fails, what this
 * call created is deleted again, so a retry starts clean and nothing half-made is left behind.
 */
export async function onboardSource(ctx: OnboardingContext, customerId: string, body: unknown): Promise<OnboardingResult> {
  const { template, request } = validateCreateRequest(ctx, body);
  const configuration = deepMerge(template.partialDefaultConfig, request.config);
  const workspaceId = await workspaceFor(ctx, customerId);
  const source = await ctx.airbyte.createSource({
    name: request.name?.trim() || template.name,
    workspaceId,
    definitionId: template.actorDefinitionId,
    configuration,
  });
  const created: string[] = [];
  try {
    const connections: OnboardingResult['connections'] = [];
    const destinationNames: Record<string, string> = {};
    for (const ct of ctx.templates.connections) {
      const destination = await ensureDestination(ctx, workspaceId, ct);
      destinationNames[destination.destinationId] = destination.name;
      const cron = ct.cron_expression ? normalizeCron(ct.cron_expression) : null;
      const connection = await ctx.airbyte.createConnection({
        sourceId: source.sourceId,
        destinationId: destination.destinationId,
        name: `${source.name} -> ${destination.name}`,
        schedule: cron ? { scheduleType: 'cron', cronExpression: cron } : { scheduleType: 'manual' },
        nonBreakingSchemaUpdatesBehavior: NON_BREAKING[ct.non_breaking_changes_preference ?? 'ignore'],
        status: 'active',
      });
      created.push(connection.connectionId);
      const job = ct.sync_on_create === false ? null : await ctx.airbyte.createJob({ connectionId: connection.connectionId, jobType: 'sync' });
      connections.push({ connection: toConnectionSummary(connection, destination.name), firstJob: job && toJobSummary(job) });
    }
    await ctx.store.recordSource({
      sourceId: source.sourceId,
      customerId,
      templateId: template.id,
      connectionIds: created,
      destinationNames,
      createdAt: source.createdAt,
    });
    return { source: { sourceId: source.sourceId, name: source.name, templateId: template.id, createdAt: source.createdAt }, connections };
  } catch (error) {
    // Best-effort clean-up; the original error is what the user needs to see.
    for (const id of created.reverse()) await ctx.airbyte.deleteConnection(id).catch(() => undefined);
    await ctx.airbyte.deleteSource(source.sourceId).catch(() => undefined);
    throw error;
  }
}
