/**
 * The same-origin check behind the deployments the proxy meets: TLS ending at nginx or a load
 * balancer (the proxy sees http:// and an inner host), `next start` (request.url says localhost).
 * A same-origin GET carries no Origin header, so the proxy must know its public origin. (The Vite
 * dev proxy is driven in Chromium: test/e2e/deployments.test.ts.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { freshEmbeddedStore } from '../fixtures/stores.ts';
import { harness, ORIGIN } from './harness.ts';

beforeAll(() => freshEmbeddedStore(), 60_000);

/** A same-origin GET as a browser sends it, arriving at `innerUrl` with `headers` (what the proxy in front set). */
async function sameOriginGet(h: Awaited<ReturnType<typeof harness>>, innerUrl: string, headers: Record<string, string>) {
  const res = await h.proxy(new Request(`${innerUrl}/api/embed/templates`, { headers: { authorization: `Bearer ${await h.token()}`, 'sec-fetch-site': 'same-origin', ...headers } }));
  return { status: res.status, body: (await res.json()) as { error?: { message: string } } };
}

// nginx: `proxy_set_header Host $host; X-Forwarded-Proto $scheme; X-Forwarded-Host $host` in front of http://10.0.0.5:3000.
const nginx = { host: 'app.example.com', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'app.example.com', 'x-forwarded-for': '203.0.113.9' };

describe('the proxy knows its public origin', () => {
  it('behind TLS termination: refused with a message naming the fix, until publicOrigin or trustProxy is set', async () => {
    const plain = await sameOriginGet(await harness(), 'http://10.0.0.5:3000', nginx);
    expect(plain.status).toBe(403);
    expect(plain.body.error?.message).toMatch(/publicOrigin|trustProxy/);
    // The other way this happens (a token minted for localhost, the page on 127.0.0.1) is named too.
    expect(plain.body.error?.message).toMatch(/mint the token with allowedOrigin 'http:\/\/app\.example\.com'/);
    // …and the development one: Vite's server.proxy string shorthand, which rewrites Host.
    expect(plain.body.error?.message).toMatch(/Vite's server\.proxy, use the object form with changeOrigin: false/);
    expect((await sameOriginGet(await harness({ proxy: { trustProxy: true } }), 'http://10.0.0.5:3000', nginx)).status).toBe(200);
    expect((await sameOriginGet(await harness({ proxy: { publicOrigin: ORIGIN } }), 'http://10.0.0.5:3000', { host: '10.0.0.5:3000' })).status).toBe(200);
  });

  it('trusts forwarded headers only when told to: a client cannot claim an origin by sending them', async () => {
    const forged = await sameOriginGet(await harness(), 'http://proxy.internal:3000', { host: 'proxy.internal:3000', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'app.example.com' });
    expect(forged.status).toBe(403);
  });

  it('reads RFC 7239 Forwarded too', async () => {
    const res = await sameOriginGet(await harness({ proxy: { trustProxy: true } }), 'http://10.0.0.5:3000', { host: '10.0.0.5:3000', forwarded: 'for=203.0.113.9;proto=https;host=app.example.com' });
    expect(res.status).toBe(200);
  });

  it('under `next start`, where request.url says localhost: the Host the browser sent, or publicOrigin', async () => {
    // Plain http on a real host name: Host alone is enough.
    const h = await harness();
    const res = await h.proxy(new Request('http://localhost:3000/api/embed/templates', { headers: { authorization: `Bearer ${await h.token('c', 'http://shop.example:3000')}`, 'sec-fetch-site': 'same-origin', host: 'shop.example:3000' } }));
    expect(res.status).toBe(200);
    // Behind TLS, publicOrigin.
    expect((await sameOriginGet(await harness({ proxy: { publicOrigin: ORIGIN } }), 'http://localhost:3000', { host: 'localhost:3000' })).status).toBe(200);
  });

  it('refuses a publicOrigin that is not an origin', async () => {
    await expect(harness({ proxy: { publicOrigin: 'https://app.example.com/embed' } })).rejects.toThrow(/origin/);
  });

  it('refuses templates in another shape (a JavaScript host passing the list itself), saying what to pass', async () => {
    await expect(harness({ proxy: { templates: [] as never } })).rejects.toThrow('createEmbedProxy: templates must be { sources: [...], connections: [...] }, as loadTemplatesFile(path) or parseTemplates(json) returns; got an array.');
    await expect(harness({ proxy: { templates: { connections: [] } as never } })).rejects.toThrow(/got an object with "connections"\.$/);
  });
});
