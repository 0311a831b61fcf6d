import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AirbyteClient } from '../../src/server/airbyteClient.ts';
import { startAirbyteEmulator } from '../../src/testing/emulator.ts';
import { S3, S3_CONFIG } from './emulatorClient.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('emulator: persistence', () => {
  it('keeps workspaces, sources, connections and jobs across a restart with a data dir', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'aek-emu-'));
    dirs.push(dataDir);
    const first = await startAirbyteEmulator({ dataDir, port: 0, jobDurationMs: 600_000, discoverMs: 0 });
    const client = new AirbyteClient({ baseUrl: first.url, clientId: first.clientId, clientSecret: first.clientSecret });
    const ws = await client.createWorkspace({ name: 'acme' });
    const src = await client.createSource({ name: 'Faker', workspaceId: ws.workspaceId, definitionId: 'dfd88b22-b603-4c3d-aad7-3701784586b1', configuration: { count: 5 } });
    const dst = await client.createDestination({ name: 'Lake', workspaceId: ws.workspaceId, definitionId: S3, configuration: S3_CONFIG });
    const conn = await client.createConnection({ sourceId: src.sourceId, destinationId: dst.destinationId });
    const job = await client.createJob({ connectionId: conn.connectionId, jobType: 'sync' });
    const port = Number(new URL(first.url).port);
    await first.close();

    const second = await startAirbyteEmulator({ dataDir, port, jobDurationMs: 600_000, discoverMs: 0 });
    try {
      // Same client, old token: the restarted emulator refuses it and the client fetches a new one.
      expect((await client.listWorkspaces()).map((w) => w.name)).toEqual(['acme']);
      expect((await client.getConnection(conn.connectionId)).sourceId).toBe(src.sourceId);
      expect((await client.listJobs(conn.connectionId)).map((j) => j.jobId)).toEqual([job.jobId]);
      // The persisted job still runs, so a second sync is refused as before the restart.
      const next = await client.createJob({ connectionId: conn.connectionId, jobType: 'sync' }).catch((e: unknown) => e);
      expect(next).toMatchObject({ status: 409 });
    } finally {
      await second.close();
    }
  });

  it('starts empty without a data dir', async () => {
    const e = await startAirbyteEmulator();
    const client = new AirbyteClient({ baseUrl: e.url, clientId: e.clientId, clientSecret: e.clientSecret });
    expect(await client.listWorkspaces()).toEqual([]);
    await e.close();
  });
});
