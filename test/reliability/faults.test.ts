/**
 * Scenario 1: Airbyte fails ~20% of calls (429, 500, 503, dropped connections, hangs past the
 * client's timeout) while many onboardings run, each retried by its client with the same
 * idempotency key. Nothing may be duplicated or orphaned, and no upstream fault may surface as a 500.
 */
import { describe, expect, it } from 'vitest';
import { AirbyteClient } from '../../src/server/airbyteClient.ts';
import { createEmbedProxy } from '../../src/server/proxy.ts';
import { createSessionToken } from '../../src/server/sessionToken.ts';
import { parseTemplates } from '../../src/server/templates.ts';
import { createAirbyteEmulatorHandler, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '../../src/testing/emulator.ts';
import templatesJson from '../../demo/templates.json';
import { freshEmbeddedStore } from '../fixtures/stores.ts';
import { report, size } from './figures.ts';

const ORIGIN = 'https://app.example.com';
const SECRET = 'reliability-session-secret-0123456789abcdef';

describe('scenario 1: upstream faults', () => {
  it('loses nothing and duplicates nothing while 20% of Airbyte calls fail', async () => {
    const onboardings = size(60, 500);
    const customers = Math.ceil(onboardings / 5);
    const emulator = await createAirbyteEmulatorHandler({
      discoverMs: 0,
      jobDurationMs: 60_000,
      seed: 7,
      faults: [
        { kind: 'status', status: 429, rate: 0.06 },
        { kind: 'status', status: 500, rate: 0.05 },
        { kind: 'status', status: 503, rate: 0.04 },
        { kind: 'drop', rate: 0.03 },
        { kind: 'hang', rate: 0.03 },
      ],
    });
    const airbyte = new AirbyteClient({
      baseUrl: 'http://emulator.test/v1',
      clientId: DEFAULT_CLIENT_ID,
      clientSecret: DEFAULT_CLIENT_SECRET,
      fetch: (input, init) => emulator.handle(new Request(input, init)),
      timeoutMs: 150,
      // Discovers hang like any call here; in production they get minutes.
      discoverTimeoutMs: 150,
      retryDelayMs: 2,
    });
    const statuses: Record<number, number> = {};
    const proxy = createEmbedProxy({ airbyte, sessionSecret: SECRET, store: await freshEmbeddedStore(), templates: parseTemplates(structuredClone(templatesJson)), log: () => undefined, rateLimit: false });

    async function onboard(i: number) {
      const customerId = `fault-customer-${i % customers}`;
      const token = await createSessionToken({ secret: SECRET, customerId, allowedOrigin: ORIGIN });
      const key = `fault-onboarding-${i}`;
      for (let attempt = 1; attempt <= 40; attempt++) {
        const res = await proxy(
          new Request(`${ORIGIN}/api/embed/sources`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, origin: ORIGIN, 'content-type': 'application/json', 'idempotency-key': key },
            body: JSON.stringify({ templateId: 'faker', config: { count: 10 + i } }),
          }),
        );
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        const body = (await res.json()) as { error?: { message: string } };
        if (res.status === 201) return { ok: true, attempts: attempt };
        if (res.status < 500 && res.status !== 429) return { ok: false, attempts: attempt, final: body.error?.message };
      }
      return { ok: false, attempts: 40, final: 'gave up after 40 attempts' };
    }

    const results: Array<Awaited<ReturnType<typeof onboard>>> = [];
    const queue = Array.from({ length: onboardings }, (_, i) => i);
    await Promise.all(Array.from({ length: 16 }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) results.push(await onboard(i));
    }));

    // Count what Airbyte holds, with faults off.
    emulator.faults.clear();
    const list = async (p: string) => {
      const all: any[] = [];
      for (let offset = 0; ; offset += 100) {
        const page = await airbyte['call']<{ data: any[] }>('GET', `${p}${p.includes('?') ? '&' : '?'}limit=100&offset=${offset}`, undefined, 'count');
        all.push(...page.data);
        if (page.data.length < 100) return all;
      }
    };
    const [workspaces, sources, destinations, connections] = await Promise.all(['/workspaces', '/sources', '/destinations', '/connections'].map(list));
    const succeeded = results.filter((r) => r.ok).length;
    const workspaceNames = workspaces!.map((w) => w.name);
    const duplicateWorkspaces = workspaceNames.length - new Set(workspaceNames).size;
    const destinationsPerWorkspace = new Map<string, number>();
    for (const d of destinations!) destinationsPerWorkspace.set(d.workspaceId, (destinationsPerWorkspace.get(d.workspaceId) ?? 0) + 1);
    const duplicateDestinations = [...destinationsPerWorkspace.values()].reduce((n, c) => n + c - 1, 0);
    const connected = new Set(connections!.map((c) => c.sourceId));
    const orphans = sources!.filter((s) => !connected.has(s.sourceId)).length;
    const connectionsPerSource = new Map<string, number>();
    for (const c of connections!) connectionsPerSource.set(c.sourceId, (connectionsPerSource.get(c.sourceId) ?? 0) + 1);
    const duplicateConnections = [...connectionsPerSource.values()].reduce((n, c) => n + c - 1, 0);
    const upstreamCalls = emulator.calls.length;
    const fired = Object.values(emulator.faults.fired).reduce((a, b) => a + b, 0);

    report('1 faults', [
      { scenario: '1 faults', check: 'onboardings complete or ended with a clear error', tried: onboardings, held: results.filter((r) => r.ok || r.final).length, note: `${succeeded} completed, ${Math.round((fired / upstreamCalls) * 100)}% of ${upstreamCalls} upstream calls failed, ${results.reduce((n, r) => n + r.attempts, 0)} submits` },
      { scenario: '1 faults', check: 'no duplicate workspace', tried: workspaces!.length, held: workspaces!.length - duplicateWorkspaces },
      { scenario: '1 faults', check: 'one source per completed onboarding', tried: succeeded, held: sources!.length === succeeded ? succeeded : 0, note: `${sources!.length} sources` },
      { scenario: '1 faults', check: 'no duplicate destination or connection', tried: destinations!.length + connections!.length, held: destinations!.length + connections!.length - duplicateDestinations - duplicateConnections },
      { scenario: '1 faults', check: 'no orphan source (source without connection)', tried: sources!.length, held: sources!.length - orphans },
      { scenario: '1 faults', check: 'proxy answers without a 500', tried: Object.values(statuses).reduce((a, b) => a + b, 0), held: Object.values(statuses).reduce((a, b) => a + b, 0) - (statuses[500] ?? 0), note: JSON.stringify(statuses) },
    ]);
    expect(fired / upstreamCalls).toBeGreaterThan(0.12);
    expect(results.every((r) => r.ok || r.final)).toBe(true);
    expect(succeeded).toBe(onboardings);
    expect(duplicateWorkspaces).toBe(0);
    expect(workspaces!.length).toBe(customers);
    expect(sources!.length).toBe(succeeded);
    expect(duplicateDestinations + duplicateConnections).toBe(0);
    expect(orphans).toBe(0);
    expect(statuses[500] ?? 0).toBe(0);
  }, 600_000);
});
