/**
 * "Sign in with …" through the proxy, against the emulator's consent page (Airbyte Cloud's public
 * API flow): start → consent → Allow → the proxy's callback page → a one-time grant → the source.
 * And the attacks on it: tampered, expired and replayed states; another customer's grant; a grant
 * used from another origin; the callback page's CSP.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import templatesJson from '../../demo/templates.json';
import type { ConnectorDefinition } from '../../src/testing/connectors.ts';
import { freshEmbeddedStore } from '../fixtures/stores.ts';
import { harness, ORIGIN } from './harness.ts';
import { HUBSPOT_ADVANCED_AUTH, HUBSPOT_DEF } from '../fixtures/hubspotOAuth.ts';

beforeAll(() => freshEmbeddedStore(), 60_000);

const advancedAuth = HUBSPOT_ADVANCED_AUTH;
const spec = {
  type: 'object',
  required: ['credentials'],
  properties: {
    start_date: { type: 'string', title: 'Start date' },
    credentials: {
      type: 'object',
      title: 'Authentication',
      oneOf: [
        {
          type: 'object',
          title: 'OAuth',
          required: ['client_id', 'client_secret', 'refresh_token', 'credentials_title'],
          properties: {
            credentials_title: { type: 'string', const: 'OAuth Credentials' },
            client_id: { type: 'string', title: 'Client ID', airbyte_secret: true },
            client_secret: { type: 'string', title: 'Client Secret', airbyte_secret: true },
            refresh_token: { type: 'string', title: 'Refresh Token', airbyte_secret: true },
          },
        },
        {
          type: 'object',
          title: 'Private App',
          required: ['access_token', 'credentials_title'],
          properties: { credentials_title: { type: 'string', const: 'Private App Credentials' }, access_token: { type: 'string', title: 'Access token', airbyte_secret: true } },
        },
      ],
    },
  },
};
const hubspotConnector: ConnectorDefinition = { id: HUBSPOT_DEF, type: 'source', name: 'HubSpot', dockerRepository: 'airbyte/source-hubspot', dockerImageTag: '4.0.0', spec, advancedAuth };
const hubspotTemplate = { id: 'hubspot', name: 'HubSpot', actorDefinitionId: HUBSPOT_DEF, partialDefaultConfig: {}, partialUserConfigSpec: { connectionSpecification: spec, advancedAuth } };

async function oauthHarness() {
  return harness({ templates: { sources: [hubspotTemplate, ...templatesJson.sources], connections: templatesJson.connections }, emulator: { connectors: [hubspotConnector], oauthRedirectOrigins: [ORIGIN] } });
}
type H = Awaited<ReturnType<typeof oauthHarness>>;

/** Follows the consent URL like a browser: the consent page, a click on Allow (or Deny), redirects until the proxy's callback. */
async function consent(h: H, consentUrl: string, decision: 'allow' | 'deny' = 'allow'): Promise<URL> {
  const page = await h.emulator.handle(new Request(consentUrl));
  const html = await page.text();
  expect(html).toContain('Allow Acme Insights to access your HubSpot account?');
  const state = new URL(consentUrl).searchParams.get('state')!;
  let res = await h.emulator.handle(new Request(new URL(consentUrl).origin + new URL(consentUrl).pathname, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ state, decision }) }));
  for (let i = 0; i < 5 && res.status >= 300 && res.status < 400; i++) {
    const next = new URL(res.headers.get('location')!, consentUrl);
    if (next.pathname.includes('/api/embed/oauth/callback/')) return next;
    res = await h.emulator.handle(new Request(next));
  }
  throw new Error(`the consent flow did not reach the proxy's callback (${res.status})`);
}

/** The outcome the callback page hands to the widget (its JSON data block). */
async function callback(h: H, url: URL) {
  const res = await h.proxy(new Request(url));
  const html = await res.text();
  const data = /<script type="application\/json" id="aek-oauth-result">(.*?)<\/script>/.exec(html)?.[1];
  return { res, html, outcome: data ? (JSON.parse(data) as { flowId: string; grantId?: string; error?: string; origin: string }) : undefined };
}

async function signIn(h: H, customer = 'customer-a') {
  const start = await h.call('POST', '/oauth/start', { token: await h.token(customer), body: { templateId: 'hubspot', inputs: {} } });
  expect(start.status).toBe(200);
  const back = await consent(h, start.json.consentUrl);
  const cb = await callback(h, back);
  expect(cb.outcome?.flowId).toBe(start.json.flowId);
  return { grantId: cb.outcome!.grantId!, back, cb };
}

const oauthConfig = { credentials: { credentials_title: 'OAuth Credentials' } };

describe('OAuth: sign in, then connect', () => {
  it('hides the token fields of the sign-in option from the form spec, and keeps the other options', async () => {
    const h = await oauthHarness();
    const detail = (await h.call('GET', '/templates/hubspot')).json;
    const [oauthOption, privateApp] = detail.spec.properties.credentials.oneOf;
    expect(Object.keys(oauthOption.properties)).toEqual(['credentials_title']);
    expect(Object.keys(privateApp.properties).sort()).toEqual(['access_token', 'credentials_title']);
    expect(detail.oauth).toEqual({ predicateKey: ['credentials', 'credentials_title'], predicateValue: 'OAuth Credentials', inputPaths: [] });
    expect(JSON.stringify(detail)).not.toContain('complete_oauth');
  });

  it('connects with a grant: the source gets the tokens and the app’s client id and secret; no token reaches the browser', async () => {
    const h = await oauthHarness();
    const { grantId, cb } = await signIn(h);
    expect(cb.html).not.toMatch(/secret_id|refresh_token/);
    const res = await h.call('POST', '/sources', { body: { templateId: 'hubspot', config: oauthConfig, oauth: { grantId } } });
    expect(res.status, res.text).toBe(201);
    const source = await h.upstream(`/sources/${res.json.source.sourceId}`);
    expect(Object.keys(source.configuration.credentials).sort()).toEqual(['client_id', 'client_secret', 'credentials_title', 'refresh_token']);
    expect(res.text).not.toContain('refresh_token');
  });

  it('asks for a sign-in when the OAuth option is chosen without one, and still takes the other option’s token', async () => {
    const h = await oauthHarness();
    const none = await h.call('POST', '/sources', { body: { templateId: 'hubspot', config: oauthConfig } });
    expect(none.status).toBe(400);
    expect(none.json.error.message).toBe('Sign in with HubSpot first.');
    const app = await h.call('POST', '/sources', { body: { templateId: 'hubspot', config: { credentials: { credentials_title: 'Private App Credentials', access_token: 'pat-1' } } } });
    expect(app.status).toBe(201);
  });

  it('reconnects an existing source with a new sign-in, leaving its other settings', async () => {
    const h = await oauthHarness();
    const first = await signIn(h);
    const created = await h.call('POST', '/sources', { body: { templateId: 'hubspot', config: { ...oauthConfig, start_date: '2024-01-01' }, oauth: { grantId: first.grantId } } });
    const sourceId = created.json.source.sourceId;
    const again = await signIn(h);
    const res = await h.call('POST', `/sources/${sourceId}/reconnect`, { body: { oauth: { grantId: again.grantId } } });
    expect(res.status, res.text).toBe(200);
    expect((await h.upstream(`/sources/${sourceId}`)).configuration.start_date).toBe('2024-01-01');
    expect(h.calls.some((c) => c.method === 'PATCH' && c.path.endsWith(`/sources/${sourceId}`))).toBe(true);
  });
});

describe('OAuth: attacks', () => {
  it('refuses a tampered state, and a replayed one', async () => {
    const h = await oauthHarness();
    const { back } = await signIn(h);
    // Replayed: the same callback URL again.
    const replay = await callback(h, back);
    expect(replay.res.status).toBe(400);
    expect(replay.outcome).toBeUndefined();
    // Tampered: the state's payload changed (another customer), signature kept.
    const start = await h.call('POST', '/oauth/start', { body: { templateId: 'hubspot' } });
    const redirect = await consent(h, start.json.consentUrl);
    const token = redirect.pathname.split('/').pop()!;
    const [head, payload, sig] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    claims.sub = 'victim';
    redirect.pathname = redirect.pathname.replace(token, `${head}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`);
    const tampered = await callback(h, redirect);
    expect(tampered.res.status).toBe(400);
    expect(tampered.outcome).toBeUndefined();
  });

  it('refuses an expired state (older than 10 minutes)', async () => {
    const h = await oauthHarness();
    const start = await h.call('POST', '/oauth/start', { body: { templateId: 'hubspot' } });
    const back = await consent(h, start.json.consentUrl);
    h.clock.now += 11 * 60_000;
    expect((await callback(h, back)).res.status).toBe(400);
  });

  it('lets a grant work once, for its own customer, template and origin only', async () => {
    const h = await oauthHarness();
    const { grantId } = await signIn(h, 'customer-a');
    const other = await h.call('POST', '/sources', { token: await h.token('customer-b'), body: { templateId: 'hubspot', config: oauthConfig, oauth: { grantId } } });
    expect(other.status).toBe(400);
    expect(other.json.error.message).toMatch(/expired or was already used/);
    const otherOrigin = await h.call('POST', '/sources', { token: await h.token('customer-a', 'https://other.example.com'), origin: 'https://other.example.com', body: { templateId: 'hubspot', config: oauthConfig, oauth: { grantId } } });
    expect(otherOrigin.status).toBe(400);
    const mine = await h.call('POST', '/sources', { body: { templateId: 'hubspot', config: oauthConfig, oauth: { grantId } } });
    expect(mine.status).toBe(201);
    const twice = await h.call('POST', '/sources', { body: { templateId: 'hubspot', config: { ...oauthConfig, start_date: '2020-01-01' }, oauth: { grantId } } });
    expect(twice.status).toBe(400);
    expect((await h.upstream('/sources')).data).toHaveLength(1);
  });

  it('serves the callback page under a CSP that allows only its own script, never framed, never cached', async () => {
    const h = await oauthHarness();
    const start = await h.call('POST', '/oauth/start', { body: { templateId: 'hubspot' } });
    const { res, html } = await callback(h, await consent(h, start.json.consentUrl));
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/);
    const script = /<script>(.*?)<\/script>/.exec(html)![1]!;
    const hash = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(script))).toString('base64');
    expect(csp).toContain(`'sha256-${hash}'`);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('reports a denial as denied, with no grant', async () => {
    const h = await oauthHarness();
    const start = await h.call('POST', '/oauth/start', { body: { templateId: 'hubspot' } });
    const { outcome } = await callback(h, await consent(h, start.json.consentUrl, 'deny'));
    expect(outcome).toMatchObject({ flowId: start.json.flowId, error: 'denied' });
    expect(outcome?.grantId).toBeUndefined();
  });

  it('refuses a return page on another origin, and a sign-in for a template without one', async () => {
    const h = await oauthHarness();
    expect((await h.call('POST', '/oauth/start', { body: { templateId: 'hubspot', returnTo: 'https://evil.example/' } })).status).toBe(400);
    expect((await h.call('POST', '/oauth/start', { body: { templateId: 'stripe' } })).status).toBe(400);
  });
});

describe('OAuth on self-managed Airbyte (Config API)', () => {
  it('says what to set when the public API answers 501, and signs in through the Config API with oauth.flow = "config"', async () => {
    const base = { templates: { sources: [hubspotTemplate, ...templatesJson.sources], connections: templatesJson.connections } };
    const publicOnly = await harness({ ...base, emulator: { connectors: [hubspotConnector], oauthRedirectOrigins: [ORIGIN], oauthPublicApi: 'self-managed' } });
    const refused = await publicOnly.call('POST', '/oauth/start', { body: { templateId: 'hubspot' } });
    expect(refused.status).toBe(502);
    expect(refused.json.error.message).toContain('oauth: { flow: "config" }');

    const h = await harness({ ...base, emulator: { connectors: [hubspotConnector], oauthRedirectOrigins: [ORIGIN], oauthPublicApi: 'self-managed' }, proxy: { oauth: { flow: 'config' } } });
    const start = await h.call('POST', '/oauth/start', { body: { templateId: 'hubspot' } });
    expect(start.status, start.text).toBe(200);
    const back = await consent(h as H, start.json.consentUrl);
    expect(back.searchParams.get('code')).toBeTruthy();
    const { outcome } = await callback(h as H, back);
    expect(outcome?.grantId).toBeTruthy();
    const res = await h.call('POST', '/sources', { body: { templateId: 'hubspot', config: oauthConfig, oauth: { grantId: outcome!.grantId } } });
    expect(res.status, res.text).toBe(201);
    expect(Object.keys((await h.upstream(`/sources/${res.json.source.sourceId}`)).configuration.credentials).sort()).toEqual(['client_id', 'client_secret', 'credentials_title', 'refresh_token']);
  });
});

