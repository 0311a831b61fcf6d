import { EmbedError } from '../shared/errors.ts';
import type { OnboardingContext } from './onboarding.ts';
import { connectionTemplateFromBody, sourceTemplateFromBody, type SourceTemplate } from './templates.ts';

type Handler = (ctx: OnboardingContext, params: Record<string, string>, body: unknown) => Promise<{ status?: number; body: unknown }>;

/** A template's name: given, else the connector definition's name from Airbyte. */
async function nameFor(ctx: OnboardingContext, t: Omit<SourceTemplate, 'name'> & { name?: string }): Promise<string> {
  if (t.name) return t.name;
  const defs = await ctx.airbyte.listConnectorDefinitions('source');
  const found = defs.find((d) => d.id === t.actorDefinitionId);
  if (!found) throw new EmbedError('invalid_request', `Airbyte knows no source definition ${t.actorDefinitionId}; check "actorDefinitionId" or give the template a "name".`, { fieldErrors: [{ path: ['actorDefinitionId'], message: 'is not a known source definition' }] });
  return found.name;
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
      const template: SourceTemplate = { ...parsed, name: await nameFor(ctx, parsed) };
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
      await ctx.store.putConnectionTemplate(template);
      return { body: { id: template.id } };
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
      await ctx.store.putConnectionTemplate(template);
      return { body: { id: template.id } };
    },
  },
  {
    method: 'DELETE',
    path: '/integrations/templates/connections/:id',
    handler: async (ctx, p) => {
      if (!(await ctx.store.deleteConnectionTemplate(p.id!))) throw missing('connection template', p.id!);
      return { status: 204, body: null };
    },
  },
];

function throwIt(error: Error): never {
  throw error;
}
