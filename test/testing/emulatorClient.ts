/** A tiny client for emulator tests: in-process handler, automatic token, JSON in and out. */
import { createAirbyteEmulatorHandler, type AirbyteEmulatorOptions } from '../../src/testing/emulator.ts';

export const FAKER = 'dfd88b22-b603-4c3d-aad7-3701784586b1';
export const STRIPE = 'e094cb9a-26de-4645-8761-65c0c425d1de';
export const S3 = '4816b78f-1489-44c1-9060-4b19d5fa9362';
export const S3_CONFIG = { s3_bucket_name: 'lake', s3_bucket_path: 'raw', s3_bucket_region: 'us-east-1', format: { format_type: 'Parquet' } };
export const BASE = 'http://emulator.test/v1';

export async function emulatorClient(options: AirbyteEmulatorOptions = {}) {
  const clock = { now: Date.parse('2026-11-23T06:00:00Z') };
  const emulator = await createAirbyteEmulatorHandler({ now: () => clock.now, jobDurationMs: 10_000, discoverMs: 0, ...options });
  let token: string | undefined;

  async function raw(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await emulator.handle(
      new Request(`${BASE}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        redirect: 'manual',
      }),
    );
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, headers: res.headers };
  }

  async function api(method: string, path: string, body?: unknown): ReturnType<typeof raw> {
    if (!token) {
      const t = await raw('POST', '/applications/token', { client_id: 'emulator-client-id', client_secret: 'emulator-client-secret', 'grant-type': 'client_credentials' });
      token = t.json.access_token;
    }
    const res = await raw(method, path, body, { authorization: `Bearer ${token}` });
    if (res.status !== 401) return res;
    token = undefined; // expired as the test clock moved: get a new one, as real clients do
    return api(method, path, body);
  }

  /** Workspace + Faker source + S3 destination, the usual starting point. */
  async function seed(name = 'customer') {
    const ws = (await api('POST', '/workspaces', { name })).json;
    const source = (await api('POST', '/sources', { name: 'Faker', workspaceId: ws.workspaceId, definitionId: FAKER, configuration: { count: 100 } })).json;
    const destination = (await api('POST', '/destinations', { name: 'Lake', workspaceId: ws.workspaceId, definitionId: S3, configuration: S3_CONFIG })).json;
    return { ws, source, destination };
  }

  return { emulator, clock, raw, api, seed, resetToken: () => (token = undefined) };
}
