import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAirbyteEmulator, type AirbyteEmulator } from '../../src/testing/emulator.ts';

const FAKER = 'dfd88b22-b603-4c3d-aad7-3701784586b1';
const S3 = '4816b78f-1489-44c1-9060-4b19d5fa9362';
const S3_CONFIG = { s3_bucket_name: 'b', s3_bucket_path: 'p', s3_bucket_region: 'us-east-1', format: { format_type: 'Parquet' } };

let emulator: AirbyteEmulator;
/** The same emulator answering as self-managed Community (instance-admin tokens). */
let selfManaged: AirbyteEmulator;
const clock = { now: Date.parse('2026-11-23T06:00:00Z') };

async function api(method: string, path: string, body?: unknown, token?: string, on: AirbyteEmulator = emulator) {
  const res = await fetch(`${on.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const json = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined;
  return { status: res.status, json };
}

async function token(on: AirbyteEmulator = emulator) {
  const res = await api('POST', '/applications/token', { client_id: on.clientId, client_secret: on.clientSecret, 'grant-type': 'client_credentials' }, undefined, on);
  return res.json.access_token as string;
}

beforeAll(async () => {
  emulator = await startAirbyteEmulator({ jobDurationMs: 10_000, discoverMs: 0, now: () => clock.now });
  selfManaged = await startAirbyteEmulator({ deployment: 'self-managed', discoverMs: 0, now: () => clock.now });
});
afterAll(async () => {
  await emulator.close();
  await selfManaged.close();
});

describe('startAirbyteEmulator', () => {
  it('issues 900-second bearer tokens for the right client credentials only', async () => {
    const ok = await api('POST', '/applications/token', { client_id: emulator.clientId, client_secret: emulator.clientSecret });
    expect(ok.json).toMatchObject({ token_type: 'Bearer', expires_in: 900, access_token: expect.any(String) });
    // Cloud (Keycloak): InvalidClientCredentialsExceptionHandler.kt, 401 with only an error id.
    const bad = await api('POST', '/applications/token', { client_id: emulator.clientId, client_secret: 'wrong' });
    expect(bad.status).toBe(401);
    expect(bad.json).toEqual({ errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    // Self-managed Community (ApplicationServiceMicronautImpl.kt): BadRequestException, 400.
    const simple = await api('POST', '/applications/token', { client_id: 'nope', client_secret: selfManaged.clientSecret }, undefined, selfManaged);
    expect(simple.status).toBe(400);
    expect(simple.json).toEqual({ message: 'Invalid client id or token', errorId: expect.any(String) });
  });

  it('refuses calls without a valid token, and after the token expires', async () => {
    expect((await api('GET', '/workspaces')).status).toBe(401);
    const t = await token();
    expect((await api('GET', '/workspaces', undefined, t)).status).toBe(200);
    clock.now += 901_000;
    expect((await api('GET', '/workspaces', undefined, t)).status).toBe(401);
  });

  it('runs the onboarding calls: workspace, source, destination, cron connection, sync job', async () => {
    const t = await token();
    const ws = await api('POST', '/workspaces', { name: 'customer-1' }, t);
    expect(ws.json).toMatchObject({ name: 'customer-1', workspaceId: expect.any(String) });
    const src = await api('POST', '/sources', { name: 'Faker', workspaceId: ws.json.workspaceId, definitionId: 'dfd88b22-b603-4c3d-aad7-3701784586b1', configuration: { count: 100 } }, t);
    expect(src.status).toBe(200);
    const dst = await api('POST', '/destinations', { name: 'Lake', workspaceId: ws.json.workspaceId, definitionId: '4816b78f-1489-44c1-9060-4b19d5fa9362', configuration: { s3_bucket_name: 'b', s3_bucket_path: 'p', s3_bucket_region: 'us-east-1', format: { format_type: 'Parquet' } } }, t);
    const conn = await api('POST', '/connections', { sourceId: src.json.sourceId, destinationId: dst.json.destinationId, schedule: { scheduleType: 'cron', cronExpression: '0 15 2 * * ? UTC' }, configurations: { streams: [{ name: 'users' }] } }, t);
    // ConnectionReadMapper.kt reads the cron back as "<expression> <time zone>".
    expect(conn.json).toMatchObject({ name: 'Faker <> Lake', schedule: { scheduleType: 'cron', cronExpression: '0 15 2 * * ? UTC' }, status: 'active', nonBreakingSchemaUpdatesBehavior: 'ignore' });
    const job = await api('POST', '/jobs', { connectionId: conn.json.connectionId, jobType: 'sync' }, t);
    expect(job.json).toMatchObject({ status: 'pending', jobType: 'sync', jobId: expect.any(Number) });
    const again = await api('POST', '/jobs', { connectionId: conn.json.connectionId, jobType: 'sync' }, t);
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ title: 'try-again-later', data: { message: `A sync is already running for: ${conn.json.connectionId}` } });
    clock.now += 5_000;
    expect((await api('GET', `/jobs/${job.json.jobId}`, undefined, t)).json).toMatchObject({ status: 'running', rowsSynced: 50 });
    clock.now += 5_000;
    const done = await api('GET', `/jobs/${job.json.jobId}`, undefined, t);
    expect(done.json).toMatchObject({ status: 'succeeded', rowsSynced: 100, duration: 'PT10S', lastUpdatedAt: expect.any(String) });
    const list = await api('GET', `/jobs?connectionId=${conn.json.connectionId}&orderBy=createdAt%7CDESC`, undefined, t);
    expect(list.json.data).toHaveLength(1);
    const dests = await api('GET', `/destinations?workspaceIds=${ws.json.workspaceId}`, undefined, t);
    expect(dests.json.data.map((d: { name: string }) => d.name)).toEqual(['Lake']);
  });

  it.each([
    ['0 * * * * ?', 'every minute'],
    ['* 0 * * * ?', 'every second'],
    ['0 0 * * *', 'five fields'],
    ['', 'missing'],
  ])('refuses the cron expression "%s" (%s) with a 400 as Airbyte does', async (cronExpression) => {
    const t = await token();
    const ws = await api('POST', '/workspaces', { name: 'cron' }, t);
    const src = await api('POST', '/sources', { workspaceId: ws.json.workspaceId, definitionId: FAKER, configuration: {}, name: 's' }, t);
    const dst = await api('POST', '/destinations', { workspaceId: ws.json.workspaceId, definitionId: S3, configuration: S3_CONFIG, name: 'd' }, t);
    const res = await api('POST', '/connections', { sourceId: src.json.sourceId, destinationId: dst.json.destinationId, schedule: { scheduleType: 'cron', cronExpression } }, t);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ title: 'bad-request', data: { message: expect.stringMatching(/cron expression/i) } });
  });

  it('pages lists with limit/offset and absolute next/previous URLs', async () => {
    const t = await token();
    for (let i = 0; i < 3; i++) await api('POST', '/workspaces', { name: `page-${i}` }, t);
    const first = await api('GET', '/workspaces?limit=2', undefined, t);
    expect(first.json.data).toHaveLength(2);
    expect(first.json.previous).toBe('');
    expect(first.json.next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/workspaces\?limit=2&offset=2$/);
    expect((await api('GET', '/workspaces?limit=101', undefined, t)).status).toBe(400);
  });

  it('answers unknown ids with 403 on Cloud (no workspace to grant a role) and 404 resource-not-found self-managed', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const cloud = await api('GET', `/sources/${id}`, undefined, await token());
    expect(cloud.status).toBe(403);
    expect(cloud.json).toMatchObject({ title: 'forbidden', data: { message: 'Caller does not have the required permissions to access the resource(s).' } });
    const res = await api('GET', `/sources/${id}`, undefined, await token(selfManaged), selfManaged);
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ title: 'resource-not-found', data: { resourceType: 'SOURCE_CONNECTION', resourceId: id } });
  });

  it.each(['/workspaces/constructor', '/sources/toString', '/destinations/hasOwnProperty', '/connections/__proto__'])('finds nothing at %s (an id that every JavaScript object has)', async (path) => {
    expect((await api('GET', path, undefined, await token())).status).toBe(403);
    const res = await api('GET', path, undefined, await token(selfManaged), selfManaged);
    expect(res.status).toBe(404);
    expect(res.json.title).toBe('resource-not-found');
  });
});
