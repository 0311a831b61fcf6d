/** `npm start` keeps its customers across restarts: the emulator's data dir plus the proxy's lookup by name. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDemo } from '../../demo/server.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'aek-demo-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function onboardOnce(count: number) {
  const demo = await startDemo({ dataDir, quiet: true });
  try {
    const origin = demo.url.replace(/\/$/, '');
    const { token } = (await (await fetch(`${demo.url}demo/session`, { method: 'POST' })).json()) as { token: string };
    const res = await fetch(`${demo.url}api/embed/sources`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', origin },
      body: JSON.stringify({ templateId: 'faker', config: { count } }),
    });
    expect(res.status).toBe(201);
    const auth = (await (
      await fetch(`${demo.emulator.url}/applications/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: demo.emulator.clientId, client_secret: demo.emulator.clientSecret }),
      })
    ).json()) as { access_token: string };
    const get = async (p: string) => ((await (await fetch(`${demo.emulator.url}${p}`, { headers: { authorization: `Bearer ${auth.access_token}` } })).json()) as { data: unknown[] }).data;
    return { workspaces: await get('/workspaces'), sources: await get('/sources'), destinations: await get('/destinations') };
  } finally {
    await demo.close();
  }
}

describe('demo restarts', () => {
  it('keeps the customer’s workspace, sources and destination across a restart', async () => {
    const before = await onboardOnce(10);
    expect(before.sources).toHaveLength(1);
    const after = await onboardOnce(20);
    expect(after.workspaces).toHaveLength(1);
    expect(after.destinations).toHaveLength(1);
    expect(after.sources).toHaveLength(2);
  });
});
