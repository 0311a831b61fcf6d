import { beforeAll, describe, expect, it } from 'vitest';
import { freshEmbeddedStore } from '../fixtures/stores.ts';
import templatesJson from '../../demo/templates.json';
import { PATTERN_SAFE } from '../../src/shared/pattern/browserPattern.ts';
import { harness } from './harness.ts';

beforeAll(() => freshEmbeddedStore(), 60_000);

const stripe = { templateId: 'stripe', config: { account_id: 'acct_123', client_secret: 'sk_live_canary', start_date: '2024-01-01T00:00:00Z' } };

async function withSource() {
  const h = await harness();
  const created = (await h.call('POST', '/sources', { body: stripe })).json;
  return { h, sourceId: created.source.sourceId as string, connectionId: created.connections[0].connection.connectionId as string };
}

describe('customer API: manage view', () => {
  it('lists my sources with connection status, last sync and next runs', async () => {
    const { h, sourceId } = await withSource();
    h.clock.now += 11_000;
    const list = (await h.call('GET', '/sources')).json.data;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ sourceId, name: 'Stripe', templateName: 'Stripe' });
    expect(list[0].connections[0]).toMatchObject({
      connection: { destinationName: 'Acme Analytics Lake (S3)', schedule: { description: 'At 02:15 AM, every day (UTC)', nextRuns: ['2026-11-24T02:15:00Z', '2026-11-25T02:15:00Z', '2026-11-26T02:15:00Z'] } },
      lastJob: { status: 'succeeded', rowsSynced: 1000 },
    });
    expect((await h.call('GET', '/sources', { token: await h.token('customer-b') })).json.data).toEqual([]);
  });

  it('opens a source for editing with only the form fields and every secret masked', async () => {
    const { h, sourceId } = await withSource();
    const detail = await h.call('GET', `/sources/${sourceId}`);
    expect(detail.json.config).toEqual({ account_id: 'acct_123', client_secret: '**********', start_date: '2024-01-01T00:00:00Z' });
    expect(detail.text).not.toContain('sk_live_canary');
    expect(detail.text).not.toContain('slice_range'); // a template default
    expect(detail.json.spec.required).toEqual(['account_id', 'client_secret']);
  });

  it('updates a source: a masked secret left unchanged keeps its stored value; a new one replaces it', async () => {
    const { h, sourceId } = await withSource();
    const updated = await h.call('PATCH', `/sources/${sourceId}`, { body: { name: 'Stripe EU', config: { account_id: 'acct_456', client_secret: '**********' } } });
    expect(updated.status).toBe(200);
    expect(updated.json.name).toBe('Stripe EU');
    const upstream = await h.upstream(`/sources/${sourceId}`);
    expect(upstream.configuration).toMatchObject({ account_id: 'acct_456', client_secret: '**********', slice_range: 365 });
    // The emulator keeps the real value: a PUT with the mask still validates, which needs a stored secret.
    expect((await h.call('PATCH', `/sources/${sourceId}`, { body: { config: { account_id: 'acct_456', client_secret: 'sk_new' } } })).status).toBe(200);
    const bad = await h.call('PATCH', `/sources/${sourceId}`, { body: { config: { account_id: 5 } } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fieldErrors).toEqual(expect.arrayContaining([expect.objectContaining({ path: ['account_id'], message: 'must be text' })]));
  });

  it('starts a sync (409 sync_running while one runs) and lists the connection’s jobs', async () => {
    const { h, connectionId } = await withSource();
    const busy = await h.call('POST', `/connections/${connectionId}/sync`);
    expect(busy.status).toBe(409);
    expect(busy.json.error).toMatchObject({ code: 'sync_running', message: expect.stringContaining('Wait for it to finish') });
    h.clock.now += 11_000;
    const started = await h.call('POST', `/connections/${connectionId}/sync`);
    expect(started.json).toMatchObject({ status: 'pending', jobType: 'sync' });
    const jobs = (await h.call('GET', `/connections/${connectionId}/jobs`)).json.data;
    expect(jobs.map((j: { status: string }) => j.status)).toEqual(['pending', 'succeeded']);
  });

  it('deletes a source with its connections', async () => {
    const { h, sourceId, connectionId } = await withSource();
    expect((await h.call('DELETE', `/sources/${sourceId}`)).json).toEqual({ deleted: true });
    expect((await h.upstream('/sources')).data).toHaveLength(0);
    expect((await h.upstream('/connections')).data).toHaveLength(0);
    expect((await h.call('GET', `/connections/${connectionId}`)).status).toBe(404);
    expect((await h.call('GET', '/sources')).json.data).toEqual([]);
  });

  it.each([
    ['GET', (s: string) => `/sources/${s}`],
    ['PATCH', (s: string) => `/sources/${s}`],
    ['DELETE', (s: string) => `/sources/${s}`],
    ['GET', (_s: string, c: string) => `/connections/${c}`],
    ['POST', (_s: string, c: string) => `/connections/${c}/sync`],
    ['GET', (_s: string, c: string) => `/connections/${c}/jobs`],
  ])("answers 404 to another customer on %s %s, touching nothing", async (method, path) => {
    const { h, sourceId, connectionId } = await withSource();
    const res = await h.call(method, path(sourceId, connectionId), { token: await h.token('customer-b'), body: method === 'PATCH' ? { name: 'mine now' } : undefined });
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('acct_123');
    expect((await h.upstream(`/sources/${sourceId}`)).name).toBe('Stripe');
  });

  it('shows a customer only the templates their session’s tags allow', async () => {
    const templates = (await import('../../demo/templates.json')).default;
    const tagged = structuredClone(templates);
    (tagged.sources[0] as { tags?: string[] }).tags = ['free'];
    (tagged.sources[1] as { tags?: string[] }).tags = ['paid'];
    const h = await harness({ templates: tagged });
    const { createSessionToken } = await import('../../src/server/sessionToken.ts');
    const { SESSION_SECRET, ORIGIN } = await import('./harness.ts');
    const token = await createSessionToken({ secret: SESSION_SECRET, customerId: 'c', allowedOrigin: ORIGIN, templateTags: ['free'] });
    expect((await h.call('GET', '/templates', { token })).json.data.map((t: { id: string }) => t.id)).toEqual(['faker']);
    expect((await h.call('GET', '/templates/stripe', { token })).status).toBe(404);
    expect((await h.call('POST', '/sources', { token, body: stripe })).status).toBe(404);
  });
});

describe('customer API: onboarding progress', () => {
  it('reports each saga step as it completes, for the customer’s own key only', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const h = await harness({
      intercept: async (req) => {
        if (req.method === 'POST' && new URL(req.url).pathname.endsWith('/jobs')) await gate;
        return undefined;
      },
    });
    const running = h.call('POST', '/sources', { body: stripe, idempotencyKey: 'progress-0001' });
    await expect.poll(async () => (await h.call('GET', '/onboardings/progress-0001')).json.steps.find((s: { step: string }) => s.step === 'sync').state).toBe('active');
    const mid = (await h.call('GET', '/onboardings/progress-0001')).json;
    expect(mid).toEqual({
      status: 'running',
      steps: [
        { step: 'workspace', state: 'done' },
        { step: 'source', state: 'done' },
        { step: 'check', state: 'done' },
        { step: 'destination', state: 'done' },
        { step: 'connection', state: 'done' },
        { step: 'sync', state: 'active' },
      ],
    });
    // Another customer sees nothing of it: the same answer as a key that never started.
    const other = await h.call('GET', '/onboardings/progress-0001', { token: await h.token('customer-b') });
    expect(other.status).toBe(404);
    expect(other.json.error.code).toBe('not_found');
    expect(other.text).not.toContain('workspace');
    release();
    expect((await running).status).toBe(201);
    expect((await h.call('GET', '/onboardings/progress-0001')).json.status).toBe('succeeded');
  });
});

describe('customer API: specs as the browser gets them', () => {
  it("marks every pattern with whether the browser may run it, replacing a template's own mark, in the form and the edit view", async () => {
    const templates = structuredClone(templatesJson) as { sources: Array<{ id: string; partialUserConfigSpec: { connectionSpecification: { properties: Record<string, unknown> } } }> };
    const faker = templates.sources.find((t) => t.id === 'faker')!;
    Object.assign(faker.partialUserConfigSpec.connectionSpecification.properties, {
      code: { type: 'string', title: 'Code', pattern: '^[A-Z]{3}$' },
      nested: { type: 'object', properties: { evil: { type: 'string', pattern: '^(a+)+$', [PATTERN_SAFE]: '^(a+)+$' } } },
    });
    const h = await harness({ templates });
    const detail = (await h.call('GET', '/templates/faker')).json;
    expect(detail.spec.properties.code[PATTERN_SAFE]).toBe('^[A-Z]{3}$');
    expect(detail.spec.properties.nested.properties.evil[PATTERN_SAFE]).toBe(false);
    expect(detail.spec.properties.count).not.toHaveProperty(PATTERN_SAFE);
    const created = (await h.call('POST', '/sources', { body: { templateId: 'faker', config: { count: 10, code: 'ABC' } } })).json;
    const edit = (await h.call('GET', `/sources/${created.source.sourceId}`)).json;
    expect(edit.spec.properties.nested.properties.evil[PATTERN_SAFE]).toBe(false);
  });
});
