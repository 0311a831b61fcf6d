/**
 * Issue 19's "done when": the demo (`npm start`) registers its own receiver with the operator API,
 * and a customer's connect and syncs reach it as signed events it verifies with `verifyWebhook`:
 * source.connected, sync.started, sync.succeeded (from Airbyte's success notification) and
 * sync.failed (from its failure notification), each once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startDemo } from '../../demo/server.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'aek-demo-webhooks-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('demo webhooks', () => {
  it("the demo customer's connect, a successful and a failed sync arrive at the demo's receiver, verified, once each", async () => {
    const demo = await startDemo({ dataDir, quiet: true, operatorKey: `demo-operator-test-${crypto.randomUUID()}`, jobDurationMs: 500 });
    try {
      const origin = demo.url.replace(/\/$/, '');
      const { token } = (await (await fetch(`${demo.url}demo/session`, { method: 'POST' })).json()) as { token: string };
      const call = (method: string, p: string, body?: unknown) =>
        fetch(`${demo.url}api/embed${p}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', origin }, body: body === undefined ? undefined : JSON.stringify(body) });
      const created = await call('POST', '/sources', { templateId: 'faker', config: { count: 10 } });
      expect(created.status).toBe(201);
      const { source, connections } = (await created.json()) as { source: { sourceId: string }; connections: Array<{ connection: { connectionId: string } }> };
      const connectionId = connections[0]!.connection.connectionId;
      const types = () => demo.webhookEvents.map((e) => e.type);
      await vi.waitFor(() => expect(types()).toEqual(expect.arrayContaining(['source.connected', 'sync.started', 'sync.succeeded'])), { timeout: 30_000, interval: 200 });

      demo.emulator.faults.failJobs({ connectionId, times: 1 });
      const sync = await call('POST', `/connections/${connectionId}/sync`);
      expect(sync.status).toBeLessThan(300);
      await vi.waitFor(() => expect(types()).toContain('sync.failed'), { timeout: 30_000, interval: 200 });

      const byType = (type: string) => demo.webhookEvents.filter((e) => e.type === type);
      expect(byType('source.connected')).toHaveLength(1);
      expect(byType('sync.succeeded')).toHaveLength(1);
      expect(byType('sync.failed')).toHaveLength(1);
      for (const e of demo.webhookEvents) expect(e.customerId).toBe('acme-customer-42');
      expect(byType('source.connected')[0]!.data).toMatchObject({ sourceId: source.sourceId });
      expect(byType('sync.succeeded')[0]!.data).toMatchObject({ sourceId: source.sourceId, connectionId });
      expect(byType('sync.failed')[0]!.data).toMatchObject({ sourceId: source.sourceId, connectionId });
      expect(new Set(demo.webhookEvents.map((e) => e.id)).size).toBe(demo.webhookEvents.length);
    } finally {
      await demo.close();
    }
  });
});
