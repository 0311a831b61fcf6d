/**
 * The emulator's contract with the official spec: every response of a scenario that calls every
 * emulated operation (successes and Airbyte's refusals) is checked against
 * ../shared/airbyte-api/api.yaml; and the generated spec subset the emulator ships is up to date.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EMULATED_OPERATIONS, GENERATED_FILE, generate } from '../../scripts/generate-airbyte-openapi.ts';
import type { ResponseRecord } from '../../src/testing/emulator.ts';
import { apiMissingMessage, SHARED_API_YAML } from '../fixtures/sharedSpecs.ts';
import { emulatorClient, FAKER, S3, S3_CONFIG, STRIPE } from './emulatorClient.ts';
import { loadContract } from './openapiContract.ts';

/** A small OAuth source (HubSpot's advancedAuth shape), so the scenario needs no spec files. */
const HUBSPOT_MINI = {
  id: '11111111-2222-4333-8444-555555555555',
  type: 'source' as const,
  name: 'HubSpot',
  dockerRepository: 'airbyte/source-hubspot-mini',
  dockerImageTag: '1.0.0',
  spec: { type: 'object', required: ['credentials'], properties: { credentials: { type: 'object', required: ['client_id', 'client_secret', 'refresh_token'], properties: { credentials_title: { type: 'string' }, client_id: { type: 'string' }, client_secret: { type: 'string', airbyte_secret: true }, refresh_token: { type: 'string', airbyte_secret: true } } } } },
  advancedAuth: {
    auth_flow_type: 'oauth2.0',
    oauth_config_specification: {
      complete_oauth_output_specification: { type: 'object', properties: { refresh_token: { type: 'string', path_in_connector_config: ['credentials', 'refresh_token'] } } },
      complete_oauth_server_output_specification: { type: 'object', properties: { client_id: { type: 'string', path_in_connector_config: ['credentials', 'client_id'] }, client_secret: { type: 'string', path_in_connector_config: ['credentials', 'client_secret'] } } },
    },
  },
};

async function scenario(records: ResponseRecord[]) {
  const c = await emulatorClient({ connectors: [HUBSPOT_MINI], onResponse: (r) => records.push(r), jobOutcome: ({ jobId }) => (jobId === 2 ? 'failed' : 'succeeded') });
  await c.raw('GET', '/health');
  await c.raw('POST', '/applications/token', { client_id: 'nope', client_secret: 'nope' });
  await c.raw('GET', '/workspaces');
  const { ws, source, destination } = await c.seed();
  await c.api('GET', '/workspaces?limit=1');
  await c.api('GET', `/workspaces/${ws.workspaceId}`);
  await c.api('PATCH', `/workspaces/${ws.workspaceId}`, { name: 'renamed' });
  await c.api('GET', `/sources?workspaceIds=${ws.workspaceId}`);
  await c.api('GET', `/sources/${source.sourceId}`);
  await c.api('PATCH', `/sources/${source.sourceId}`, { configuration: { seed: 1 } });
  await c.api('PUT', `/sources/${source.sourceId}`, { name: 'Faker', configuration: { count: 9 } });
  await c.api('POST', '/sources', { name: 'Stripe', workspaceId: ws.workspaceId, definitionId: STRIPE, configuration: { account_id: 'a' } });
  await c.api('GET', `/destinations?workspaceIds=${ws.workspaceId}`);
  await c.api('GET', `/destinations/${destination.destinationId}`);
  await c.api('PATCH', `/destinations/${destination.destinationId}`, { name: 'Lake 2' });
  await c.api('PUT', `/destinations/${destination.destinationId}`, { name: 'Lake 3', configuration: S3_CONFIG });
  // OAuth: a connector without advancedAuth (409), a foreign redirect (422), then consent → callback (302).
  await c.api('POST', '/sources/initiateOAuth', { sourceType: 'faker', redirectUrl: 'http://localhost:3000/cb', workspaceId: ws.workspaceId });
  await c.api('POST', '/sources/initiateOAuth', { sourceType: 'hubspot-mini', redirectUrl: 'https://evil.example/cb', workspaceId: ws.workspaceId });
  const init = (await c.api('POST', '/sources/initiateOAuth', { sourceType: 'hubspot-mini', redirectUrl: 'http://localhost:3000/cb', workspaceId: ws.workspaceId })).json;
  const consent = new URL(init.consentUrl);
  const allow = await c.raw('POST', '/oauth/consent', `state=${consent.searchParams.get('state')}&decision=allow`, { 'content-type': 'application/x-www-form-urlencoded' });
  const provider = new URL(allow.headers.get('location')!);
  const back = new URL((await c.raw('GET', `${provider.pathname.replace(/^\/v1/, '')}${provider.search}`)).headers.get('location')!);
  const hub = (await c.api('POST', '/sources', { name: 'Hub', workspaceId: ws.workspaceId, definitionId: HUBSPOT_MINI.id, secretId: back.searchParams.get('secret_id'), configuration: { credentials: { credentials_title: 'OAuth Credentials' } } })).json;
  await c.api('PATCH', `/sources/${hub.sourceId}`, { secretId: back.searchParams.get('secret_id') });
  await c.api('GET', `/streams?sourceId=${source.sourceId}`);
  const conn = (await c.api('POST', '/connections', { sourceId: source.sourceId, destinationId: destination.destinationId, schedule: { scheduleType: 'cron', cronExpression: '0 0 * * * ?' } })).json;
  await c.api('POST', '/connections', { sourceId: source.sourceId, destinationId: destination.destinationId, schedule: { scheduleType: 'cron', cronExpression: '* * * * * ?' } });
  await c.api('GET', `/connections?workspaceIds=${ws.workspaceId}`);
  await c.api('GET', `/connections/${conn.connectionId}`);
  await c.api('PATCH', `/connections/${conn.connectionId}`, { name: 'Hourly' });
  const job = (await c.api('POST', '/jobs', { connectionId: conn.connectionId, jobType: 'sync' })).json;
  await c.api('POST', '/jobs', { connectionId: conn.connectionId, jobType: 'sync' });
  c.clock.now += 5_000;
  await c.api('GET', `/jobs/${job.jobId}`);
  await c.api('DELETE', `/jobs/${job.jobId}`);
  await c.api('DELETE', `/jobs/${job.jobId}`);
  await c.api('POST', '/jobs', { connectionId: conn.connectionId, jobType: 'sync' });
  c.clock.now += 3 * 3600_000;
  await c.api('GET', `/jobs?connectionId=${conn.connectionId}&orderBy=updatedAt%7CDESC`);
  await c.api('GET', `/jobs/${job.jobId + 1}`);
  await c.api('GET', '/connector_definitions?type=source');
  await c.api('GET', `/workspaces/${ws.workspaceId}/definitions/sources`);
  await c.api('GET', `/workspaces/${ws.workspaceId}/definitions/sources/${FAKER}`);
  await c.api('GET', `/workspaces/${ws.workspaceId}/definitions/destinations`);
  await c.api('GET', `/workspaces/${ws.workspaceId}/definitions/destinations/${S3}`);
  await c.api('GET', `/sources/00000000-0000-4000-8000-000000000000`);
  // Discovers: a failing one (500), destination-aware sync modes, a namespaced catalog, tombstones.
  const wrong = (await c.api('POST', '/sources', { name: 'Bad', workspaceId: ws.workspaceId, definitionId: STRIPE, configuration: { account_id: 'a', client_secret: 'wrong' } })).json;
  await c.api('GET', `/streams?sourceId=${wrong.sourceId}`);
  await c.api('POST', '/connections', { sourceId: wrong.sourceId, destinationId: destination.destinationId });
  const pg = (await c.api('POST', '/sources', { name: 'PG', workspaceId: ws.workspaceId, definitionId: 'decd338e-5647-4c0b-adf4-da0e75f5a750', configuration: { host: 'db', port: 5432, database: 'd', username: 'u' } })).json;
  await c.api('GET', `/streams?sourceId=${pg.sourceId}&destinationId=${destination.destinationId}`);
  const inactive = (await c.api('POST', '/connections', { sourceId: pg.sourceId, destinationId: destination.destinationId, status: 'inactive', configurations: { streams: [{ name: 'orders', syncMode: 'incremental_append', cursorField: ['updated_at'] }] } })).json;
  await c.api('POST', '/jobs', { connectionId: inactive.connectionId, jobType: 'sync' });
  await c.api('DELETE', `/sources/${wrong.sourceId}`);
  await c.api('GET', `/sources/${wrong.sourceId}`);
  await c.api('GET', `/sources?workspaceIds=${ws.workspaceId}&includeDeleted=true`);
  await c.api('DELETE', `/connections/${inactive.connectionId}`);
  await c.api('GET', `/connections?workspaceIds=${ws.workspaceId}&includeDeleted=true`);
  await c.api('DELETE', `/connections/${conn.connectionId}`);
  await c.api('DELETE', `/sources/${source.sourceId}`);
  await c.api('DELETE', `/destinations/${destination.destinationId}`);
  // OAuth credentials overrides: set (200, no body), an unknown connector name (400 value-not-found), delete (204).
  const appCredentials = { actorType: 'source', name: 'hubspot-mini', configuration: { credentials: { client_id: 'app-id', client_secret: 'app-secret' } } };
  await c.api('PUT', `/workspaces/${ws.workspaceId}/oauthCredentials`, appCredentials);
  await c.api('PUT', `/workspaces/${ws.workspaceId}/oauthCredentials`, { ...appCredentials, name: 'no-such-connector' });
  await c.api('DELETE', `/workspaces/${ws.workspaceId}/oauthCredentials/source/hubspot-mini`);
  await c.api('PUT', '/organizations/00000000-0000-0000-0000-000000000000/oauthCredentials', appCredentials);
  await c.api('DELETE', '/organizations/00000000-0000-0000-0000-000000000000/oauthCredentials/source/hubspot-mini');
  await c.api('DELETE', `/workspaces/${ws.workspaceId}`);
}

/**
 * The answers airbyte-server gives outside the problem format: Micronaut Security's 401/403 JsonError
 * (DefaultAuthorizationExceptionHandler), `{errorId}` (UncaughtExceptionHandler.kt 500,
 * InvalidClientCredentialsExceptionHandler.kt 401) and `{message, errorId}` (KnownExceptionHandler.kt).
 */
function isServerRefusal(status: number, b: Record<string, unknown> | undefined): boolean {
  if (!b || typeof b !== 'object') return false;
  if ((status === 401 || status === 403) && typeof b.message === 'string' && typeof (b._links as { self?: unknown } | undefined)?.self === 'object') return true;
  if (typeof b.errorId === 'string') return Object.keys(b).every((k) => k === 'errorId' || k === 'message');
  return false;
}

describe.skipIf(!SHARED_API_YAML)(`emulator contract (${apiMissingMessage})`, () => {
  it('sends only responses the official spec describes, for every emulated operation', async () => {
    const contract = loadContract(SHARED_API_YAML!);
    expect(contract.check('GET', '/workspaces/abc', 200, { name: 'x' }), 'the checker itself must be able to fail').not.toEqual([]);
    const records: ResponseRecord[] = [];
    await scenario(records);
    const failures: string[] = [];
    for (const r of records) {
      const path = r.path.split('?')[0]!.replace(/^\/v1/, '');
      if (path === '/oauth/consent') continue; // the emulated identity provider's page, outside api.yaml
      if (r.status < 400) {
        for (const e of contract.check(r.method, path, r.status, r.body)) failures.push(`${r.method} ${path} ${r.status}: ${e}`);
      } else {
        // Airbyte's problem body: {type, title, status, detail?, data?}; or one of the server's
        // non-problem refusals (see isServerRefusal).
        const b = r.body as Record<string, unknown>;
        if (!(typeof b?.type === 'string' && typeof b.title === 'string' && b.status === r.status) && !isServerRefusal(r.status, b)) failures.push(`${r.method} ${path} ${r.status}: not a problem body`);
      }
    }
    const hit = new Set(records.map((r) => r.operationId));
    const missed = EMULATED_OPERATIONS.filter((op) => !hit.has(op));
    const statuses = [...new Set(records.map((r) => r.status))].sort();
    console.info(`contract: ${records.length} responses over ${hit.size} operations checked against api.yaml (statuses ${statuses.join(', ')})`);
    expect(failures).toEqual([]);
    expect(missed).toEqual([]);
    expect(statuses).toEqual(expect.arrayContaining([200, 204, 302, 400, 401, 403, 409, 422, 500]));
  });

  it('ships a spec subset generated from the current api.yaml (run `npm run generate:api` if not)', () => {
    expect(readFileSync(GENERATED_FILE, 'utf8')).toBe(generate(readFileSync(SHARED_API_YAML!, 'utf8')));
  });
});
