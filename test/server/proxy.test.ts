import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_SECRET } from '../../src/testing/emulator.ts';
import { harness, ORIGIN, SESSION_SECRET } from './harness.ts';
import { createSessionToken } from '../../src/server/sessionToken.ts';
import { freshEmbeddedStore } from '../fixtures/stores.ts';

// PGlite takes a few seconds to start: once per file, outside any test's time budget.
beforeAll(() => freshEmbeddedStore(), 60_000);

const stripe = { templateId: 'stripe', config: { account_id: 'acct_123', client_secret: 'sk_live_canary_secret', start_date: '2024-01-01T00:00:00Z' } };

describe('proxy: catalog', () => {
  it('lists templates and serves a form spec without the template defaults', async () => {
    const h = await harness();
    const list = await h.call('GET', '/templates');
    expect(list.status).toBe(200);
    expect(list.json.data.map((t: { id: string }) => t.id)).toEqual(['faker', 'stripe']);
    const detail = await h.call('GET', '/templates/faker');
    expect(detail.json.spec.properties.count).toMatchObject({ type: 'integer', minimum: 1, default: 5000 });
    expect(detail.json.connections).toEqual([
      {
        destinationName: 'Acme Analytics Lake (S3)',
        schedule: { cronExpression: '0 15 2 * * ?', description: 'At 02:15 AM, every day (UTC)', nextRuns: ['2026-11-24T02:15:00Z', '2026-11-25T02:15:00Z', '2026-11-26T02:15:00Z'] },
        syncOnCreate: true,
        streams: 'suggested',
      },
    ]);
    expect(detail.text).not.toContain('records_per_slice'); // a partialDefaultConfig key
    expect(detail.text).not.toContain('acme-analytics-lake'); // destination_config
  });

  it('answers 404 with a clear message for an unknown template', async () => {
    const res = (await (await harness()).call('GET', '/templates/nope'));
    expect(res.status).toBe(404);
    expect(res.json.error).toMatchObject({ code: 'not_found', message: expect.stringContaining('Reload the catalog') });
  });
});

describe('proxy: onboarding', () => {
  it('creates workspace, source (defaults merged), destination, cron connection and first sync', async () => {
    const h = await harness();
    const res = await h.call('POST', '/sources', { body: { templateId: 'faker', config: { count: 250 } } });
    expect(res.status).toBe(201);
    const { source, connections } = res.json;
    expect(connections).toHaveLength(1);
    expect(connections[0].connection).toMatchObject({
      destinationName: 'Acme Analytics Lake (S3)',
      schedule: { cronExpression: '0 15 2 * * ?', description: 'At 02:15 AM, every day (UTC)' },
    });
    expect(connections[0].firstJob).toMatchObject({ status: 'pending', jobType: 'sync' });

    const upstreamSource = await h.upstream(`/sources/${source.sourceId}`);
    expect(upstreamSource.configuration).toEqual({ seed: 42, records_per_slice: 1000, always_updated: false, parallelism: 4, count: 250 });
    expect(upstreamSource.definitionId).toBe('dfd88b22-b603-4c3d-aad7-3701784586b1');
    const workspace = await h.upstream(`/workspaces/${upstreamSource.workspaceId}`);
    expect(workspace.name).toBe('customer-a');
    const connection = await h.upstream(`/connections/${connections[0].connection.connectionId}`);
    expect(connection).toMatchObject({ schedule: { scheduleType: 'cron', cronExpression: '0 15 2 * * ? UTC' }, nonBreakingSchemaUpdatesBehavior: 'propagate_columns', status: 'active' });
    const destinations = await h.upstream(`/destinations?workspaceIds=${upstreamSource.workspaceId}`);
    expect(destinations.data).toHaveLength(1);
    expect(destinations.data[0].configuration.s3_bucket_name).toBe('acme-analytics-lake');
  });

  it('makes only the calls it must: returning customer source, check, connection, sync; new customer adds workspace, destination and its stream modes', async () => {
    const h = await harness();
    const calls = async (run: () => Promise<unknown>) => {
      const before = h.calls.length;
      await run();
      return h.calls.slice(before).map((c) => `${c.method} ${c.path.split('?')[0]}`);
    };
    // The store's first customer: the store also notes which workspaces Airbyte already has (once in its life).
    // The first GET /streams is the credentials check; a new customer's destination comes after it,
    // so wrong details leave nothing but the workspace, and its sync modes need a second (cached) discover.
    expect(await calls(() => h.call('POST', '/sources', { body: { templateId: 'faker', config: { count: 1 } } }))).toEqual([
      'POST /v1/applications/token',
      'GET /v1/workspaces',
      'POST /v1/workspaces',
      'POST /v1/sources',
      'GET /v1/streams',
      'POST /v1/destinations',
      'GET /v1/streams',
      'POST /v1/connections',
      'POST /v1/jobs',
    ]);
    // A returning customer: one discover checks the details and lists the modes its destination allows.
    expect(await calls(() => h.call('POST', '/sources', { body: stripe }))).toEqual(['POST /v1/sources', 'GET /v1/streams', 'POST /v1/connections', 'POST /v1/jobs']);
    expect(await calls(async () => h.call('POST', '/sources', { body: stripe, token: await h.token('customer-new') }))).toEqual([
      'POST /v1/workspaces',
      'POST /v1/sources',
      'GET /v1/streams',
      'POST /v1/destinations',
      'GET /v1/streams',
      'POST /v1/connections',
      'POST /v1/jobs',
    ]);
    expect(h.calls.filter((c) => c.path.endsWith('/applications/token'))).toHaveLength(1);
    expect((await h.upstream('/workspaces')).data.map((w: { name: string }) => w.name).sort()).toEqual(['customer-a', 'customer-new']);
    expect((await h.upstream('/destinations')).data).toHaveLength(2);
  });

  it('creates one workspace when the same customer double-submits', async () => {
    const h = await harness();
    await Promise.all([h.call('POST', '/sources', { body: stripe }), h.call('POST', '/sources', { body: stripe })]);
    expect((await h.upstream('/workspaces')).data).toHaveLength(1);
    expect((await h.upstream('/destinations')).data).toHaveLength(1);
  });

  it('skips the first sync when the connection template says sync_on_create: false', async () => {
    const templates = (await import('../../demo/templates.json')).default;
    const custom = await harness({ templates: { ...structuredClone(templates), connections: [{ ...structuredClone(templates.connections[0]!), sync_on_create: false }] } as never });
    const res = await custom.call('POST', '/sources', { body: stripe });
    expect(res.json.connections[0].firstJob).toBeNull();
    expect(custom.calls.some((c) => c.path.startsWith('/v1/jobs'))).toBe(false);
  });

  it('refuses invalid values with per-field messages and creates nothing upstream', async () => {
    const h = await harness();
    const res = await h.call('POST', '/sources', { body: { templateId: 'stripe', config: { account_id: 'acct_1', start_date: 'yesterday', extra: 1 } } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_config');
    expect(res.json.error.fieldErrors).toEqual(
      expect.arrayContaining([
        { path: ['extra'], message: 'is not a field of this form', rule: { keyword: 'unknownField', params: {} } },
        expect.objectContaining({ path: ['client_secret'], message: 'is required' }),
        expect.objectContaining({ path: ['start_date'], message: 'must be in the format YYYY-MM-DDTHH:mm:ssZ' }),
      ]),
    );
    expect(h.calls).toHaveLength(0);
  });

  it.each([
    ['not JSON', '{', 'application/json', 400, 'invalid_request'],
    ['wrong content type', 'count=1', 'application/x-www-form-urlencoded', 415, 'unsupported_media_type'],
    ['no config', JSON.stringify({ templateId: 'faker' }), 'application/json', 400, 'invalid_request'],
    ['array body', '[]', 'application/json', 400, 'invalid_request'],
  ])('answers a malformed body (%s) with a 4xx, never 500', async (_name, body, type, status, code) => {
    const h = await harness();
    const res = await h.proxy(
      new Request(`${ORIGIN}/api/embed/sources`, { method: 'POST', headers: { authorization: `Bearer ${await h.token()}`, origin: ORIGIN, 'content-type': type }, body }),
    );
    expect(res.status).toBe(status);
    expect((await res.json()).error.code).toBe(code);
  });

  it('resumes after a transient failure with the same idempotency key: one source, one connection', async () => {
    let failed = false;
    const h = await harness({
      intercept: (req) => {
        if (!failed && req.method === 'POST' && new URL(req.url).pathname.endsWith('/connections')) {
          failed = true;
          return Response.json({ type: 'x', title: 'unexpected-problem', status: 500, detail: 'boom' }, { status: 500 });
        }
        return undefined;
      },
    });
    const res = await h.call('POST', '/sources', { body: stripe, idempotencyKey: 'submit-0001' });
    expect(res.status).toBe(503);
    expect(res.json.error.message).toContain('Your details are kept');
    const retry = await h.call('POST', '/sources', { body: stripe, idempotencyKey: 'submit-0001' });
    expect(retry.status).toBe(201);
    expect((await h.upstream('/sources')).data).toHaveLength(1);
    expect((await h.upstream('/connections')).data).toHaveLength(1);
    const again = await h.call('POST', '/sources', { body: stripe, idempotencyKey: 'submit-0001' });
    expect(again.json).toEqual(retry.json);
    expect((await h.upstream('/sources')).data).toHaveLength(1);
  });

  it('undoes a source Airbyte refused to connect (a final 4xx), and replays that answer', async () => {
    const h = await harness({
      intercept: (req) =>
        req.method === 'POST' && new URL(req.url).pathname.endsWith('/connections')
          ? Response.json({ type: 'x', title: 'bad-request', status: 400, data: { message: 'no' } }, { status: 400 })
          : undefined,
    });
    const res = await h.call('POST', '/sources', { body: stripe, idempotencyKey: 'submit-0002' });
    expect(res.status).toBe(502);
    expect((await h.upstream('/sources')).data).toHaveLength(0);
    expect((await h.call('GET', '/sources')).json.data).toEqual([]);
    const again = await h.call('POST', '/sources', { body: stripe, idempotencyKey: 'submit-0002' });
    expect(again.json.error.message).toBe(res.json.error.message);
  });

  it('refuses an idempotency key reused with different values', async () => {
    const h = await harness();
    await h.call('POST', '/sources', { body: stripe, idempotencyKey: 'submit-0003' });
    const other = await h.call('POST', '/sources', { body: { ...stripe, config: { ...stripe.config, account_id: 'acct_other' } }, idempotencyKey: 'submit-0003' });
    expect(other.status).toBe(422);
    expect(other.json.error.code).toBe('idempotency_key_reused');
  });

  it('never sends credentials or secrets back, and never logs them', async () => {
    const h = await harness();
    const res = await h.call('POST', '/sources', { body: stripe });
    const status = await h.call('GET', `/connections/${res.json.connections[0].connection.connectionId}`);
    const bad = await h.call('POST', '/sources', { body: { ...stripe, config: { ...stripe.config, account_id: 5 } } });
    for (const text of [res.text, status.text, bad.text, JSON.stringify(h.logs)]) {
      expect(text).not.toContain('sk_live_canary_secret');
      expect(text).not.toContain(DEFAULT_CLIENT_SECRET);
    }
  });
});

describe('proxy: connection status', () => {
  it('reports the first sync moving from pending to running to succeeded', async () => {
    const h = await harness();
    const created = await h.call('POST', '/sources', { body: { templateId: 'faker', config: { count: 5000 } } });
    const id = created.json.connections[0].connection.connectionId;
    const statuses: string[] = [];
    for (const advance of [0, 5_000, 10_000]) {
      h.clock.now += advance;
      const res = await h.call('GET', `/connections/${id}`);
      statuses.push(res.json.latestJob.status);
    }
    expect(statuses).toEqual(['pending', 'running', 'succeeded']);
    const done = await h.call('GET', `/connections/${id}`);
    expect(done.json.latestJob).toMatchObject({ rowsSynced: 5000 });
    expect(done.json.connection.destinationName).toBe('Acme Analytics Lake (S3)');
  });

  it("answers 404 for another customer's connection", async () => {
    const h = await harness();
    const created = await h.call('POST', '/sources', { body: stripe });
    const id = created.json.connections[0].connection.connectionId;
    const other = await h.call('GET', `/connections/${id}`, { token: await h.token('customer-b') });
    expect(other.status).toBe(404);
    expect(other.text).not.toContain('Stripe');
    const unknown = await h.call('GET', '/connections/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
  });
});

describe('proxy: sessions', () => {
  it('refuses a request without a token', async () => {
    const res = (await (await harness()).call('GET', '/templates', { token: null }));
    expect(res.status).toBe(401);
    expect(res.json.error).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('createSessionToken') });
  });

  it('refuses an expired token with session_expired, so the widget asks for a new one', async () => {
    const h = await harness();
    const res = await h.call('GET', '/templates', { token: await h.token('customer-a', ORIGIN, -10) });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('session_expired');
  });

  it('refuses a tampered token', async () => {
    const h = await harness();
    const token = await h.token();
    const [header, payload, signature] = token.split('.');
    const forged = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    forged.sub = 'customer-b';
    const res = await h.call('GET', '/templates', { token: `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}` });
    expect(res.status).toBe(401);
  });

  it("says which check a refused token failed, for the host's developer (another secret, not a token, another issuer)", async () => {
    const h = await harness();
    const message = async (token: string) => {
      const { code, message } = ((await h.call('GET', '/templates', { token })).json as { error: { code: string; message: string } }).error;
      return { code, message };
    };
    const otherSecret = await createSessionToken({ secret: 'a-different-secret-of-at-least-32-chars!', customerId: 'customer-a', allowedOrigin: ORIGIN });
    expect(await message(otherSecret)).toEqual({ code: 'unauthorized', message: expect.stringMatching(/^The session token's signature does not match this proxy's sessionSecret: the route that mints tokens \(createSessionToken\(\{ secret \}\)\) must use the same secret as createEmbedProxy/) });
    for (const garbage of ['x', 'not.a.jwt', '{"token":"abc"}']) expect(await message(garbage)).toEqual({ code: 'unauthorized', message: expect.stringMatching(/is not a session token from createSessionToken\(\)/) });
    // Signed with the right secret by something else (another issuer and audience): named, not forgeable.
    const { SignJWT } = await import('jose');
    const foreign = await new SignJWT({ origin: ORIGIN }).setProtectedHeader({ alg: 'HS256' }).setSubject('customer-a').setIssuer('someone-else').setExpirationTime('5m').sign(Uint8Array.from(new TextEncoder().encode(SESSION_SECRET)));
    expect(await message(foreign)).toEqual({ code: 'unauthorized', message: expect.stringMatching(/claim is not this kit's/) });
  });

  it('refuses a token used from another origin', async () => {
    const res = (await (await harness()).call('GET', '/templates', { origin: 'https://evil.example' }));
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('origin_not_allowed');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows the CORS preflight and echoes only the allowed origin on answers', async () => {
    const h = await harness();
    const pre = await h.proxy(new Request(`${ORIGIN}/api/embed/sources`, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } }));
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-headers')).toContain('authorization');
    const res = await h.call('GET', '/templates');
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('answers unknown paths 404 and wrong methods 405', async () => {
    const h = await harness();
    expect((await h.call('GET', '/nope')).status).toBe(404);
    expect((await h.call('DELETE', '/templates')).status).toBe(405);
  });

  it('handed a path outside its basePath (mounted at /embed, basePath left at /api/embed): a 404 telling the developer which to change', async () => {
    const h = await harness();
    const res = await h.proxy(new Request(`${ORIGIN}/embed/templates`, { headers: { authorization: `Bearer ${await h.token()}`, origin: ORIGIN } }));
    expect(res.status).toBe(404);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('host_misconfigured');
    expect(error.message).toMatch(/^The proxy received \/embed\/templates, outside its basePath \/api\/embed: mount it at \/api\/embed .*or give createEmbedProxy the basePath it is mounted at/);
  });
});
