import { EmbedError } from '../shared/errors.ts';
import type { OnboardingContext } from './onboarding.ts';
import { SECRET_MASK } from '../shared/contract.ts';
import { deepMerge } from '../shared/deepMerge.ts';
import { leafPaths } from '../shared/specPaths.ts';
import { valueAt } from '../shared/valueAt.ts';
import { AirbyteApiError } from './airbyteClient.ts';
import { deleteOAuthCredentials, listOAuthCredentials, setOAuthCredentials } from './oauthCredentials.ts';
import { destinationConfigProblems } from './destinationCheck.ts';
import { webhookOperatorRoutes } from './webhooks/operatorRoutes.ts';
import { connectionTemplateFromBody, registryIconUrl, sourceTemplateFromBody, type ConnectionTemplate, type SourceTemplate } from './templates.ts';

type Handler = (ctx: OnboardingContext, params: Record<string, string>, body: unknown, query?: URLSearchParams) => Promise<{ status?: number; body: unknown }>;

/**
 * Refuses a connection template whose `destination_config` the destination's spec rejects (when
 * Airbyte can tell: see {@link destinationConfigProblems}), naming each field, before any
 * customer's connect would fail on it.
 */
async function checkDestination(ctx: OnboardingContext, template: ConnectionTemplate): Promise<void> {
  const workspaceId = (await ctx.store.listCustomerWorkspaces())[0]?.workspaceId;
  const problems = await destinationConfigProblems(ctx.airbyte, template, workspaceId);
  if (problems?.length) {
    throw new EmbedError('invalid_request', `Airbyte would refuse this destination: ${problems.map((e) => `${e.path.join('.')} ${e.message}`).join('; ')}.`, { fieldErrors: problems });
  }
}

/** A template's name: given, else the connector definition's name from Airbyte. */
async function nameFor(ctx: OnboardingContext, t: Omit<SourceTemplate, 'name'> & { name?: string }): Promise<string> {
  if (t.name) return t.name;
  const workspaceId = (await ctx.store.listCustomerWorkspaces())[0]?.workspaceId ?? (await ctx.airbyte.listWorkspaces().catch(() => []))[0]?.workspaceId;
  const defs = await ctx.airbyte.listConnectorDefinitions('source', workspaceId);
  const found = defs.find((d) => d.id === t.actorDefinitionId);
  if (!found) throw new EmbedError('invalid_request', `Airbyte knows no source definition ${t.actorDefinitionId}; check "actorDefinitionId" or give the template a "name".`, { fieldErrors: [{ path: ['actorDefinitionId'], message: 'is not a known source definition' }] });
  return found.name;
}

/**
 * Refuses a source template whose connector definition Airbyte does not know (404
 * `STANDARD_SOURCE_DEFINITION`), when there is a workspace to ask in: every customer's connect
 * would otherwise fail on it. Anything else (no workspace yet, no permission, Airbyte down) is
 * not a refusal.
 */
async function definitionKnown(ctx: OnboardingContext, definitionId: string): Promise<{ dockerRepository?: string } | undefined> {
  const workspaceId = (await ctx.store.listCustomerWorkspaces())[0]?.workspaceId ?? (await ctx.airbyte.listWorkspaces().catch(() => []))[0]?.workspaceId;
  if (!workspaceId) return undefined;
  try {
    return await ctx.airbyte.getSourceDefinition(workspaceId, definitionId);
  } catch (error) {
    // ConfigNotFound for the definition itself (ConfigClientErrorHandler.kt: `data.resourceType`), not any 404.
    if (error instanceof AirbyteApiError && error.status === 404 && JSON.stringify(error.problem?.data ?? '').includes('STANDARD_SOURCE_DEFINITION')) {
      throw new EmbedError('invalid_request', `Airbyte knows no source definition ${definitionId}: check "actorDefinitionId" (Airbyte's UI shows it under Settings → Sources, or GET /connector_definitions).`, {
        fieldErrors: [{ path: ['actorDefinitionId'], message: 'is not a source definition Airbyte knows' }],
      });
    }
    throw error;
  }
}

/**
 * The registry icon of a source definition, for a template created without `icon`; undefined when
 * it cannot be told, and never an error (a template without an icon shows its letter).
 * Airbyte's public API gives a definition's `dockerRepository` only per workspace
 * (`GET /workspaces/{id}/definitions/sources/{definitionId}`; `/connector_definitions` has no image), so
 * any workspace will do: a customer's the proxy knows, else the first the application can see.
 * Trap: before the first customer, an Airbyte account (or a fresh emulator) with no workspace gives none.
 */
async function registryIconFor(ctx: OnboardingContext, definitionId: string): Promise<string | undefined> {
  try {
    return registryIconUrl((await definitionKnown(ctx, definitionId))?.dockerRepository);
  } catch (error) {
    if (error instanceof EmbedError) throw error;
    const entry = { level: 'warn' as const, message: `No registry icon for source definition ${definitionId}: ${error instanceof AirbyteApiError ? error.message : 'the lookup failed'}. The template was saved without one; give it an "icon" to show one.`, requestId: 'operator' };
    if (ctx.log) ctx.log(entry);
    else console.warn(JSON.stringify(entry));
    return undefined;
  }
}

const missing = (what: string, id: string) => new EmbedError('not_found', `No ${what} with id "${id}".`);

/**
 * The operator API (server to server, behind the operator key). Its paths and bodies are Airbyte
 * Embedded's, so template scripts written for Embedded run unchanged against `<proxy>/operator`.
 * Unlike Embedded it also lists, reads, updates and deletes templates.
 */
export const operatorRoutes: Array<{ method: string; path: string; handler: Handler }> = [
  {
    method: 'POST',
    path: '/config_templates/sources',
    handler: async (ctx, _p, body) => {
      const parsed = sourceTemplateFromBody(body);
      if (await ctx.store.getSourceTemplate(parsed.id)) throw new EmbedError('invalid_request', `A source template with id "${parsed.id}" exists; PATCH it instead.`);
      const name = await nameFor(ctx, parsed);
      const icon = parsed.icon ?? (await registryIconFor(ctx, parsed.actorDefinitionId));
      // (With an icon given, the definition is still checked; registryIconFor checks it otherwise.)
      if (parsed.icon) await definitionKnown(ctx, parsed.actorDefinitionId).catch((error: unknown) => {
        if (error instanceof EmbedError) throw error;
      });
      const template: SourceTemplate = { ...parsed, name, ...(icon ? { icon } : {}) };
      await ctx.store.putSourceTemplate(template);
      return { body: { id: template.id } };
    },
  },
  { method: 'GET', path: '/config_templates/sources', handler: async (ctx) => ({ body: { data: await ctx.store.listSourceTemplates() } }) },
  {
    method: 'GET',
    path: '/config_templates/sources/:id',
    handler: async (ctx, p) => ({ body: (await ctx.store.getSourceTemplate(p.id!)) ?? throwIt(missing('source template', p.id!)) }),
  },
  {
    method: 'PATCH',
    path: '/config_templates/sources/:id',
    handler: async (ctx, p, body) => {
      const base = (await ctx.store.getSourceTemplate(p.id!)) ?? throwIt(missing('source template', p.id!));
      const parsed = sourceTemplateFromBody({ ...(body as object), id: base.id }, base);
      const template: SourceTemplate = { ...parsed, name: parsed.name ?? base.name };
      await ctx.store.putSourceTemplate(template);
      return { body: { id: template.id } };
    },
  },
  {
    method: 'DELETE',
    path: '/config_templates/sources/:id',
    handler: async (ctx, p) => {
      if (!(await ctx.store.deleteSourceTemplate(p.id!))) throw missing('source template', p.id!);
      return { status: 204, body: null };
    },
  },
  {
    method: 'POST',
    path: '/integrations/templates/connections',
    handler: async (ctx, _p, body) => {
      const template = connectionTemplateFromBody(body);
      if (await ctx.store.getConnectionTemplate(template.id)) throw new EmbedError('invalid_request', `A connection template with id "${template.id}" exists; PATCH it instead.`);
      await checkDestination(ctx, template);
      await ctx.store.putConnectionTemplate(template);
      return { body: { id: template.id } };
    },
  },
  {
    // The seed's recipe: read a connection someone set up by hand and make new ones like it.
    method: 'POST',
    path: '/integrations/templates/connections/from_connection',
    handler: async (ctx, _p, body) => {
      const template = await templateFromConnection(ctx, body);
      if (await ctx.store.getConnectionTemplate(template.id)) throw new EmbedError('invalid_request', `A connection template with id "${template.id}" exists; PATCH it instead, or give another "id".`);
      await checkDestination(ctx, template);
      await ctx.store.putConnectionTemplate(template);
      return { body: template };
    },
  },
  { method: 'GET', path: '/integrations/templates/connections', handler: async (ctx) => ({ body: { data: await ctx.store.listConnectionTemplates() } }) },
  {
    method: 'GET',
    path: '/integrations/templates/connections/:id',
    handler: async (ctx, p) => ({ body: (await ctx.store.getConnectionTemplate(p.id!)) ?? throwIt(missing('connection template', p.id!)) }),
  },
  {
    method: 'PATCH',
    path: '/integrations/templates/connections/:id',
    handler: async (ctx, p, body) => {
      const base = (await ctx.store.getConnectionTemplate(p.id!)) ?? throwIt(missing('connection template', p.id!));
      const template = connectionTemplateFromBody({ ...(body as object), id: base.id }, base);
      if (JSON.stringify([template.destination_definition_id, template.destination_config]) !== JSON.stringify([base.destination_definition_id, base.destination_config])) await checkDestination(ctx, template);
      await ctx.store.putConnectionTemplate(template);
      return { body: { id: template.id } };
    },
  },
  // The operator's own OAuth app per connector (see oauthCredentials.ts). PUT is the route; POST is
  // the same, for proxies that read no PUT bodies.
  { method: 'PUT', path: '/oauth_credentials', handler: (ctx, _p, body) => setOAuthCredentials(ctx, body) },
  { method: 'POST', path: '/oauth_credentials', handler: (ctx, _p, body) => setOAuthCredentials(ctx, body) },
  { method: 'GET', path: '/oauth_credentials', handler: (ctx) => listOAuthCredentials(ctx) },
  { method: 'DELETE', path: '/oauth_credentials/:actorType/:name', handler: (ctx, p) => deleteOAuthCredentials(ctx, p) },
  {
    method: 'DELETE',
    path: '/integrations/templates/connections/:id',
    handler: async (ctx, p) => {
      if (!(await ctx.store.deleteConnectionTemplate(p.id!))) throw missing('connection template', p.id!);
      return { status: 204, body: null };
    },
  },  // Signed webhooks to the operator's endpoints (src/server/webhooks/operatorRoutes.ts).
  ...webhookOperatorRoutes,
];

const PREFERENCE_OF: Record<string, string> = { ignore: 'ignore', disable_connection: 'disable', propagate_columns: 'propagate_columns', propagate_fully: 'propagate_fully' };

/**
 * A connection template copied from an existing connection (`GET /connections/{id}` and its
 * destination): destination definition and configuration, schedule, schema-change preference,
 * namespace settings, data residency, and its streams as `fixed_streams` (applied to new sources'
 * streams by name). Airbyte masks the destination's secrets when it is read: the body must give
 * them in `destination_config` (merged over what was read), or the answer names each one.
 */
async function templateFromConnection(ctx: OnboardingContext, body: unknown): Promise<ConnectionTemplate> {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b.connection_id !== 'string' || !/^[0-9a-f-]{36}$/i.test(b.connection_id)) {
    throw new EmbedError('invalid_request', '"connection_id" is required: the id of the Airbyte connection to copy.', { fieldErrors: [{ path: ['connection_id'], message: 'is required (a UUID)' }] });
  }
  const notFound = (error: unknown) => {
    // Cloud refuses an id in no workspace of the caller's with 403, self-managed with 404.
    if (error instanceof AirbyteApiError && (error.status === 403 || error.status === 404)) throw new EmbedError('not_found', `Airbyte has no connection ${b.connection_id as string} that these credentials can read.`);
    throw error;
  };
  const connection = await ctx.airbyte.getConnection(b.connection_id).catch(notFound);
  const destination = await ctx.airbyte.getDestination(connection.destinationId);
  const config = deepMerge(destination.configuration ?? {}, (b.destination_config ?? {}) as Record<string, unknown>);
  const masked = leafPaths(config).filter((path) => valueAt(config, path) === SECRET_MASK);
  if (masked.length) {
    throw new EmbedError('invalid_request', `Airbyte does not reveal the destination's secrets; send them in "destination_config": ${masked.map((p) => p.join('.')).join(', ')}.`, {
      fieldErrors: masked.map((path) => ({ path: ['destination_config', ...path], message: 'is masked by Airbyte; send its value' })),
    });
  }
  const schedule = connection.schedule;
  if (schedule.scheduleType === 'basic' && b.cron_expression === undefined) {
    throw new EmbedError('invalid_request', `The connection runs on a basic schedule (${schedule.basicTiming ?? 'interval'}); give "cron_expression" (Quartz, e.g. "0 0 * * * ?") for the template.`);
  }
  return connectionTemplateFromBody({
    ...(b.id !== undefined ? { id: b.id } : {}),
    ...(b.tags !== undefined ? { tags: b.tags } : {}),
    destination_name: b.destination_name ?? destination.name,
    destination_definition_id: destination.definitionId,
    destination_config: config,
    cron_expression: b.cron_expression !== undefined ? b.cron_expression : schedule.scheduleType === 'cron' ? (schedule.cronExpression ?? '').replace(/\s*UTC$/, '') : null,
    non_breaking_changes_preference: PREFERENCE_OF[connection.nonBreakingSchemaUpdatesBehavior ?? 'ignore'] ?? 'ignore',
    sync_on_create: b.sync_on_create ?? true,
    streams: b.streams ?? 'suggested',
    fixed_streams: (connection.configurations.streams ?? []).map((st) => ({
      name: st.name,
      ...(st.namespace ? { namespace: st.namespace } : {}),
      ...(st.syncMode ? { syncMode: st.syncMode } : {}),
      ...(st.cursorField?.length ? { cursorField: st.cursorField } : {}),
      ...(st.primaryKey?.length ? { primaryKey: st.primaryKey } : {}),
    })),
    ...(b.stream_prefix !== undefined ? { stream_prefix: b.stream_prefix } : {}),
    ...(connection.namespaceDefinition ? { namespace_definition: connection.namespaceDefinition } : {}),
    ...(connection.namespaceFormat ? { namespace_format: connection.namespaceFormat } : {}),
    ...(connection.dataResidency ? { data_residency: connection.dataResidency } : {}),
  });
}

function throwIt(error: Error): never {
  throw error;
}
