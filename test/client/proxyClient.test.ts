import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ProxyClient } from '../../src/client/proxyClient.ts';
import { EmbedError } from '../../src/shared/errors.ts';
import { freshEmbeddedStore } from '../fixtures/stores.ts';
import { harness, ORIGIN } from '../server/harness.ts';

beforeAll(() => freshEmbeddedStore(), 60_000);

async function clientWith(getSessionToken: ConstructorParameters<typeof ProxyClient>[0]['getSessionToken']) {
  const h = await harness();
  const client = new ProxyClient({
    baseUrl: `${ORIGIN}/api/embed/`,
    getSessionToken,
    fetch: async (input, init) => h.proxy(new Request(input, { ...init, headers: { ...(init?.headers as object), origin: ORIGIN } })),
  });
  return { h, client };
}

describe('ProxyClient', () => {
  it('asks the host once for a new token when several calls find the session expired at once', async () => {
    const h0 = await harness();
    const expired = await h0.token('customer-a', ORIGIN, -5);
    const fresh = await h0.token();
    const getSessionToken = vi.fn(async ({ refresh }: { refresh: boolean }) => (refresh ? fresh : expired));
    const { client } = await clientWith(getSessionToken);
    const answers = await Promise.all([client.listTemplates(), client.listSources(), client.getTemplate('stripe'), client.listTemplates()]);
    expect(answers[0].data.map((t) => t.id)).toEqual(['faker', 'stripe']);
    expect(getSessionToken.mock.calls.map(([o]) => o.refresh)).toEqual([false, true]);
  });

  it('turns a host that cannot give a token into a clear error, and asks again on the next call', async () => {
    const h0 = await harness();
    const good = await h0.token();
    let fail = true;
    const { client } = await clientWith(() => {
      if (fail) throw new Error('backend down');
      return good;
    });
    const error = await client.listTemplates().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbedError);
    // Not "your session is not valid": the host's token function failed, and the message says so.
    expect(error).toMatchObject({ code: 'session_unavailable' });
    expect((error as Error).message).toMatch(/^getSessionToken failed: backend down\. /);
    fail = false;
    expect((await client.listTemplates()).data).toHaveLength(2);
  });

  it('says what a token function returned when it is not a token (a README-style fetch that ignored res.ok)', async () => {
    for (const [returned, said] of [[undefined, 'nothing'], ['', 'an empty string'], [{ token: 'x' }, 'a object'], [null, 'null']] as const) {
      const { client } = await clientWith(() => returned as never);
      const error = (await client.listTemplates().catch((e: unknown) => e)) as EmbedError;
      expect(error.code).toBe('session_unavailable');
      expect(error.message).toContain(`getSessionToken returned ${said} instead of a token`);
    }
  });

  it('a baseUrl answered by a single-page app fallback (HTML) says to check baseUrl, not "Unexpected token <"', async () => {
    const html = () => new Response('<!doctype html><html><body>app</body></html>', { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } });
    const client = new ProxyClient({ baseUrl: 'https://app.example.com/api/embedd', getSessionToken: () => 'token', fetch: async () => html() });
    const error = (await client.listTemplates().catch((e: unknown) => e)) as EmbedError;
    expect(error.code).toBe('host_misconfigured');
    expect(error.message).toMatch(/^The proxy URL https:\/\/app\.example\.com\/api\/embedd\/templates answered 200 with text\/html.*check baseUrl/);
    // The same for an HTML 404 page.
    const notFound = new ProxyClient({ baseUrl: '/nowhere', getSessionToken: () => 'token', fetch: async () => new Response('<h1>Not found</h1>', { status: 404, headers: { 'content-type': 'text/html' } }) });
    expect(((await notFound.listSources().catch((e: unknown) => e)) as EmbedError).code).toBe('host_misconfigured');
  });

  it('a proxy on another origin that refuses this origin (CORS) is told apart from one that is down', async () => {
    const g = globalThis as { location?: unknown };
    const saved = g.location;
    g.location = { origin: 'https://app.example.com' };
    try {
      // As a browser does: a CORS request the proxy does not allow fails like a network error, and
      // only an opaque (no-cors) request to the same URL gets through.
      const refusing = new ProxyClient({ baseUrl: 'https://api.example.com/api/embed', getSessionToken: () => 'token', fetch: async (_url, init) => (init?.mode === 'no-cors' ? new Response(null, { status: 200 }) : Promise.reject(new TypeError('Failed to fetch'))) });
      const refused = (await refusing.listTemplates().catch((e: unknown) => e)) as EmbedError;
      expect(refused.code).toBe('origin_not_allowed');
      expect(refused.message).toMatch(/^The proxy at https:\/\/api\.example\.com answered, but the browser refused this page \(https:\/\/app\.example\.com\) its answer \(CORS\).*allowedOrigins/);
      const down = new ProxyClient({ baseUrl: 'https://api.example.com/api/embed', getSessionToken: () => 'token', fetch: async () => Promise.reject(new TypeError('Failed to fetch')) });
      const unreachable = (await down.listTemplates().catch((e: unknown) => e)) as EmbedError;
      expect(unreachable.code).toBe('upstream_unavailable');
      expect(unreachable.message).toMatch(/^Could not reach the proxy at https:\/\/api\.example\.com: it is down or unreachable from this page \(check baseUrl/);
    } finally {
      g.location = saved;
    }
  });

  it('asks again when a refresh another call started has failed, never sending no token', async () => {
    const h0 = await harness();
    const expired = await h0.token('customer-a', ORIGIN, -5);
    const fresh = await h0.token();
    let refreshes = 0;
    const { client } = await clientWith(async ({ refresh }) => {
      if (!refresh) return expired;
      refreshes++;
      if (refreshes === 1) throw new Error('backend hiccup');
      return fresh;
    });
    const [first, second] = await Promise.allSettled([client.listTemplates(), client.listSources()]);
    // One call fails with the host's failure; the other, or the next one, gets a fresh token.
    expect([first.status, second.status]).toContain('rejected');
    expect((await client.listTemplates()).data).toHaveLength(2);
  });

  it('reads an onboarding’s progress by its idempotency key', async () => {
    const h0 = await harness();
    const token = await h0.token();
    const { client: c } = await clientWith(() => token);
    await expect(c.getOnboarding('not-started-key')).rejects.toMatchObject({ code: 'not_found', status: 404 });
    await c.createSource({ templateId: 'faker', config: { count: 5 } }, { idempotencyKey: 'progress-key-1' });
    expect(await c.getOnboarding('progress-key-1')).toMatchObject({ status: 'succeeded', steps: expect.arrayContaining([{ step: 'sync', state: 'done' }]) });
  });
});
