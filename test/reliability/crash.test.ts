/**
 * Scenario 4: the proxy process is killed (SIGKILL) at each step of an onboarding in turn, once
 * while Airbyte has not answered and once just after it did; after a restart the same request
 * (same idempotency key) completes with nothing duplicated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AirbyteClient } from '../../src/server/airbyteClient.ts';
import { createSessionToken } from '../../src/server/sessionToken.ts';
import { startAirbyteEmulator, type AirbyteEmulator, type ResponseRecord } from '../../src/testing/emulator.ts';
import { FULL, report } from './figures.ts';
import { sharedProxyStore, startProxyProcess, type ProxyChild } from './proxyChild.ts';

const SECRET = 'crash-test-session-secret-0123456789abcdef';
const ORIGIN = 'https://app.example.com';
const STEPS = FULL ? ['workspaces', 'sources', 'destinations', 'connections', 'jobs'] : ['sources', 'connections'];
const MOMENTS = FULL ? (['before Airbyte answered', 'after Airbyte answered'] as const) : (['before Airbyte answered'] as const);

let emulator: AirbyteEmulator;
let onResponse: (r: ResponseRecord) => void = () => undefined;
let storeEnv: Record<string, string>;
let cleanupStore: () => Promise<void>;

beforeAll(async () => {
  emulator = await startAirbyteEmulator({ jobDurationMs: 600_000, discoverMs: 0, onResponse: (r) => onResponse(r) });
  const store = await sharedProxyStore('crash');
  storeEnv = store.env;
  cleanupStore = store.cleanup;
});
afterAll(async () => {
  await emulator.close();
  await cleanupStore();
});

function startProxy(): Promise<ProxyChild> {
  return startProxyProcess({ ...storeEnv, EMULATOR_URL: emulator.url, SESSION_SECRET: SECRET });
}

async function submit(url: string, customerId: string, key: string) {
  const token = await createSessionToken({ secret: SECRET, customerId, allowedOrigin: ORIGIN });
  return fetch(`${url}/api/embed/sources`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, origin: ORIGIN, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ templateId: 'faker', config: { count: 7 } }),
  });
}

describe('scenario 4: proxy crashes', () => {
  it('completes the same request after a SIGKILL at every step, with no duplicate', async () => {
    const rows = [];
    const airbyte = new AirbyteClient({ baseUrl: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret });
    let run = 0;
    for (const step of STEPS) {
      for (const moment of MOMENTS) {
        const customerId = `crash-${step}-${run++}`;
        const key = `crash-key-${run}-${step}`;
        let proxy = await startProxy();
        const callsBefore = emulator.calls.length;
        const killed = new Promise<void>((resolve, reject) => {
          setTimeout(() => reject(new Error(`the onboarding never reached POST /${step}`)), 30_000);
          const kill = () => {
            proxy.child.kill('SIGKILL');
            resolve();
          };
          if (moment === 'before Airbyte answered') {
            emulator.faults.set([{ match: `POST /${step}`, kind: 'hang', times: 1 }]);
            const timer = setInterval(() => {
              if (emulator.calls.slice(callsBefore).some((c) => c.method === 'POST' && c.path.endsWith(`/${step}`))) {
                clearInterval(timer);
                kill();
              }
            }, 5);
          } else {
            onResponse = (r) => {
              if (r.method === 'POST' && r.path.split('?')[0]!.endsWith(`/${step}`) && r.status < 300) {
                onResponse = () => undefined;
                kill();
              }
            };
          }
        });
        const first = submit(proxy.url, customerId, key).catch((e: Error) => e);
        await killed;
        await first;
        emulator.faults.clear();
        if (proxy.child.exitCode === null && proxy.child.signalCode === null) await new Promise((r) => proxy.child.once('exit', r));
        proxy = await startProxy();
        const retry = await submit(proxy.url, customerId, key);
        proxy.child.kill('SIGKILL');
        const workspaces = (await airbyte.listWorkspaces()).filter((w) => w.name === customerId);
        const ws = workspaces[0]?.workspaceId ?? 'none';
        const [sources, destinations, connections, jobs] = await Promise.all([
          airbyte.listSources(ws),
          airbyte.listDestinations(ws),
          airbyte.listConnections(ws),
          airbyte.listConnections(ws).then(async (cs) => (await Promise.all(cs.map((c) => airbyte.listJobs(c.connectionId, 10)))).flat()),
        ]);
        const counts = [workspaces.length, sources.length, destinations.length, connections.length, jobs.length];
        rows.push({ scenario: '4 crash', check: `killed at POST /${step}, ${moment}`, tried: 1, held: retry.status === 201 && counts.every((n) => n === 1) ? 1 : 0, note: `retry ${retry.status}; workspaces/sources/destinations/connections/jobs = ${counts.join('/')}` });
      }
    }
    report('4 crash', rows);
    expect(rows.map((r) => [r.check, r.held, r.note])).toEqual(rows.map((r) => [r.check, 1, expect.stringContaining('1/1/1/1/1')]));
  }, 600_000);
});
