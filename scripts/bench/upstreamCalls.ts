/**
 * Upstream calls per onboarding, counted at the emulator: the proxy's cost to the customer's
 * Airbyte quota and the latency floor of "Connect". The minimum: a returning customer (workspace
 * and destination known) creates a source, checks it (one discover, which also lists the sync
 * modes), creates a connection and starts a sync; a new customer also creates a workspace and,
 * once the check passed, a destination, whose sync modes take a second (cached) discover; the
 * access token is fetched once and reused.
 */
import templatesJson from '../../demo/templates.json';
import { AirbyteClient } from '../../src/server/airbyteClient.ts';
import { createEmbedProxy } from '../../src/server/proxy.ts';
import { createSessionToken } from '../../src/server/sessionToken.ts';
import { createEmbeddedStore } from '../../src/server/store/proxyStore.ts';
import { parseTemplates } from '../../src/server/templates.ts';
import { createAirbyteEmulatorHandler, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '../../src/testing/emulator.ts';
import type { Row } from './report.ts';

const ORIGIN = 'https://app.example.com';
const SECRET = 'bench-session-secret-0123456789abcdef0123456789';

export async function measureUpstreamCalls(): Promise<Row[]> {
  const emulator = await createAirbyteEmulatorHandler({ jobDurationMs: 60_000, discoverMs: 0 });
  const airbyte = new AirbyteClient({ baseUrl: 'http://emulator.bench/v1', clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, fetch: (input, init) => emulator.handle(new Request(input, init)) });
  const store = createEmbeddedStore();
  const proxy = createEmbedProxy({ airbyte, sessionSecret: SECRET, store, templates: parseTemplates(structuredClone(templatesJson)), rateLimit: false, log: () => undefined });
  const onboard = async (customerId: string, templateId: string, config: Record<string, unknown>) => {
    const token = await createSessionToken({ secret: SECRET, customerId, allowedOrigin: ORIGIN });
    const before = emulator.calls.length;
    const res = await proxy(
      new Request(`${ORIGIN}/api/embed/sources`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, origin: ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify({ templateId, config }),
      }),
    );
    if (res.status !== 201) throw new Error(`onboarding failed: ${res.status} ${await res.text()}`);
    return emulator.calls.slice(before).map((c) => `${c.method} ${c.path.split('?')[0]!.replace(/^\/v1/, '')}`);
  };
  const first = await onboard('bench-first', 'faker', { count: 10 });
  const returning = await onboard('bench-first', 'stripe', { account_id: 'acct_1', client_secret: 'sk_test_1' });
  const fresh = await onboard('bench-new', 'faker', { count: 10 });
  await store.close();
  emulator.close();
  const row = (name: string, calls: string[], minimum: number, note: string): Row => ({
    section: 'calls',
    name,
    kit: calls.length,
    baseline: minimum,
    unit: 'calls',
    ratio: calls.length / minimum,
    goal: '= the minimum',
    met: calls.length === minimum,
    note: `${calls.join(', ')}${note ? `; ${note}` : ''}`,
  });
  return [
    row('returning customer', returning, 4, ''),
    row('new customer', fresh, 7, 'the access token from before is reused'),
    {
      ...row('first customer of a new store', first, 8, ''),
      goal: '',
      met: true,
      note: `${first.join(', ')}; minimum + the token + one list of workspaces in the store's life (adopts those that exist)`,
    },
  ];
}
