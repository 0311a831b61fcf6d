import { describe, expect, it } from 'vitest';
import { SHARED_SPECS, specsMissingMessage } from '../fixtures/sharedSpecs.ts';
import { emulatorClient, FAKER, S3, S3_CONFIG, STRIPE } from './emulatorClient.ts';

describe('emulator: request validation by the OpenAPI spec', () => {
  it.each([
    ['POST', '/workspaces', {}, /name/],
    ['POST', '/sources', { name: 'x', workspaceId: 'not-a-uuid', configuration: {} }, /workspaceId/],
    ['GET', '/sources?limit=500', undefined, /limit/],
    ['POST', '/jobs', { connectionId: '00000000-0000-4000-8000-000000000000', jobType: 'explode' }, /jobType/],
  ])('refuses %s %s that the spec forbids with 400 bad-request naming the field', async (method, path, body, field) => {
    // As the instance admin: on Cloud a @Secured create naming no live workspace is refused (403) before validation.
    const c = await emulatorClient({ deployment: 'self-managed' });
    const res = await c.api(method, path, body);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ title: 'bad-request', status: 400 });
    expect(res.json.data.message).toMatch(field);
  });

  it('answers an unknown path 404 and a wrong method 405, in the problem shape', async () => {
    const c = await emulatorClient();
    expect((await c.api('GET', '/nothing-here')).json).toMatchObject({ title: 'resource-not-found', status: 404 });
    expect((await c.api('PUT', '/jobs')).status).toBe(405);
  });
});

describe('emulator: workspaces', () => {
  it('creates, reads, renames and deletes a workspace', async () => {
    const c = await emulatorClient();
    const ws = (await c.api('POST', '/workspaces', { name: 'acme' })).json;
    expect((await c.api('PATCH', `/workspaces/${ws.workspaceId}`, { name: 'acme-renamed' })).json.name).toBe('acme-renamed');
    expect((await c.api('GET', `/workspaces/${ws.workspaceId}`)).json.name).toBe('acme-renamed');
    expect((await c.api('DELETE', `/workspaces/${ws.workspaceId}`)).status).toBe(204);
    // Cloud: the deleted workspace has no organization any more, so no role (see airbyteBehaviour's workspace tests).
    expect((await c.api('GET', `/workspaces/${ws.workspaceId}`)).status).toBe(403);
  });
});

describe('emulator: sources and destinations', () => {
  it('validates the configuration against the connector spec (422 as Airbyte)', async () => {
    const c = await emulatorClient();
    const ws = (await c.api('POST', '/workspaces', { name: 'a' })).json;
    const res = await c.api('POST', '/sources', { name: 'Stripe', workspaceId: ws.workspaceId, definitionId: STRIPE, configuration: { account_id: 'acct_1' } });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ title: 'unprocessable-entity', data: { message: expect.stringContaining('client_secret') } });
  });

  it('refuses an unknown definition with 404, and resolves configuration.sourceType', async () => {
    const c = await emulatorClient();
    const ws = (await c.api('POST', '/workspaces', { name: 'a' })).json;
    const unknown = await c.api('POST', '/sources', { name: 'x', workspaceId: ws.workspaceId, definitionId: '00000000-0000-4000-8000-000000000000', configuration: {} });
    expect(unknown.status).toBe(404);
    const byType = await c.api('POST', '/sources', { name: 'f', workspaceId: ws.workspaceId, configuration: { sourceType: 'faker', count: 5 } });
    expect(byType.json).toMatchObject({ definitionId: FAKER, sourceType: 'faker' });
  });

  it('masks secrets on every read, and keeps the stored secret when the mask is sent back', async () => {
    const c = await emulatorClient();
    const ws = (await c.api('POST', '/workspaces', { name: 'a' })).json;
    const created = await c.api('POST', '/sources', { name: 'Stripe', workspaceId: ws.workspaceId, definitionId: STRIPE, configuration: { account_id: 'acct_1', client_secret: 'sk_live_canary' } });
    expect(created.json.configuration).toEqual({ account_id: 'acct_1', client_secret: '**********' });
    const id = created.json.sourceId;
    const patched = await c.api('PATCH', `/sources/${id}`, { configuration: { account_id: 'acct_2', client_secret: '**********' } });
    expect(patched.json.configuration).toEqual({ account_id: 'acct_2', client_secret: '**********' });
    for (const path of [`/sources/${id}`, `/sources?workspaceIds=${ws.workspaceId}`]) expect((await c.api('GET', path)).text).not.toContain('sk_live_canary');
    // The stored value survived: a PUT that sends the mask is still valid (a missing secret would be a 422).
    const put = await c.api('PUT', `/sources/${id}`, { name: 'Stripe 2', configuration: { account_id: 'acct_3', client_secret: '**********' } });
    expect(put.status).toBe(200);
    expect(put.json.name).toBe('Stripe 2');
    const replaced = await c.api('PATCH', `/sources/${id}`, { configuration: { client_secret: 'sk_new' } });
    expect(replaced.status).toBe(200);
  });

  it('PUT replaces the configuration while PATCH merges it', async () => {
    const c = await emulatorClient();
    const { source } = await c.seed();
    await c.api('PATCH', `/sources/${source.sourceId}`, { configuration: { seed: 7 } });
    expect((await c.api('GET', `/sources/${source.sourceId}`)).json.configuration).toEqual({ count: 100, seed: 7 });
    await c.api('PUT', `/sources/${source.sourceId}`, { name: 'Faker', configuration: { count: 3 } });
    expect((await c.api('GET', `/sources/${source.sourceId}`)).json.configuration).toEqual({ count: 3 });
  });

  it('lists by workspace and deletes a source with its connections', async () => {
    const c = await emulatorClient();
    const a = await c.seed('a');
    await c.seed('b');
    const conn = (await c.api('POST', '/connections', { sourceId: a.source.sourceId, destinationId: a.destination.destinationId })).json;
    expect((await c.api('GET', `/sources?workspaceIds=${a.ws.workspaceId}`)).json.data).toHaveLength(1);
    expect((await c.api('GET', '/sources')).json.data).toHaveLength(2);
    expect((await c.api('GET', `/destinations?workspaceIds=${a.ws.workspaceId}`)).json.data).toHaveLength(1);
    expect((await c.api('DELETE', `/sources/${a.source.sourceId}`)).status).toBe(204);
    // Deletes are tombstones (SourceHandler.kt deleteSource): the connection reads back deprecated.
    expect((await c.api('GET', `/connections/${conn.connectionId}`)).json.status).toBe('deprecated');
    expect((await c.api('PATCH', `/destinations/${a.destination.destinationId}`, { name: 'Lake 2' })).json.name).toBe('Lake 2');
    expect((await c.api('DELETE', `/destinations/${a.destination.destinationId}`)).status).toBe(204);
  });

  it('completes OAuth: consent URL → callback redirect with secret_id → source created with the tokens', async () => {
    const oauthSource = {
      id: '11111111-2222-4333-8444-555555555555',
      type: 'source' as const,
      name: 'HubSpot',
      dockerRepository: 'airbyte/source-hubspot',
      dockerImageTag: '4.0.0',
      spec: {
        type: 'object',
        required: ['credentials'],
        properties: {
          credentials: {
            type: 'object',
            required: ['credentials_title', 'access_token'],
            properties: { credentials_title: { type: 'string', const: 'OAuth Credentials' }, access_token: { type: 'string', airbyte_secret: true }, refresh_token: { type: 'string', airbyte_secret: true } },
          },
        },
      },
      advancedAuth: {
        auth_flow_type: 'oauth2.0',
        oauth_config_specification: {
          complete_oauth_output_specification: {
            type: 'object',
            properties: { access_token: { type: 'string', path_in_connector_config: ['credentials', 'access_token'] }, refresh_token: { type: 'string', path_in_connector_config: ['credentials', 'refresh_token'] } },
          },
        },
      },
    };
    const c = await emulatorClient({ connectors: [oauthSource], oauthRedirectOrigins: ['https://app.example.com'] });
    const ws = (await c.api('POST', '/workspaces', { name: 'a' })).json;
    // A redirect to any other site is refused: the consent step must not be an open redirect.
    expect((await c.api('POST', '/sources/initiateOAuth', { sourceType: 'hubspot', redirectUrl: 'https://evil.example/steal', workspaceId: ws.workspaceId })).status).toBe(422);
    const init = await c.api('POST', '/sources/initiateOAuth', { sourceType: 'hubspot', redirectUrl: 'https://app.example.com/oauth/done', workspaceId: ws.workspaceId });
    expect(init.status).toBe(200);
    const consent = new URL(init.json.consentUrl);
    expect((await c.raw('GET', `${consent.pathname.replace(/^\/v1/, '')}${consent.search}`)).text).toContain('Allow Acme Insights to access your HubSpot account?');
    const allow = await c.raw('POST', '/oauth/consent', `state=${consent.searchParams.get('state')}&decision=allow`, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(allow.status).toBe(303);
    const provider = new URL(allow.headers.get('location')!);
    const callback = await c.raw('GET', `${provider.pathname.replace(/^\/v1/, '')}${provider.search}`);
    expect(callback.status).toBe(302);
    const redirect = new URL(callback.headers.get('location')!);
    expect(redirect.origin + redirect.pathname).toBe('https://app.example.com/oauth/done');
    const secretId = redirect.searchParams.get('secret_id')!;
    const source = await c.api('POST', '/sources', { name: 'HubSpot', workspaceId: ws.workspaceId, definitionId: oauthSource.id, secretId, configuration: { credentials: { credentials_title: 'OAuth Credentials' } } });
    expect(source.status).toBe(200);
    expect(source.json.configuration.credentials).toEqual({ credentials_title: 'OAuth Credentials', access_token: '**********', refresh_token: '**********' });
    const reused = await c.api('POST', '/sources', { name: 'x', workspaceId: (await c.api('POST', '/workspaces', { name: 'b' })).json.workspaceId, definitionId: oauthSource.id, secretId, configuration: {} });
    expect(reused.status).toBe(400);
  });
});

describe('emulator: connections and streams', () => {
  it.each([
    [[{ name: 'nope' }], /^No streams found with name \[nope\] and namespace \[null\]/],
    [[{ name: 'users' }, { name: 'users' }], /^Duplicate stream found in configuration for stream name \[users\] in namespace \[null\]\.$/],
    [[{ name: 'users', syncMode: 'incremental_append', cursorField: ['not_a_field'] }], /^Cursor Field \[not_a_field\] is already defined by source for stream: users\./],
    [[{ name: 'users', selectedFields: [{ fieldPath: ['nope'] }] }], /^Invalid fields selected for stream users\. The list of valid field names includes: \[id, name, email, created_at, updated_at\]\.$/],
  ])('refuses invalid stream configurations %j', async (streams, message) => {
    const c = await emulatorClient();
    const { source, destination } = await c.seed();
    const res = await c.api('POST', '/connections', { sourceId: source.sourceId, destinationId: destination.destinationId, configurations: { streams } });
    expect(res.status).toBe(400);
    expect(res.json.data.message).toMatch(message);
  });

  it('refuses a sync mode the stream does not support', async () => {
    const c = await emulatorClient();
    const ws = (await c.api('POST', '/workspaces', { name: 'a' })).json;
    const stripe = (await c.api('POST', '/sources', { name: 'S', workspaceId: ws.workspaceId, definitionId: STRIPE, configuration: { account_id: 'a', client_secret: 's' } })).json;
    const dest = (await c.api('POST', '/destinations', { name: 'L', workspaceId: ws.workspaceId, definitionId: S3, configuration: S3_CONFIG })).json;
    const res = await c.api('POST', '/connections', { sourceId: stripe.sourceId, destinationId: dest.destinationId, configurations: { streams: [{ name: 'balance_transactions', syncMode: 'incremental_append' }] } });
    expect(res.status).toBe(400);
    expect(res.json.data.message).toMatch(/sync mode/);
  });

  it('patches schedule (re-validated), streams, name and status; deletes', async () => {
    const c = await emulatorClient();
    const { source, destination } = await c.seed();
    const conn = (await c.api('POST', '/connections', { sourceId: source.sourceId, destinationId: destination.destinationId, nonBreakingSchemaUpdatesBehavior: 'propagate_columns' })).json;
    expect((await c.api('PATCH', `/connections/${conn.connectionId}`, { schedule: { scheduleType: 'cron', cronExpression: '0 * * * * ?' } })).status).toBe(400);
    const patched = await c.api('PATCH', `/connections/${conn.connectionId}`, {
      name: 'Nightly',
      status: 'inactive',
      schedule: { scheduleType: 'cron', cronExpression: '0 30 1 * * ?' },
      configurations: { streams: [{ name: 'users', syncMode: 'incremental_append' }] },
    });
    expect(patched.json).toMatchObject({ name: 'Nightly', status: 'inactive', schedule: { scheduleType: 'cron', cronExpression: '0 30 1 * * ? UTC' }, nonBreakingSchemaUpdatesBehavior: 'propagate_columns' });
    expect(patched.json.configurations.streams).toHaveLength(1);
    expect((await c.api('GET', `/connections?workspaceIds=${conn.workspaceId}`)).json.data).toHaveLength(1);
    expect((await c.api('DELETE', `/connections/${conn.connectionId}`)).status).toBe(204);
  });
});

describe('emulator: definitions', () => {
  it('lists connector definitions by type and per workspace', async () => {
    const c = await emulatorClient();
    const sources = (await c.api('GET', '/connector_definitions?type=source')).json.data;
    expect(sources.map((d: { name: string }) => d.name)).toEqual(['Postgres', 'Sample Data', 'Stripe']);
    const ws = (await c.api('POST', '/workspaces', { name: 'a' })).json;
    const dest = (await c.api('GET', `/workspaces/${ws.workspaceId}/definitions/destinations/${S3}`)).json;
    expect(dest).toMatchObject({ id: S3, name: 'S3', dockerRepository: 'airbyte/destination-s3' });
    expect((await c.api('GET', `/workspaces/${ws.workspaceId}/definitions/sources`)).json.data).toHaveLength(3);
  });
});

describe('emulator: base paths', () => {
  it('serves self-managed Airbyte’s /api/public/v1 root when asked', async () => {
    const c = await emulatorClient({ basePath: '/api/public/v1' });
    const res = await c.emulator.handle(new Request('http://emulator.test/api/public/v1/health'));
    expect(res.status).toBe(200);
    expect((await c.emulator.handle(new Request('http://emulator.test/v1/health'))).status).toBe(404);
  });
});

describe.skipIf(!SHARED_SPECS)(`emulator: real connector specs (${specsMissingMessage})`, () => {
  it('loads every spec as a definition and validates configurations against it', async () => {
    const c = await emulatorClient({ connectorSpecsDir: SHARED_SPECS });
    const defs = (await c.api('GET', '/connector_definitions?type=source')).json.data;
    expect(defs.length).toBeGreaterThanOrEqual(577);
    const ws = (await c.api('POST', '/workspaces', { name: 'a' })).json;
    const github = defs.find((d: { name: string }) => d.name === 'GitHub');
    const bad = await c.api('POST', '/sources', { name: 'gh', workspaceId: ws.workspaceId, definitionId: github.id, configuration: {} });
    expect(bad.status).toBe(422);
    expect(bad.json.data.message).toContain('credentials');
    const good = await c.api('POST', '/sources', {
      name: 'gh',
      workspaceId: ws.workspaceId,
      definitionId: github.id,
      configuration: { credentials: { option_title: 'PAT Credentials', personal_access_token: 'ghp_canary' }, repositories: ['airbytehq/airbyte'] },
    });
    expect(good.status).toBe(200);
    expect(good.json.configuration.credentials.personal_access_token).toBe('**********');
  });
});
