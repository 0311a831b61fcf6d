import { describe, expect, it } from 'vitest';
import { AirbyteApiError, AirbyteClient } from '../../src/server/airbyteClient.ts';
import { createAirbyteEmulatorHandler, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '../../src/testing/emulator.ts';

async function client(now: { t: number }, secret = DEFAULT_CLIENT_SECRET) {
  const emulator = await createAirbyteEmulatorHandler({ discoverMs: 0, now: () => now.t });
  const c = new AirbyteClient({ baseUrl: 'http://emu/v1', clientId: DEFAULT_CLIENT_ID, clientSecret: secret, fetch: async (i, init) => emulator.handle(new Request(i, init)), now: () => now.t });
  return { c, calls: emulator.calls };
}

describe('AirbyteClient', () => {
  it('keeps each default for an option passed as undefined (an unset variable handed on), and retries a 5xx a bounded number of times', async () => {
    const emulator = await createAirbyteEmulatorHandler({ discoverMs: 0 });
    let workspaceCalls = 0;
    const c = new AirbyteClient({
      baseUrl: 'http://emu/v1',
      clientId: DEFAULT_CLIENT_ID,
      clientSecret: DEFAULT_CLIENT_SECRET,
      timeoutMs: undefined,
      retries: undefined,
      retryDelayMs: 1,
      now: undefined,
      fetch: async (i, init) => {
        const request = new Request(i, init);
        if (new URL(request.url).pathname.endsWith('/workspaces')) {
          workspaceCalls++;
          return new Response('{}', { status: 503 });
        }
        return emulator.handle(request);
      },
    });
    expect((await c.createWorkspace({ name: 'a' }).catch((e: unknown) => e)) instanceof AirbyteApiError).toBe(true);
    // One try and the default 3 retries (a POST without an idempotent outcome may retry only on 503).
    expect(workspaceCalls).toBeGreaterThan(0);
    expect(workspaceCalls).toBeLessThanOrEqual(4);
  });

  it('reuses the access token until a minute before it expires, then fetches a new one', async () => {
    const now = { t: 0 };
    const { c, calls } = await client(now);
    await c.createWorkspace({ name: 'a' });
    now.t += 800_000;
    await c.createWorkspace({ name: 'b' });
    now.t += 50_000; // 850 s: inside the refresh margin
    await c.createWorkspace({ name: 'c' });
    expect(calls.filter((x) => x.path.endsWith('/applications/token'))).toHaveLength(2);
  });

  it('fetches a new token once when Airbyte answers 401 (e.g. a revoked token)', async () => {
    const now = { t: 0 };
    const { c, calls } = await client(now);
    await c.createWorkspace({ name: 'a' });
    now.t += 901_000; // expired upstream but the cache thinks it expired too → refresh
    await c.createWorkspace({ name: 'b' });
    expect(calls.filter((x) => x.path.endsWith('/applications/token'))).toHaveLength(2);
  });

  it('fails with a safe message when the credentials are wrong', async () => {
    const { c } = await client({ t: 0 }, 'wrong-secret-canary');
    const error = await c.createWorkspace({ name: 'a' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AirbyteApiError);
    expect((error as AirbyteApiError).status).toBe(401);
    expect(String((error as Error).message)).toBe('Airbyte answered 401 during token exchange');
    expect(String((error as Error).message)).not.toContain('wrong-secret-canary');
  });

  it('reports an unreachable Airbyte as status 0', async () => {
    const c = new AirbyteClient({ baseUrl: 'http://127.0.0.1:1/v1', clientId: 'x', clientSecret: 'y' });
    const error = (await c.createWorkspace({ name: 'a' }).catch((e: unknown) => e)) as AirbyteApiError;
    expect(error.status).toBe(0);
    expect(error.message).toContain('could not be reached');
  });
});
