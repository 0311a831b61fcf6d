import { beforeAll, describe, expect, it } from 'vitest';
import { freshEmbeddedStore } from '../fixtures/stores.ts';
import { harness, ORIGIN } from './harness.ts';

beforeAll(() => freshEmbeddedStore(), 60_000);

const OPERATOR_KEY = 'operator-key-0123456789abcdef';

async function operator(h: Awaited<ReturnType<typeof harness>>, method: string, path: string, body?: unknown, key = OPERATOR_KEY) {
  const res = await h.proxy(
    new Request(`${ORIGIN}/api/embed/operator${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

/** The seed bodies, exactly as Airbyte Embedded's docs give them. */
const seedSource = {
  organizationId: '00000000-0000-4000-8000-000000000001',
  actorDefinitionId: 'dfd88b22-b603-4c3d-aad7-3701784586b1',
  partialDefaultConfig: { seed: 7 },
  partialUserConfigSpec: {
    connectionSpecification: { type: 'object', required: ['count'], properties: { count: { type: 'integer', minimum: 1, default: 5000 } } },
  },
};
const seedConnection = {
  organization_id: '00000000-0000-4000-8000-000000000001',
  destination_name: 'Warehouse',
  destination_actor_definition_id: '4816b78f-1489-44c1-9060-4b19d5fa9362',
  destination_config: { s3_bucket_name: 'b', s3_bucket_path: 'p', s3_bucket_region: 'us-east-1', format: { format_type: 'Parquet' } },
  cron_expression: '0 0 6 * * ?',
  non_breaking_changes_preference: 'propagate_fully',
  sync_on_create: true,
};

describe('operator API', () => {
  it('creates templates from the seed bodies unchanged, and customers can use them', async () => {
    const h = await harness({ operatorKey: OPERATOR_KEY, templates: { sources: [], connections: [] } });
    const source = await operator(h, 'POST', '/config_templates/sources', seedSource);
    expect(source.status).toBe(200);
    expect(source.json.id).toEqual(expect.any(String));
    const conn = await operator(h, 'POST', '/integrations/templates/connections', seedConnection);
    expect(conn.json.id).toEqual(expect.any(String));
    // The name comes from Airbyte's connector definition when the body gives none.
    expect((await operator(h, 'GET', `/config_templates/sources/${source.json.id}`)).json).toMatchObject({ name: 'Sample Data', partialDefaultConfig: { seed: 7 } });
    expect((await operator(h, 'GET', `/integrations/templates/connections/${conn.json.id}`)).json).toMatchObject({
      destination_definition_id: '4816b78f-1489-44c1-9060-4b19d5fa9362',
      cron_expression: '0 0 6 * * ?',
      non_breaking_changes_preference: 'propagate_fully',
    });
    const created = await h.call('POST', '/sources', { body: { templateId: source.json.id, config: { count: 3 } } });
    expect(created.status).toBe(201);
    expect((await h.upstream(`/sources/${created.json.source.sourceId}`)).configuration).toEqual({ seed: 7, count: 3 });
    expect((await h.upstream(`/connections/${created.json.connections[0].connection.connectionId}`)).nonBreakingSchemaUpdatesBehavior).toBe('propagate_fully');
  });

  it('lists, updates and deletes templates', async () => {
    const h = await harness({ operatorKey: OPERATOR_KEY });
    expect((await operator(h, 'GET', '/config_templates/sources')).json.data.map((t: { id: string }) => t.id)).toEqual(['faker', 'stripe']);
    expect((await operator(h, 'PATCH', '/config_templates/sources/faker', { name: 'Demo data', tags: ['free'] })).status).toBe(200);
    expect((await operator(h, 'GET', '/config_templates/sources/faker')).json).toMatchObject({ name: 'Demo data', tags: ['free'], partialDefaultConfig: { seed: 42 } });
    expect((await operator(h, 'PATCH', '/integrations/templates/connections/connection-1', { cron_expression: '0 0 */6 * * ?' })).status).toBe(200);
    expect((await h.call('GET', '/templates/faker')).json.connections[0].schedule.description).toMatch(/every 6 hours/);
    expect((await operator(h, 'DELETE', '/config_templates/sources/stripe')).status).toBe(204);
    expect((await h.call('GET', '/templates')).json.data.map((t: { id: string }) => t.id)).toEqual(['faker']);
    expect((await operator(h, 'DELETE', '/config_templates/sources/stripe')).status).toBe(404);
  });

  it.each([
    ['0 * * * * ?', /less than the one hour minimum/],
    ['0 0 25 * * ?', /not valid/],
    ['0 15 2 * *', /not valid/],
    ['every day', /not valid/],
  ])('refuses the cron expression %s, saying why', async (cron, why) => {
    const h = await harness({ operatorKey: OPERATOR_KEY });
    const res = await operator(h, 'POST', '/integrations/templates/connections', { ...seedConnection, cron_expression: cron });
    expect(res.status).toBe(400);
    expect(res.json.error.fieldErrors[0]).toMatchObject({ path: ['cron_expression'], message: expect.stringMatching(why) });
    expect(res.json.error.fieldErrors[0].message).toContain('e.g. "0 15 2 * * ?"');
  });

  it('names every missing field of a bad template', async () => {
    const h = await harness({ operatorKey: OPERATOR_KEY });
    const res = await operator(h, 'POST', '/config_templates/sources', { organizationId: 'x' });
    expect(res.status).toBe(400);
    expect(res.json.error.fieldErrors.map((e: { path: string[] }) => e.path.join('.'))).toEqual(['actorDefinitionId', 'partialUserConfigSpec.connectionSpecification']);
  });

  it('requires the operator key, and is off without one', async () => {
    const h = await harness({ operatorKey: OPERATOR_KEY });
    expect((await operator(h, 'GET', '/config_templates/sources', undefined, 'wrong-key-wrong-key-wrong')).status).toBe(401);
    const session = await h.call('GET', '/operator/config_templates/sources');
    expect(session.status).toBe(401);
    const off = await harness();
    expect((await operator(off, 'GET', '/config_templates/sources')).status).toBe(404);
  });
});
