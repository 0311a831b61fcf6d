/** The emulator sends Airbyte's workspace notifications when its jobs end (by its clock), in Airbyte's shapes. */
import { describe, expect, it } from 'vitest';
import { parseNotification } from '../../src/server/webhooks/inbound.ts';
import { emulatorClient } from './emulatorClient.ts';

const HOOK = 'https://receiver.test/airbyte';

async function setup(kinds: Record<string, boolean> = { success: true, failure: true, syncDisabled: true, syncDisabledWarning: true }) {
  const received: Array<{ url: string; body: any }> = [];
  const c = await emulatorClient({ notifications: { tickMs: 0, fetch: async (input, init) => { const r = new Request(input, init); received.push({ url: r.url, body: await r.json() }); return new Response(null, { status: 200 }); } } });
  const { ws, source, destination } = await c.seed('customer-n');
  const notifications = Object.fromEntries(Object.entries(kinds).map(([k, on]) => [k, { webhook: on ? { enabled: true, url: `${HOOK}/${k}` } : { enabled: false } }]));
  expect((await c.api('PATCH', `/workspaces/${ws.workspaceId}`, { notifications })).status).toBe(200);
  const conn = (await c.api('POST', '/connections', { sourceId: source.sourceId, destinationId: destination.destinationId, name: 'Faker → Lake' })).json;
  const sync = async () => (await c.api('POST', '/jobs', { connectionId: conn.connectionId, jobType: 'sync' })).json;
  return { c, ws, source, destination, conn, received, sync };
}

describe('emulator notifications', () => {
  it('a finished sync POSTs the success message with its SyncSummary once, only after the job ends by the clock', async () => {
    const t = await setup();
    const job = await t.sync();
    t.c.clock.now += 5_000;
    expect(await t.c.emulator.notifications.flush()).toBe(0);
    t.c.clock.now += 6_000;
    expect(await t.c.emulator.notifications.flush()).toBe(1);
    expect(await t.c.emulator.notifications.flush()).toBe(0);
    expect(t.received).toHaveLength(1);
    const publicJob = (await t.c.api('GET', `/jobs/${job.jobId}`)).json;
    const [{ url, body }] = t.received as [{ url: string; body: any }];
    expect(url).toBe(`${HOOK}/success`);
    expect(body.text).toMatch(new RegExp(`^Your connection Faker → Lake from Faker to Lake succeeded\\n[\\s\\S]*Job ID: ${job.jobId}$`));
    expect(body.blocks[0].text.text).toBe(`Sync completed: <https://cloud.airbyte.com/workspaces/${t.ws.workspaceId}/connections/${t.conn.connectionId}|Faker → Lake>`);
    expect(body.data).toMatchObject({
      workspace: { id: t.ws.workspaceId, name: 'customer-n' },
      connection: { id: t.conn.connectionId, name: 'Faker → Lake' },
      source: { id: t.source.sourceId, name: 'Faker' },
      destination: { id: t.destination.destinationId, name: 'Lake' },
      jobId: job.jobId,
      startedAt: '2026-11-23T06:00:00.000Z',
      finishedAt: '2026-11-23T06:00:10.000Z',
      recordsCommitted: publicJob.rowsSynced,
      bytesCommitted: publicJob.bytesSynced,
      success: true,
      errorMessage: null,
    });
    expect(t.c.emulator.notifications.sent).toEqual([{ kind: 'success', workspaceId: t.ws.workspaceId, connectionId: t.conn.connectionId, jobId: job.jobId, status: 200 }]);
  });

  it('a failed sync sends the failure message with its reason; a disabled kind sends nothing', async () => {
    const t = await setup({ success: false, failure: true });
    t.c.emulator.faults.failJobs({ connectionId: t.conn.connectionId, times: 1, failure: { externalMessage: 'Faker crashed', failureOrigin: 'source' } });
    await t.sync();
    t.c.clock.now += 11_000;
    await t.sync(); // succeeds: no message, its kind is off
    t.c.clock.now += 11_000;
    await t.c.emulator.notifications.flush();
    expect(t.received.map((r) => r.url)).toEqual([`${HOOK}/failure`]);
    expect(t.received[0]!.body.data).toMatchObject({ success: false, errorMessage: 'Faker crashed', recordsCommitted: 0 });
    expect(t.received[0]!.body.text).toContain('just failed...\nThis happened with Faker crashed');
  });

  it('20 consecutive failures: the warning after the 10th, then the connection is inactive with the disable message', async () => {
    const t = await setup();
    t.c.emulator.faults.failJobs({ connectionId: t.conn.connectionId });
    for (let i = 0; i < 20; i++) {
      await t.sync();
      t.c.clock.now += 11_000;
      await t.c.emulator.notifications.flush();
    }
    const kinds = t.c.emulator.notifications.sent.map((s) => s.kind);
    expect(kinds.filter((k) => k === 'failure')).toHaveLength(20);
    expect(kinds.indexOf('syncDisabledWarning')).toBe(10);
    expect(kinds.at(-1)).toBe('syncDisabled');
    expect(kinds.filter((k) => k === 'syncDisabledWarning' || k === 'syncDisabled')).toEqual(['syncDisabledWarning', 'syncDisabled']);
    const warning = t.received.find((r) => r.url.endsWith('/syncDisabledWarning'))!.body;
    expect(warning.data).toBeUndefined();
    expect(warning.text).toContain(`Workspace ID: ${t.ws.workspaceId}\nConnection ID: ${t.conn.connectionId}\n`);
    expect(warning.text).toContain('is scheduled to be automatically disabled because it either failed 10 times');
    expect(t.received.at(-1)!.body.text).toContain('was automatically disabled because it failed 20 times');
    expect((await t.c.api('GET', `/connections/${t.conn.connectionId}`)).json.status).toBe('inactive');
    // The proxy's parser reads each of them back.
    expect(parseNotification(warning)).toMatchObject({ kind: 'syncDisabledWarning', workspaceId: t.ws.workspaceId, connectionId: t.conn.connectionId, reason: 'Something went wrong within the source connector' });
    expect(parseNotification(t.received.at(-1)!.body)).toMatchObject({ kind: 'syncDisabled', connectionId: t.conn.connectionId });
  });

  it('a receiver that is down is not retried (Airbyte logs and moves on)', async () => {
    const c = await emulatorClient({ notifications: { tickMs: 0, fetch: async () => { throw new TypeError('fetch failed'); } } });
    const { ws, source, destination } = await c.seed();
    await c.api('PATCH', `/workspaces/${ws.workspaceId}`, { notifications: { success: { webhook: { enabled: true, url: HOOK } } } });
    const conn = (await c.api('POST', '/connections', { sourceId: source.sourceId, destinationId: destination.destinationId })).json;
    await c.api('POST', '/jobs', { connectionId: conn.connectionId, jobType: 'sync' });
    c.clock.now += 11_000;
    await c.emulator.notifications.flush();
    await c.emulator.notifications.flush();
    expect(c.emulator.notifications.sent.map((s) => s.status)).toEqual([0]);
  });
});
