/**
 * The emulator's OAuth credentials overrides (airbyte-platform WorkspacesController.kt,
 * OrganizationsController.kt → OAuthHandler.kt): PUT/DELETE per workspace and per organization,
 * Airbyte's checks (connector name, server-output paths), the workspace-over-organization order,
 * the consent page naming the override's app, and the job-time injection of its client id/secret.
 */
import { describe, expect, it } from 'vitest';
import type { AirbyteEmulatorOptions } from '../../src/testing/emulator.ts';
import { emulatorClient } from './emulatorClient.ts';

const HUBSPOT = {
  id: '36c891d9-4bd9-43ac-bad2-10e12756272c',
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
        required: ['client_id', 'client_secret', 'refresh_token'],
        properties: { credentials_title: { type: 'string' }, client_id: { type: 'string' }, client_secret: { type: 'string', airbyte_secret: true }, refresh_token: { type: 'string', airbyte_secret: true } },
      },
    },
  },
  advancedAuth: {
    auth_flow_type: 'oauth2.0',
    oauth_config_specification: {
      complete_oauth_output_specification: { type: 'object', properties: { refresh_token: { type: 'string', path_in_connector_config: ['credentials', 'refresh_token'] } } },
      complete_oauth_server_output_specification: {
        type: 'object',
        properties: { client_id: { type: 'string', path_in_connector_config: ['credentials', 'client_id'] }, client_secret: { type: 'string', path_in_connector_config: ['credentials', 'client_secret'] } },
      },
    },
  },
};
const DEFAULT_ORG = '00000000-0000-0000-0000-000000000000';
const OTHER_ORG = '5b0d7c1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e';
const creds = (clientId: string, extra: Record<string, unknown> = {}) => ({ actorType: 'source', name: 'hubspot', configuration: { ...extra, credentials: { client_id: clientId, client_secret: `${clientId}-secret` } } });

async function setup(options: AirbyteEmulatorOptions = {}) {
  const c = await emulatorClient({ connectors: [HUBSPOT], ...options });
  const ws = (await c.api('POST', '/workspaces', { name: 'customer' })).json;
  const consentPage = async (workspaceId = ws.workspaceId) => {
    const init = await c.api('POST', '/sources/initiateOAuth', { sourceType: 'hubspot', redirectUrl: 'http://localhost:3000/cb', workspaceId });
    expect(init.status, init.text).toBe(200);
    const url = new URL(init.json.consentUrl);
    return { page: (await c.raw('GET', `/oauth/consent${url.search}`)).text, state: url.searchParams.get('state')! };
  };
  return { c, ws, consentPage };
}

describe('emulator: OAuth credentials overrides', () => {
  it('PUT /workspaces/{id}/oauthCredentials: 200 with no body; the consent page names the app; DELETE: 204 and Airbyte’s app again', async () => {
    const { c, ws, consentPage } = await setup();
    expect((await consentPage()).page).toContain('Allow Acme Insights to access your HubSpot account?');
    const put = await c.api('PUT', `/workspaces/${ws.workspaceId}/oauthCredentials`, creds('northwind-1234', { app_name: 'Northwind <BI>' }));
    expect(put.status).toBe(200);
    expect(put.text).toBe('');
    expect((await consentPage()).page).toContain('Allow Northwind &lt;BI&gt; to access your HubSpot account?');
    // Without app_name: the client id's last four characters.
    await c.api('PUT', `/workspaces/${ws.workspaceId}/oauthCredentials`, creds('northwind-9876'));
    expect((await consentPage()).page).toContain('Allow your app (client id …9876) to access your HubSpot account?');
    const del = await c.api('DELETE', `/workspaces/${ws.workspaceId}/oauthCredentials/source/hubspot`);
    expect(del.status).toBe(204);
    expect((await consentPage()).page).toContain('Allow Acme Insights');
    // A delete of nothing is a 204 too (a delete query).
    expect((await c.api('DELETE', `/workspaces/${ws.workspaceId}/oauthCredentials/source/hubspot`)).status).toBe(204);
  });

  it('organization overrides reach its workspaces; a workspace override wins over the organization’s', async () => {
    const { c, ws, consentPage } = await setup();
    const other = (await c.api('POST', '/workspaces', { name: 'elsewhere', organizationId: OTHER_ORG })).json;
    expect((await c.api('PUT', `/organizations/${DEFAULT_ORG}/oauthCredentials`, creds('org-app', { app_name: 'Org App' }))).status).toBe(200);
    expect((await consentPage()).page).toContain('Allow Org App');
    expect((await consentPage(other.workspaceId)).page).toContain('Allow Acme Insights');
    await c.api('PUT', `/workspaces/${ws.workspaceId}/oauthCredentials`, creds('ws-app', { app_name: 'Workspace App' }));
    expect((await consentPage()).page).toContain('Allow Workspace App');
    await c.api('DELETE', `/workspaces/${ws.workspaceId}/oauthCredentials/source/hubspot`);
    expect((await consentPage()).page).toContain('Allow Org App');
    expect((await c.api('DELETE', `/organizations/${DEFAULT_ORG}/oauthCredentials/source/hubspot`)).status).toBe(204);
    expect((await consentPage()).page).toContain('Allow Acme Insights');
    // The other workspace's organization is known; one no workspace belongs to is not (403).
    expect((await c.api('PUT', `/organizations/${OTHER_ORG}/oauthCredentials`, creds('x'))).status).toBe(200);
    expect((await c.api('PUT', '/organizations/9a9a9a9a-0000-4000-8000-000000000000/oauthCredentials', creds('x'))).status).toBe(403);
  });

  it('refuses what Airbyte refuses: an unknown name (400 value-not-found), a missing server output (422), a bad actorType (400), an unknown workspace (403)', async () => {
    const { c, ws } = await setup();
    const unknown = await c.api('PUT', `/workspaces/${ws.workspaceId}/oauthCredentials`, { ...creds('a'), name: 'hubspot-typo' });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ title: 'value-not-found', data: { value: 'hubspot-typo' } });
    const missing = await c.api('PUT', `/organizations/${DEFAULT_ORG}/oauthCredentials`, { actorType: 'source', name: 'hubspot', configuration: { client_id: 'flat-is-wrong', client_secret: 's' } });
    expect(missing.status).toBe(422);
    expect(missing.json).toEqual({ message: 'Missing OAuth param for key at [credentials, client_id]', exceptionClassName: 'io.airbyte.commons.server.errors.BadObjectSchemaKnownException' });
    expect((await c.api('PUT', `/workspaces/${ws.workspaceId}/oauthCredentials`, { ...creds('a'), actorType: 'connector' })).status).toBe(400);
    expect((await c.api('PUT', `/workspaces/${ws.workspaceId}/oauthCredentials`, { actorType: 'source', name: 'hubspot' })).status).toBe(400);
    // WorkspacesController.createOrUpdateWorkspaceOAuthCredentials: RoleResolver finds no organization for an unknown workspace.
    expect((await c.api('PUT', '/workspaces/7d7d7d7d-0000-4000-8000-000000000000/oauthCredentials', creds('a'))).status).toBe(403);
    expect((await c.api('DELETE', `/workspaces/${ws.workspaceId}/oauthCredentials/source/hubspot-typo`)).status).toBe(400);
    expect((await c.raw('PUT', `/workspaces/${ws.workspaceId}/oauthCredentials`, creds('a'))).status).toBe(401);
  });

  it('self-managed (OSS WorkspaceService): the workspace operations answer 501; the organization ones work', async () => {
    const { c, ws } = await setup({ oauthPublicApi: 'self-managed' });
    expect((await c.api('PUT', `/workspaces/${ws.workspaceId}/oauthCredentials`, creds('a'))).status).toBe(501);
    expect((await c.api('DELETE', `/workspaces/${ws.workspaceId}/oauthCredentials/source/hubspot`)).status).toBe(501);
    expect((await c.api('PUT', `/organizations/${DEFAULT_ORG}/oauthCredentials`, creds('a'))).status).toBe(200);
  });

  it('a source signed in under an override: the connector runs with the override’s client id and secret; reads show the mask', async () => {
    const seen: Array<Record<string, any>> = [];
    const { c, ws, consentPage } = await setup({ discoverFails: ({ configuration }) => void seen.push(configuration) as undefined });
    await c.api('PUT', `/workspaces/${ws.workspaceId}/oauthCredentials`, creds('northwind-app'));
    const { state } = await consentPage();
    const provider = new URL((await c.raw('POST', '/oauth/consent', `state=${state}&decision=allow`, { 'content-type': 'application/x-www-form-urlencoded' })).headers.get('location')!);
    const secretId = new URL((await c.raw('GET', `${provider.pathname.replace(/^\/v1/, '')}${provider.search}`)).headers.get('location')!).searchParams.get('secret_id');
    const source = await c.api('POST', '/sources', { name: 'Hub', workspaceId: ws.workspaceId, definitionId: HUBSPOT.id, secretId, configuration: { credentials: { credentials_title: 'OAuth Credentials' } } });
    expect(source.status, source.text).toBe(200);
    expect(source.json.configuration.credentials.client_id).toBe('******');
    expect(JSON.stringify(source.json)).not.toContain('northwind-app');
    expect((await c.api('GET', `/streams?sourceId=${source.json.sourceId}&ignoreCache=true`)).status).toBe(200);
    expect(seen.at(-1)!.credentials).toMatchObject({ client_id: 'northwind-app', client_secret: 'northwind-app-secret', refresh_token: expect.any(String) });
    // Removing the override in use: the next job runs without the app's credentials (Airbyte's warning in api.yaml).
    await c.api('DELETE', `/workspaces/${ws.workspaceId}/oauthCredentials/source/hubspot`);
    await c.api('GET', `/streams?sourceId=${source.json.sourceId}&ignoreCache=true`);
    expect(seen.at(-1)!.credentials.client_id).toBe('******');
  });

  it('keeps overrides across restarts (persisted state)', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dataDir = mkdtempSync(path.join(tmpdir(), 'aek-oauth-params-'));
    const first = await setup({ dataDir });
    await first.c.api('PUT', `/workspaces/${first.ws.workspaceId}/oauthCredentials`, creds('kept', { app_name: 'Kept App' }));
    const again = await emulatorClient({ connectors: [HUBSPOT], dataDir });
    const init = (await again.api('POST', '/sources/initiateOAuth', { sourceType: 'hubspot', redirectUrl: 'http://localhost:3000/cb', workspaceId: first.ws.workspaceId })).json;
    expect((await again.raw('GET', `/oauth/consent${new URL(init.consentUrl).search}`)).text).toContain('Allow Kept App');
  });
});
