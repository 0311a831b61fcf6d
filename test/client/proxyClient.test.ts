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
    for (const [returned, said] of [[undefined, 'nothing'], ['', 'an empty string'], [{ token: 'x' }, 'an object'], [null, 'null']] as const) {
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

  it('a proxy on another origin whose answers the browser refuses (CORS) asks its ping why: origin not allowed, token for another origin, or down', async () => {
    const g = globalThis as { location?: unknown };
    const saved = g.location;
    g.location = { origin: 'https://app.example.com' };
    // As a browser does: every call fails like a network error; only the ping (readable from any origin) may answer.
    const client = (ping: (() => Response) | undefined) => {
      const calls: string[] = [];
      const c = new ProxyClient({
        baseUrl: 'https://api.example.com/api/embed',
        getSessionToken: () => 'token',
        fetch: async (url) => {
          calls.push(String(url));
          if (String(url).endsWith('/ping') && ping) return ping();
          throw new TypeError('Failed to fetch');
        },
      });
      return { c, calls };
    };
    const answer = (originAllowed: boolean) => () => Response.json({ service: 'airbyte-embed-kit', originAllowed });
    try {
      const refused = client(answer(false));
      const notAllowed = (await refused.c.listTemplates().catch((e: unknown) => e)) as EmbedError;
      expect(notAllowed.code).toBe('origin_not_allowed');
      expect(notAllowed.message).toMatch(/^The proxy at https:\/\/api\.example\.com is up but does not allow this page's origin https:\/\/app\.example\.com \(CORS\).*allowedOrigins/);
      // Asked once for a burst of failures, not once per call.
      await refused.c.listSources().catch(() => undefined);
      expect(refused.calls.filter((u) => u.endsWith('/ping'))).toHaveLength(1);

      const allowed = (await client(answer(true)).c.listTemplates().catch((e: unknown) => e)) as EmbedError;
      expect(allowed.code).toBe('upstream_unavailable');
      expect(allowed.message).toMatch(/is up and allows this origin, but the browser could not read its answer to GET \/api\/embed\/templates: usually a session token minted for another origin \(mint it with allowedOrigin https:\/\/app\.example\.com\)/);

      // Something that is not the proxy (a load balancer's error page) answering the ping counts as no answer.
      for (const ping of [undefined, () => new Response('<h1>502</h1>', { status: 502 })]) {
        const down = (await client(ping).c.listTemplates().catch((e: unknown) => e)) as EmbedError;
        expect(down.code).toBe('upstream_unavailable');
        expect(down.message).toMatch(/^Could not reach the proxy at https:\/\/api\.example\.com: it is down or unreachable from this page \(check baseUrl/);
      }
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
