import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AirbyteApiError, AirbyteClient } from '../../src/server/airbyteClient.ts';
import { startAirbyteEmulator, type AirbyteEmulator } from '../../src/testing/emulator.ts';
import { FaultInjector } from '../../src/testing/faults.ts';
import { emulatorClient } from './emulatorClient.ts';

describe('fault injection (in process)', () => {
  it('fails the next N matching calls with the given status, then recovers', async () => {
    const c = await emulatorClient({ faults: [{ match: 'POST /workspaces', kind: 'status', status: 503, times: 2 }] });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await c.api('POST', '/workspaces', { name: `w${i}` })).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect((await c.api('GET', '/workspaces')).json.data).toHaveLength(1);
  });

  it('answers 429 like Airbyte: a JSON message and no Retry-After', async () => {
    const c = await emulatorClient({ faults: [{ match: 'listWorkspaces', kind: 'status', status: 429 }] });
    const res = await c.api('GET', '/workspaces');
    expect(res.status).toBe(429);
    expect(res.json).toEqual({ message: 'You are being rate limited.' });
    expect(res.headers.get('retry-after')).toBeNull();
  });

  it('answers 502 with a gateway HTML page, not JSON', async () => {
    const c = await emulatorClient({ faults: [{ kind: 'status', status: 502, match: 'GET /workspaces/*' }] });
    const res = await c.api('GET', '/workspaces/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toContain('text/html');
  });

  it('fails a seeded share of calls at the given rate, the same way for the same seed', async () => {
    const run = (seed: number) => {
      const f = new FaultInjector([{ kind: 'status', status: 500, rate: 0.2 }], seed);
      return Array.from({ length: 1000 }, () => f.decide('GET', '/workspaces').kind);
    };
    const a = run(7);
    const failures = a.filter((k) => k === 'status').length;
    expect(failures).toBeGreaterThan(150);
    expect(failures).toBeLessThan(250);
    expect(run(7)).toEqual(a);
    expect(run(8)).not.toEqual(a);
  });

  it('turns a drop into a network error for in-process callers', async () => {
    const c = await emulatorClient({ faults: [{ kind: 'drop', times: 1 }] });
    await expect(c.emulator.handle(new Request('http://emulator.test/v1/health'))).rejects.toThrow(/dropped/);
    expect((await c.emulator.handle(new Request('http://emulator.test/v1/health'))).status).toBe(200);
  });
});

describe('fault injection (over the network)', () => {
  let emulator: AirbyteEmulator;
  beforeAll(async () => {
    emulator = await startAirbyteEmulator();
  });
  afterAll(() => emulator.close());

  const client = (timeoutMs = 2000) => new AirbyteClient({ baseUrl: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret, timeoutMs });

  it('drops the connection: the client sees a network failure (status 0)', async () => {
    emulator.faults.set([{ match: 'POST /workspaces', kind: 'drop', times: 1 }]);
    const error = await client().createWorkspace({ name: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AirbyteApiError);
    expect((error as AirbyteApiError).status).toBe(0);
    emulator.faults.clear();
  });

  it('hangs past the client timeout: the client gives up (status 0)', async () => {
    emulator.faults.set([{ match: 'POST /workspaces', kind: 'hang', times: 1 }]);
    const error = await client(300).createWorkspace({ name: 'x' }).catch((e: unknown) => e);
    expect((error as AirbyteApiError).status).toBe(0);
    expect(emulator.faults.fired.hang).toBe(1);
    emulator.faults.clear();
  });

  it('adds latency and still answers', async () => {
    emulator.faults.set([{ match: 'listWorkspaces', kind: 'latency', latencyMs: 200, times: 1 }]);
    const c = client();
    await c.listWorkspaces();
    expect(emulator.faults.fired.latency).toBe(1);
    emulator.faults.clear();
  });
});
