/**
 * The emulator's OAuth with real connector specs (../shared/connector-specs): the public-API (Cloud)
 * flow initiateOAuth → consent page → oauth/callback → secret_id → POST /sources, denial, provider
 * errors, refused redirects, self-managed 501, and the Config API flow get_consent_url → code →
 * complete_oauth.
 */
import { describe, expect, it } from 'vitest';
import { SHARED_SPECS, specsMissingMessage } from '../fixtures/sharedSpecs.ts';
import type { AirbyteEmulatorOptions } from '../../src/testing/emulator.ts';
import { BASE, emulatorClient } from './emulatorClient.ts';

const HUBSPOT = '36c891d9-4bd9-43ac-bad2-10e12756272c';
const SALESFORCE = 'b117307c-14b6-41aa-9422-947e34922962';
const SHOPIFY = '9da77001-af33-4bcd-be46-6252bf9342b9';
const ZENDESK = '79c1aa37-dae3-42ae-b333-d1c105477715';
const APP = 'https://app.example.com';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const CASES = [
  {
    sourceType: 'hubspot',
    definitionId: HUBSPOT,
    name: 'HubSpot',
    input: {},
    configuration: { credentials: { credentials_title: 'OAuth Credentials' } },
    paths: [['credentials', 'client_id'], ['credentials', 'client_secret'], ['credentials', 'refresh_token']],
  },
  { sourceType: 'salesforce', definitionId: SALESFORCE, name: 'Salesforce', input: { is_sandbox: false }, configuration: { auth_type: 'Client' }, paths: [['client_id'], ['client_secret'], ['refresh_token']] },
  {
    sourceType: 'shopify',
    definitionId: SHOPIFY,
    name: 'Shopify',
    input: { shop: 'acme-store' },
    configuration: { credentials: { auth_method: 'oauth2.0' } },
    paths: [['shop'], ['credentials', 'client_id'], ['credentials', 'client_secret'], ['credentials', 'access_token']],
  },
  {
    sourceType: 'zendesk-support',
    definitionId: ZENDESK,
    name: 'Zendesk Support',
    input: { subdomain: 'acme' },
    configuration: { subdomain: 'acme', credentials: { credentials: 'oauth2_refresh' } },
    paths: [['credentials', 'client_id'], ['credentials', 'client_secret'], ['credentials', 'access_token'], ['credentials', 'refresh_token']],
  },
];

const at = (obj: any, path: string[]) => path.reduce((o, k) => (o == null ? undefined : o[k]), obj);

async function setup(options: AirbyteEmulatorOptions = {}) {
  const c = await emulatorClient({ connectorSpecsDir: SHARED_SPECS, oauthRedirectOrigins: [APP], discoverMs: 0, ...options });
  const ws = (await c.api('POST', '/workspaces', { name: 'oauth' })).json;
  /** GET a URL the emulator served (consent page, callback), as a browser would. */
  const open = (url: string) => {
    const u = new URL(url);
    expect(u.origin + u.pathname.slice(0, 3)).toBe(new URL(BASE).origin + '/v1');
    return c.raw('GET', `${u.pathname.replace(/^\/v1/, '')}${u.search}`);
  };
  const decide = (flowState: string, decision: 'allow' | 'deny') => c.raw('POST', '/oauth/consent', `state=${encodeURIComponent(flowState)}&decision=${decision}`, FORM);
  return { c, ws, open, decide };
}

describe.skipIf(!SHARED_SPECS)(`emulator OAuth with real connector specs (${specsMissingMessage})`, () => {
  it.each(CASES)('$name: initiate → consent page → Allow → secret_id → source with the credential paths', async (t) => {
    const { c, ws, open, decide } = await setup();
    const init = await c.api('POST', '/sources/initiateOAuth', { sourceType: t.sourceType, redirectUrl: `${APP}/oauth/done`, workspaceId: ws.workspaceId, oAuthInputConfiguration: t.input });
    expect(init.status).toBe(200);
    const consentUrl = new URL(init.json.consentUrl);
    expect(consentUrl.pathname).toBe('/v1/oauth/consent');
    // The page is public (no bearer token), plain HTML with a form, under a strict CSP.
    const page = await open(init.json.consentUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain(`Allow Acme Insights to access your ${t.name} account?`);
    expect(page.text).toMatch(/<button[^>]*value="allow"[^>]*>Allow<\/button>/);
    expect(page.text).toMatch(/<button[^>]*value="deny"[^>]*>Deny<\/button>/);
    expect(page.text).not.toContain('<script');
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    // Allow: the provider redirects to Airbyte's callback with code and state …
    const allow = await decide(consentUrl.searchParams.get('state')!, 'allow');
    expect(allow.status).toBe(303);
    const provider = new URL(allow.headers.get('location')!);
    expect(provider.pathname).toBe('/v1/oauth/callback');
    expect(provider.searchParams.get('state')).toBe(consentUrl.searchParams.get('state'));
    expect(provider.searchParams.get('code')).toBeTruthy();
    // … which redirects to redirectUrl?secret_id=….
    const callback = await open(provider.toString());
    expect(callback.status).toBe(302);
    const back = new URL(callback.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(`${APP}/oauth/done`);
    const secretId = back.searchParams.get('secret_id')!;
    expect(secretId).toMatch(new RegExp(`^airbyte_oauth_workspace_${ws.workspaceId}_secret_[0-9a-f-]{36}_v1$`));
    // The link is single use.
    expect((await open(init.json.consentUrl)).status).toBe(400);

    const created = await c.api('POST', '/sources', { name: t.name, workspaceId: ws.workspaceId, definitionId: t.definitionId, secretId, configuration: t.configuration });
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    const read = (await c.api('GET', `/sources/${created.json.sourceId}`)).json;
    for (const p of t.paths) expect(at(read.configuration, p), p.join('.')).toBeDefined();
    if (t.sourceType === 'shopify') expect(read.configuration.shop).toBe('acme-store');
  });

  it('HubSpot without a secretId is refused (client_id, client_secret, refresh_token missing); the secret is reusable in its workspace only', async () => {
    const { c, ws, open, decide } = await setup();
    const body = { name: 'HubSpot', workspaceId: ws.workspaceId, definitionId: HUBSPOT, configuration: { credentials: { credentials_title: 'OAuth Credentials' } } };
    expect((await c.api('POST', '/sources', body)).status).toBe(422);
    const init = (await c.api('POST', '/sources/initiateOAuth', { sourceType: 'hubspot', redirectUrl: 'http://localhost:5173/cb', workspaceId: ws.workspaceId })).json;
    const provider = new URL((await decide(new URL(init.consentUrl).searchParams.get('state')!, 'allow')).headers.get('location')!);
    const secretId = new URL((await open(provider.toString())).headers.get('location')!).searchParams.get('secret_id')!;
    const first = await c.api('POST', '/sources', { ...body, secretId });
    expect(first.status).toBe(200);
    expect((await c.api('POST', '/sources', { ...body, secretId })).status).toBe(200);
    const other = (await c.api('POST', '/workspaces', { name: 'other' })).json;
    expect((await c.api('POST', '/sources', { ...body, workspaceId: other.workspaceId, secretId })).status).toBe(400);
  });

  it('PATCH with a new secretId replaces the tokens (Reconnect) and keeps the other settings', async () => {
    const { c, ws, open, decide } = await setup();
    const secret = async () => {
      const init = (await c.api('POST', '/sources/initiateOAuth', { sourceType: 'hubspot', redirectUrl: `${APP}/cb`, workspaceId: ws.workspaceId })).json;
      const provider = new URL((await decide(new URL(init.consentUrl).searchParams.get('state')!, 'allow')).headers.get('location')!);
      return new URL((await open(provider.toString())).headers.get('location')!).searchParams.get('secret_id')!;
    };
    const s1 = await secret();
    const src = (await c.api('POST', '/sources', { name: 'HubSpot', workspaceId: ws.workspaceId, definitionId: HUBSPOT, secretId: s1, configuration: { start_date: '2024-01-01T00:00:00Z', credentials: { credentials_title: 'OAuth Credentials' } } })).json;
    const s2 = await secret();
    const patched = await c.api('PATCH', `/sources/${src.sourceId}`, { secretId: s2 });
    expect(patched.status).toBe(200);
    expect(patched.json.configuration.start_date).toBe('2024-01-01T00:00:00Z');
    expect(patched.json.configuration.credentials.credentials_title).toBe('OAuth Credentials');
    expect(patched.json.configuration.credentials.refresh_token).toBe('**********');
  });

  it('Deny redirects with error=access_denied; a forced provider error with its code; neither mints a secret', async () => {
    const { c, ws, decide, open } = await setup();
    const init = (await c.api('POST', '/sources/initiateOAuth', { sourceType: 'hubspot', redirectUrl: `${APP}/cb?x=1`, workspaceId: ws.workspaceId })).json;
    const flowState = new URL(init.consentUrl).searchParams.get('state')!;
    const provider = new URL((await decide(flowState, 'deny')).headers.get('location')!);
    expect(provider.searchParams.get('error')).toBe('access_denied');
    const back = new URL((await open(provider.toString())).headers.get('location')!);
    expect(back.origin + back.pathname).toBe(`${APP}/cb`);
    expect(back.searchParams.get('x')).toBe('1');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('error_description')).toBeTruthy();
    expect(back.searchParams.get('secret_id')).toBeNull();

    const forced = await setup({ oauthProviderError: ({ sourceType }) => (sourceType === 'hubspot' ? 'temporarily_unavailable' : undefined) });
    const init2 = (await forced.c.api('POST', '/sources/initiateOAuth', { sourceType: 'hubspot', redirectUrl: `${APP}/cb`, workspaceId: forced.ws.workspaceId })).json;
    const consent = await forced.open(init2.consentUrl);
    expect(consent.status).toBe(302);
    const back2 = new URL((await forced.open(consent.headers.get('location')!)).headers.get('location')!);
    expect(back2.searchParams.get('error')).toBe('temporarily_unavailable');
    expect(back2.searchParams.get('secret_id')).toBeNull();
  });

  it('validates initiateOAuth like Airbyte: advancedAuth, redirect, user inputs, app name option', async () => {
    const { c, ws } = await setup({ oauthAppName: 'Northwind <BI>' });
    const init = (body: object) => c.api('POST', '/sources/initiateOAuth', { redirectUrl: `${APP}/cb`, workspaceId: ws.workspaceId, ...body });
    // A foreign origin: 422 invalid-redirect-url (the consent step is no open redirect).
    const foreign = await init({ sourceType: 'hubspot', redirectUrl: 'https://evil.example/steal' });
    expect(foreign.status).toBe(422);
    expect(foreign.json.title).toBe('invalid-redirect-url');
    expect(foreign.json.data.redirectUrl).toBe('https://evil.example/steal');
    // No advancedAuth: the OAuth implementation factory's IllegalStateException → 409.
    expect((await init({ sourceType: 'faker' })).status).toBe(409);
    expect((await init({ sourceType: 'no-such-source' })).json.title).toBe('value-not-found');
    const noType = await init({ definitionId: HUBSPOT });
    expect(noType.status).toBe(400);
    expect(noType.json.data.message).toMatch(/sourceType is required.*no definitionId/);
    // Zendesk's consent URL needs {{subdomain}}.
    const zendesk = await init({ sourceType: 'zendesk-support' });
    expect(zendesk.status).toBe(422);
    expect(zendesk.json.data.message).toMatch(/\$\.subdomain: is missing but it is required/);
    const ok = await init({ sourceType: 'zendesk-support', oAuthInputConfiguration: { subdomain: 'acme' } });
    expect(ok.status).toBe(200);
    const page = await c.raw('GET', `/oauth/consent${new URL(ok.json.consentUrl).search}`);
    expect(page.text).toContain('Allow Northwind &lt;BI&gt; to access your Zendesk Support account?');
  });

  it("self-managed: the public initiateOAuth answers 501 as the OSS server's SourceService does", async () => {
    const { c, ws } = await setup({ oauthPublicApi: 'self-managed' });
    const res = await c.api('POST', '/sources/initiateOAuth', { sourceType: 'hubspot', redirectUrl: `${APP}/cb`, workspaceId: ws.workspaceId });
    expect(res.status).toBe(501);
    expect(res.text).toBe('');
  });

  it('Config API: get_consent_url → Allow → redirectUrl?code&state → complete_oauth → source with tokens and server outputs', async () => {
    const { c, ws, open, decide } = await setup({ oauthPublicApi: 'self-managed' });
    const token = (await c.raw('POST', '/applications/token', { client_id: 'emulator-client-id', client_secret: 'emulator-client-secret' })).json.access_token;
    const config = async (path: string, body: unknown) => {
      const res = await c.emulator.handle(new Request(`http://emulator.test/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) }));
      return { status: res.status, json: (await res.json().catch(() => undefined)) as any };
    };
    const redirectUrl = 'http://localhost:3000/auth_flow';
    const base = { sourceDefinitionId: ZENDESK, workspaceId: ws.workspaceId, redirectUrl };
    expect((await config('/source_oauths/get_consent_url', base)).status).toBe(422);
    expect((await config('/source_oauths/get_consent_url', { ...base, redirectUrl: 'https://evil.example/x', oAuthInputConfiguration: { subdomain: 'acme' } })).status).toBe(422);
    const consent = await config('/source_oauths/get_consent_url', { ...base, oAuthInputConfiguration: { subdomain: 'acme' } });
    expect(consent.status).toBe(200);
    expect((await open(consent.json.consentUrl)).text).toContain('Allow Acme Insights to access your Zendesk Support account?');
    const flowState = new URL(consent.json.consentUrl).searchParams.get('state')!;
    const allow = await decide(flowState, 'allow');
    const back = new URL(allow.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(redirectUrl);
    expect(back.searchParams.get('state')).toBe(flowState);
    const queryParams = Object.fromEntries(back.searchParams);
    const done = await config('/source_oauths/complete_oauth', { ...base, queryParams, oAuthInputConfiguration: { subdomain: 'acme' } });
    expect(done.status).toBe(200);
    expect(done.json.request_succeeded).toBe(true);
    expect(done.json.auth_payload).toMatchObject({ client_id: '******', client_secret: '******' });
    expect(done.json.auth_payload.access_token).toMatch(/^emu_access_token_/);
    expect(done.json.auth_payload.refresh_token).toMatch(/^emu_refresh_token_/);
    // The code is single use.
    expect((await config('/source_oauths/complete_oauth', { ...base, queryParams, oAuthInputConfiguration: { subdomain: 'acme' } })).status).toBe(500);
    // The webapp puts auth_payload at the paths and creates the source.
    const p = done.json.auth_payload;
    const created = await c.api('POST', '/sources', { name: 'Zendesk', workspaceId: ws.workspaceId, definitionId: ZENDESK, configuration: { subdomain: 'acme', credentials: { credentials: 'oauth2_refresh', ...p } } });
    expect(created.status, JSON.stringify(created.json)).toBe(200);

    // returnSecretCoordinate: auth_payload is {secretId}, usable on POST /sources.
    const again = await config('/source_oauths/get_consent_url', { ...base, oAuthInputConfiguration: { subdomain: 'acme' } });
    const back2 = new URL((await decide(new URL(again.json.consentUrl).searchParams.get('state')!, 'allow')).headers.get('location')!);
    const secret = await config('/source_oauths/complete_oauth', { ...base, queryParams: Object.fromEntries(back2.searchParams), oAuthInputConfiguration: { subdomain: 'acme' }, returnSecretCoordinate: true });
    expect(secret.json).toEqual({ request_succeeded: true, auth_payload: { secretId: expect.stringMatching(/^airbyte_oauth_workspace_/) } });
    const viaSecret = await c.api('POST', '/sources', { name: 'Zendesk 2', workspaceId: ws.workspaceId, definitionId: ZENDESK, secretId: secret.json.auth_payload.secretId, configuration: { subdomain: 'acme', credentials: { credentials: 'oauth2_refresh' } } });
    expect(viaSecret.status, JSON.stringify(viaSecret.json)).toBe(200);
    expect(viaSecret.json.configuration.credentials.client_id).toBeDefined();

    // Deny: redirectUrl?error=access_denied&state=…; complete_oauth answers request_succeeded false.
    const denied = await config('/source_oauths/get_consent_url', { ...base, oAuthInputConfiguration: { subdomain: 'acme' } });
    const back3 = new URL((await decide(new URL(denied.json.consentUrl).searchParams.get('state')!, 'deny')).headers.get('location')!);
    expect(back3.searchParams.get('error')).toBe('access_denied');
    const refused = await config('/source_oauths/complete_oauth', { ...base, queryParams: Object.fromEntries(back3.searchParams), oAuthInputConfiguration: { subdomain: 'acme' } });
    expect(refused.json).toEqual({ request_succeeded: false, request_error: 'access_denied', auth_payload: {} });
    // A definition without advancedAuth.
    expect((await config('/source_oauths/get_consent_url', { ...base, sourceDefinitionId: 'dfd88b22-b603-4c3d-aad7-3701784586b1' })).status).toBe(500);
  });
});
