import { beforeAll, describe, expect, it } from 'vitest';
import { freshEmbeddedStore } from '../fixtures/stores.ts';
import { harness, ORIGIN } from './harness.ts';

beforeAll(() => freshEmbeddedStore(), 60_000);

describe('proxy security', () => {
  it('rate-limits each customer separately, answering 429 with Retry-After', async () => {
    const h = await harness({ proxy: { rateLimit: { points: 3, durationSeconds: 60 } } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await h.call('GET', '/templates')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await h.call('GET', '/templates');
    expect(limited.json.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await h.call('GET', '/templates', { token: await h.token('customer-b') })).status).toBe(200);
  });

  it('answers CORS only for allowed origins', async () => {
    const h = await harness({ proxy: { allowedOrigins: [ORIGIN] } });
    const preflight = (origin: string) =>
      h.proxy(new Request(`${ORIGIN}/api/embed/sources`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } }));
    expect((await preflight(ORIGIN)).headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    const other = await h.call('GET', '/templates', { token: await h.token('c', 'https://other.example'), origin: 'https://other.example' });
    expect(other.status).toBe(403);
  });

  it('answers its ping to any origin, saying only whether that origin is allowed (what a preflight tells anyone)', async () => {
    const ping = async (h: Awaited<ReturnType<typeof harness>>, origin: string) => {
      const res = await h.proxy(new Request(`${ORIGIN}/api/embed/ping`, { headers: { origin } }));
      return { status: res.status, cors: res.headers.get('access-control-allow-origin'), body: (await res.json()) as unknown };
    };
    const strict = await harness({ proxy: { allowedOrigins: [ORIGIN] } });
    expect(await ping(strict, 'https://evil.example')).toEqual({ status: 200, cors: '*', body: { service: 'airbyte-embed-kit', originAllowed: false } });
    expect((await ping(strict, ORIGIN)).body).toEqual({ service: 'airbyte-embed-kit', originAllowed: true });
    expect((await ping(await harness(), 'https://any.example')).body).toEqual({ service: 'airbyte-embed-kit', originAllowed: true });
    // Only GET: nothing else at this path.
    const post = await strict.proxy(new Request(`${ORIGIN}/api/embed/ping`, { method: 'POST', headers: { origin: ORIGIN } }));
    expect(post.status).toBe(404);
    expect(post.headers.get('access-control-allow-origin')).not.toBe('*');
  });

  it('refuses a body over the limit with 413 before parsing it', async () => {
    const h = await harness({ proxy: { maxBodyBytes: 1000 } });
    const res = await h.call('POST', '/sources', { body: { templateId: 'faker', config: { count: 1 }, name: 'x'.repeat(2000) } });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe('payload_too_large');
  });

  it('logs one structured line per request with a request id, and no secrets', async () => {
    const h = await harness();
    const res = await h.call('POST', '/sources', { body: { templateId: 'stripe', config: { account_id: 'a', client_secret: 'sk_live_log_canary' } }, headers: { 'x-request-id': 'req-123' } });
    expect(res.headers.get('x-request-id')).toBe('req-123');
    const entry = h.logs.find((l) => l.requestId === 'req-123' && l.message === 'request');
    expect(entry).toMatchObject({ level: 'info', method: 'POST', path: '/api/embed/sources', status: 201, customerId: 'customer-a', durationMs: expect.any(Number) });
    await h.call('POST', '/sources', { body: { templateId: 'stripe', config: { account_id: 5, client_secret: 'sk_live_log_canary' } } });
    expect(JSON.stringify(h.logs)).not.toContain('sk_live_log_canary');
    expect(JSON.stringify(h.logs)).not.toContain('emulator-client-secret');
  });
});
