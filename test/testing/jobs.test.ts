import { describe, expect, it } from 'vitest';
import { emulatorClient } from './emulatorClient.ts';

async function withConnection(options: Parameters<typeof emulatorClient>[0] = {}, connection: Record<string, unknown> = {}) {
  const c = await emulatorClient(options);
  const { source, destination, ws } = await c.seed();
  // Faker has 3 streams and suggests none, so a connection without configurations would sync nothing.
  const conn = (await c.api('POST', '/connections', { sourceId: source.sourceId, destinationId: destination.destinationId, configurations: { streams: [{ name: 'users' }] }, ...connection })).json;
  return { c, conn, ws };
}

describe('emulator: jobs', () => {
  it('moves a sync pending → running → succeeded over the job duration, with rows and bytes', async () => {
    const { c, conn } = await withConnection();
    const job = (await c.api('POST', '/jobs', { connectionId: conn.connectionId, jobType: 'sync' })).json;
    const seen: string[] = [job.status];
    for (let i = 0; i < 4; i++) {
      c.clock.now += 3_000;
      seen.push((await c.api('GET', `/jobs/${job.jobId}`)).json.status);
    }
    expect(seen).toEqual(['pending', 'running', 'running', 'running', 'succeeded']);
    expect((await c.api('GET', `/jobs/${job.jobId}`)).json).toMatchObject({ rowsSynced: 100, bytesSynced: 18700, duration: 'PT10S', lastUpdatedAt: '2026-11-23T06:00:10Z' });
  });

  it('lets a job fail, showing incomplete (retrying) before failed', async () => {
    const { c, conn } = await withConnection({ jobOutcome: () => 'failed' });
    const job = (await c.api('POST', '/jobs', { connectionId: conn.connectionId, jobType: 'sync' })).json;
    c.clock.now += 7_000;
    expect((await c.api('GET', `/jobs/${job.jobId}`)).json.status).toBe('incomplete');
    c.clock.now += 5_000;
    expect((await c.api('GET', `/jobs/${job.jobId}`)).json.status).toBe('failed');
  });

  it('refuses a second job while one runs (409 try-again-later), allows one after', async () => {
    const { c, conn } = await withConnection();
    await c.api('POST', '/jobs', { connectionId: conn.connectionId, jobType: 'sync' });
    const again = await c.api('POST', '/jobs', { connectionId: conn.connectionId, jobType: 'reset' });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ title: 'try-again-later', data: { message: `A sync is already running for: ${conn.connectionId}` } });
    c.clock.now += 10_000;
    expect((await c.api('POST', '/jobs', { connectionId: conn.connectionId, jobType: 'clear' })).json.jobType).toBe('clear');
  });

  it('cancels a running job; cancelling a finished one is a 409 state-conflict', async () => {
    const { c, conn } = await withConnection();
    const job = (await c.api('POST', '/jobs', { connectionId: conn.connectionId, jobType: 'sync' })).json;
    c.clock.now += 2_000;
    expect((await c.api('DELETE', `/jobs/${job.jobId}`)).json.status).toBe('cancelled');
    const again = await c.api('DELETE', `/jobs/${job.jobId}`);
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ title: 'state-conflict', data: { message: 'Job is not currently running' } });
  });

  it('filters and orders the job list', async () => {
    const { c, conn, ws } = await withConnection();
    for (const jobType of ['sync', 'reset', 'sync']) {
      await c.api('POST', '/jobs', { connectionId: conn.connectionId, jobType });
      c.clock.now += 10_000;
    }
    const all = (await c.api('GET', `/jobs?connectionId=${conn.connectionId}&orderBy=createdAt%7CDESC`)).json.data;
    expect(all.map((j: { jobId: number }) => j.jobId)).toEqual([3, 2, 1]);
    expect((await c.api('GET', `/jobs?workspaceIds=${ws.workspaceId}&jobType=reset`)).json.data).toHaveLength(1);
    expect((await c.api('GET', '/jobs?status=succeeded&limit=2')).json.data).toHaveLength(2);
    expect((await c.api('GET', '/jobs?createdAtStart=2026-11-23T06:00:05Z')).json.data).toHaveLength(2);
  });
});

describe('emulator: cron schedules', () => {
  it('starts a sync at every hourly run as the clock passes it, stamped at the due time', async () => {
    const { c, conn } = await withConnection({}, { schedule: { scheduleType: 'cron', cronExpression: '0 0 * * * ?' } });
    c.clock.now = Date.parse('2026-11-23T09:30:00Z');
    const jobs = (await c.api('GET', `/jobs?connectionId=${conn.connectionId}`)).json.data;
    expect(jobs.map((j: { startTime: string }) => j.startTime)).toEqual(['2026-11-23T07:00:00Z', '2026-11-23T08:00:00Z', '2026-11-23T09:00:00Z']);
    expect(jobs.every((j: { status: string }) => j.status === 'succeeded')).toBe(true);
  });

  it('skips a run while the previous job is still running, as Airbyte does', async () => {
    const { c, conn } = await withConnection({ jobDurationMs: 90 * 60_000 }, { schedule: { scheduleType: 'cron', cronExpression: '0 0 * * * ?' } });
    c.clock.now = Date.parse('2026-11-23T10:30:00Z');
    const jobs = (await c.api('GET', `/jobs?connectionId=${conn.connectionId}`)).json.data;
    // 07:00 runs until 08:30, so 08:00 is skipped; 09:00 runs until 10:30 and 10:00 is skipped.
    expect(jobs.map((j: { startTime: string }) => j.startTime)).toEqual(['2026-11-23T07:00:00Z', '2026-11-23T09:00:00Z']);
  });

  it('runs no schedule for an inactive or manual connection', async () => {
    const { c, conn } = await withConnection({}, { schedule: { scheduleType: 'cron', cronExpression: '0 0 * * * ?' }, status: 'inactive' });
    c.clock.now += 5 * 3600_000;
    expect((await c.api('GET', `/jobs?connectionId=${conn.connectionId}`)).json.data).toEqual([]);
  });
});

/** `POST /api/v1/jobs/<variant>` on the self-managed Config API, with the client's token. */
async function configJob(c: Awaited<ReturnType<typeof emulatorClient>>, variant: string, id: number) {
  const { access_token } = (await c.raw('POST', '/applications/token', { client_id: 'emulator-client-id', client_secret: 'emulator-client-secret' })).json;
  const res = await c.emulator.handle(new Request(`http://emulator.test/api/v1/jobs/${variant}`, { method: 'POST', headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' }, body: JSON.stringify({ id }) }));
  return { status: res.status, json: (await res.json()) as any };
}

describe('emulator: why a job failed (Config API jobs/get, JobConverter.getJobInfoRead)', () => {
  it('gives each failed attempt a failureSummary with the reason jobOutcome chose; the public JobResponse has none', async () => {
    const failure = { externalMessage: 'Invalid API key: the key was revoked.', failureOrigin: 'source', failureType: 'config_error', retryable: false } as const;
    const { c, conn } = await withConnection({ jobOutcome: () => ({ status: 'failed', failure }) });
    const job = (await c.api('POST', '/jobs', { connectionId: conn.connectionId, jobType: 'sync' })).json;
    c.clock.now += 7_000;
    // Incomplete: the first attempt failed, the retry runs.
    const midway = await configJob(c, 'get', job.jobId);
    expect(midway.json.job).toMatchObject({ id: job.jobId, configType: 'sync', configId: conn.connectionId, status: 'incomplete', enabledStreams: [{ name: 'users' }] });
    expect(midway.json.attempts.map((a: { attempt: { status: string } }) => a.attempt.status)).toEqual(['failed', 'running']);
    c.clock.now += 5_000;
    const done = await configJob(c, 'get', job.jobId);
    expect(done.status).toBe(200);
    expect(done.json.job).toMatchObject({ status: 'failed', createdAt: Date.parse('2026-11-23T06:00:00Z') / 1000, updatedAt: Date.parse('2026-11-23T06:00:10Z') / 1000 });
    expect(done.json.attempts).toHaveLength(2);
    const last = done.json.attempts[1];
    expect(last.attempt).toMatchObject({ id: 1, status: 'failed', endedAt: Date.parse('2026-11-23T06:00:10Z') / 1000 });
    // Seconds for the attempt's times, milliseconds for the failure's timestamp (JobConverter.getFailureReason).
    expect(last.attempt.failureSummary).toEqual({ failures: [{ ...failure, timestamp: Date.parse('2026-11-23T06:00:10Z') }], partialSuccess: false });
    expect(last).toMatchObject({ logType: 'formatted', logs: { logLines: expect.arrayContaining([expect.stringContaining(failure.externalMessage)]) } });
    // get_without_logs: the same attempts without logs; get_light: the job only.
    const noLogs = await configJob(c, 'get_without_logs', job.jobId);
    expect(noLogs.json.attempts[1]).toEqual({ attempt: last.attempt });
    expect(noLogs.json.job.aggregatedStats).toMatchObject({ recordsCommitted: 0 });
    expect(await configJob(c, 'get_light', job.jobId)).toMatchObject({ status: 200, json: { job: { id: job.jobId, status: 'failed' } } });
    expect((await configJob(c, 'get_light', job.jobId)).json.attempts).toBeUndefined();
    const pub = (await c.api('GET', `/jobs/${job.jobId}`)).json;
    expect(Object.keys(pub).sort()).toEqual(['bytesSynced', 'connectionId', 'duration', 'jobId', 'jobType', 'lastUpdatedAt', 'rowsSynced', 'startTime', 'status']);
  });

  it("gives a plain 'failed' Airbyte's generic source failure (FailureHelper.sourceFailure), a cancel the cancellation reason, a success none", async () => {
    const outcomes = ['failed', 'succeeded', 'succeeded'] as const;
    const { c, conn } = await withConnection({ jobOutcome: ({ jobId }) => outcomes[jobId - 1]! });
    const failed = (await c.api('POST', '/jobs', { connectionId: conn.connectionId, jobType: 'sync' })).json;
    c.clock.now += 10_000;
    expect((await configJob(c, 'get', failed.jobId)).json.attempts[0].attempt.failureSummary.failures).toEqual([
      { failureOrigin: 'source', externalMessage: 'Something went wrong within the source connector', timestamp: Date.parse('2026-11-23T06:00:06Z') },
    ]);
    const ok = (await c.api('POST', '/jobs', { connectionId: conn.connectionId, jobType: 'sync' })).json;
    c.clock.now += 10_000;
    const okInfo = (await configJob(c, 'get', ok.jobId)).json;
    expect(okInfo.attempts).toHaveLength(1);
    expect(okInfo.attempts[0].attempt).toMatchObject({ id: 0, status: 'succeeded', recordsSynced: 100, totalStats: { recordsCommitted: 100 } });
    expect(okInfo.attempts[0].attempt.failureSummary).toBeUndefined();
    const cancelled = (await c.api('POST', '/jobs', { connectionId: conn.connectionId, jobType: 'sync' })).json;
    c.clock.now += 3_000;
    await c.api('DELETE', `/jobs/${cancelled.jobId}`);
    const info = (await configJob(c, 'get', cancelled.jobId)).json;
    expect(info.job.status).toBe('cancelled');
    expect(info.attempts[0].attempt.failureSummary.failures[0]).toMatchObject({ failureType: 'manual_cancellation', externalMessage: 'This attempt was cancelled' });
  });

  it('answers an unknown job id with 500 {errorId} (DefaultJobPersistence.getJob’s RuntimeException, UncaughtExceptionHandler) as the instance admin, 403 on Cloud', async () => {
    const selfManaged = await emulatorClient({ deployment: 'self-managed' });
    expect(await configJob(selfManaged, 'get', 4242)).toEqual({ status: 500, json: { errorId: expect.any(String) } });
    const cloud = await emulatorClient();
    expect(await configJob(cloud, 'get', 4242)).toMatchObject({ status: 403, json: { message: 'Forbidden' } });
  });
});
