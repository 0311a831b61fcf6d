/** The whole customer and operator flow once more, with the proxy on the PostgreSQL store. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, postgresSchema } from '../fixtures/stores.ts';
import { harness, ORIGIN } from './harness.ts';

const pgUp = await postgresAvailable();

describe.skipIf(!pgUp)('proxy on PostgreSQL', () => {
  let schema: Awaited<ReturnType<typeof postgresSchema>>;
  beforeAll(async () => {
    schema = await postgresSchema();
  });
  afterAll(() => schema.drop());

  it('onboards, lists, edits, syncs and deletes; templates come and go through the operator API', async () => {
    const key = 'operator-key-0123456789abcdef';
    const h = await harness({ store: schema.open(), operatorKey: key });
    const op = (method: string, path: string, body?: unknown) =>
      h.proxy(new Request(`${ORIGIN}/api/embed/operator${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }));
    expect((await op('PATCH', '/config_templates/sources/stripe', { tags: ['paid'] })).status).toBe(200);
    const created = await h.call('POST', '/sources', { body: { templateId: 'stripe', config: { account_id: 'acct_1', client_secret: 'sk_pg' } }, idempotencyKey: 'pg-submit-1' });
    expect(created.status).toBe(201);
    const again = await h.call('POST', '/sources', { body: { templateId: 'stripe', config: { account_id: 'acct_1', client_secret: 'sk_pg' } }, idempotencyKey: 'pg-submit-1' });
    expect(again.json).toEqual(created.json);
    const sourceId = created.json.source.sourceId;
    const connectionId = created.json.connections[0].connection.connectionId;
    expect((await h.call('GET', '/sources')).json.data).toHaveLength(1);
    expect((await h.call('GET', `/sources/${sourceId}`)).json.config.client_secret).toBe('**********');
    expect((await h.call('PATCH', `/sources/${sourceId}`, { body: { name: 'Stripe (PG)' } })).json.name).toBe('Stripe (PG)');
    h.clock.now += 11_000;
    expect((await h.call('POST', `/connections/${connectionId}/sync`)).status).toBe(200);
    expect((await h.call('GET', `/connections/${connectionId}/jobs`)).json.data).toHaveLength(2);
    expect((await h.call('DELETE', `/sources/${sourceId}`)).status).toBe(200);
    expect((await h.call('GET', '/sources')).json.data).toEqual([]);
    expect((await op('DELETE', '/config_templates/sources/stripe')).status).toBe(204);
    expect((await h.call('GET', '/templates')).json.data.map((t: { id: string }) => t.id)).toEqual(['faker']);
  });
});
