/**
 * The operator's own OAuth app (issue: consent screens show the SaaS's name, not Airbyte's):
 * `PUT|POST <operator>/oauth_credentials`, `GET`, `DELETE …/:actorType/:name`, through the proxy
 * against the emulator. Scope `organization` is one Airbyte call; scope `workspaces` reaches every
 * known workspace and each new one; the credentials never appear in an answer or a log line.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import templatesJson from '../../demo/templates.json';
import type { ConnectorDefinition } from '../../src/testing/connectors.ts';
import { workspaceFor, type OnboardingContext } from '../../src/server/onboarding.ts';
import { ConfigValidator } from '../../src/shared/configValidator.ts';
import { freshEmbeddedStore } from '../fixtures/stores.ts';
import { harness, ORIGIN } from './harness.ts';
import { HUBSPOT_ADVANCED_AUTH, HUBSPOT_DEF } from '../fixtures/hubspotOAuth.ts';

beforeAll(() => freshEmbeddedStore(), 60_000);

const OPERATOR_KEY = 'operator-key-0123456789abcdef';
const CLIENT_ID = 'northwind-client-id-8f3a';
const CLIENT_SECRET = 'northwind-client-secret-Zq91xK';
const APP_CONFIG = { app_name: 'Northwind Insights', credentials: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET } };
const ORG = '00000000-0000-0000-0000-000000000000';

const advancedAuth = HUBSPOT_ADVANCED_AUTH;
const spec = {
  type: 'object',
  required: ['credentials'],
  properties: {
    credentials: {
      type: 'object',
      oneOf: [
        {
          type: 'object',
          title: 'OAuth',
          required: ['client_id', 'client_secret', 'refresh_token', 'credentials_title'],
          properties: {
            credentials_title: { type: 'string', const: 'OAuth Credentials' },
            client_id: { type: 'string', title: 'Client ID' },
            client_secret: { type: 'string', title: 'Client Secret', airbyte_secret: true },
            refresh_token: { type: 'string', title: 'Refresh Token', airbyte_secret: true },
          },
        },
      ],
    },
  },
};
const hubspotConnector: ConnectorDefinition = { id: HUBSPOT_DEF, type: 'source', name: 'HubSpot', dockerRepository: 'airbyte/source-hubspot', dockerImageTag: '4.0.0', spec, advancedAuth };
const hubspotTemplate = { id: 'hubspot', name: 'HubSpot', actorDefinitionId: HUBSPOT_DEF, partialDefaultConfig: {}, partialUserConfigSpec: { connectionSpecification: spec, advancedAuth } };

async function setup(options: { discoverFails?: (s: { configuration: Record<string, unknown> }) => string | undefined } = {}) {
  return harness({
    operatorKey: OPERATOR_KEY,
    templates: { sources: [hubspotTemplate, ...templatesJson.sources], connections: templatesJson.connections },
    emulator: { connectors: [hubspotConnector], oauthRedirectOrigins: [ORIGIN], ...(options.discoverFails ? { discoverFails: options.discoverFails } : {}) },
  });
}
type H = Awaited<ReturnType<typeof setup>>;

async function operator(h: H, method: string, path: string, body?: unknown, key: string | null = OPERATOR_KEY) {
  const res = await h.proxy(
    new Request(`${ORIGIN}/api/embed/operator${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : undefined };
}

/** Sets the app's credentials. POST: this proxy reads no PUT bodies yet (see the PUT test). */
const setCredentials = (h: H, body: unknown) => operator(h, 'POST', '/oauth_credentials', body);

/** The emulator's consent page for a customer's sign-in started through the proxy. */
async function consentPage(h: H, customer: string) {
  const start = await h.call('POST', '/oauth/start', { token: await h.token(customer), body: { templateId: 'hubspot', inputs: {} } });
  expect(start.status, start.text).toBe(200);
  const page = await (await h.emulator.handle(new Request(start.json.consentUrl))).text();
  return { start, page };
}

const workspaceCalls = (h: H) => h.calls.filter((c) => c.operationId === 'createOrUpdateWorkspaceOAuthCredentials');

describe('operator: OAuth credentials (the operator’s own OAuth app)', () => {
  it('scope organization: one PUT /organizations/{id}/oauthCredentials; every workspace of it shows the operator’s app', async () => {
    const h = await setup();
    const res = await setCredentials(h, { actorType: 'source', name: 'hubspot', configuration: APP_CONFIG, scope: 'organization', organizationId: ORG });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ actorType: 'source', name: 'hubspot', scope: 'organization', applied: { organization: true, workspaces: 0 }, failed: 0 });
    const calls = h.calls.filter((c) => c.operationId === 'createOrUpdateOrganizationOAuthCredentials');
    expect(calls.map((c) => [c.method, c.path])).toEqual([['PUT', `/v1/organizations/${ORG}/oauthCredentials`]]);
    // A workspace of the default organization (the emulator's, like self-managed Airbyte's) inherits it.
    const { page } = await consentPage(h, 'customer-org');
    expect(page).toContain('Allow Northwind Insights to access your HubSpot account?');
    expect(page).not.toContain('Acme Insights');
    const list = await operator(h, 'GET', '/oauth_credentials');
    expect(list.json.data).toEqual([{ actorType: 'source', name: 'hubspot', scope: 'organization', organizationId: ORG, updatedAt: expect.any(String) }]);
  });

  it('scope workspaces: applied to an existing customer’s workspace and to a new customer’s workspace made afterwards', async () => {
    const h = await setup();
    // customer-a has a workspace before the credentials exist.
    const before = await consentPage(h, 'customer-a');
    expect(before.page).toContain('Allow Acme Insights to access your HubSpot account?');
    const wsA = await h.store.getWorkspaceId('customer-a');

    const res = await setCredentials(h, { actorType: 'source', name: 'hubspot', configuration: APP_CONFIG, scope: 'workspaces' });
    expect(res.status, res.text).toBe(200);
    expect(res.json.applied).toEqual({ organization: false, workspaces: 1 });
    expect(workspaceCalls(h).map((c) => c.path)).toEqual([`/v1/workspaces/${wsA}/oauthCredentials`]);
    expect((await consentPage(h, 'customer-a')).page).toContain('Allow Northwind Insights to access your HubSpot account?');

    // customer-b's workspace is created afterwards: the proxy applies the credentials right away.
    const { page } = await consentPage(h, 'customer-b');
    expect(page).toContain('Allow Northwind Insights to access your HubSpot account?');
    const wsB = await h.store.getWorkspaceId('customer-b');
    expect(workspaceCalls(h).map((c) => c.path)).toEqual([`/v1/workspaces/${wsA}/oauthCredentials`, `/v1/workspaces/${wsB}/oauthCredentials`]);
    // Once applied, a customer's next requests cost no Airbyte call for it.
    await consentPage(h, 'customer-b');
    expect(workspaceCalls(h)).toHaveLength(2);

    const list = await operator(h, 'GET', '/oauth_credentials');
    expect(list.json.data).toEqual([{ actorType: 'source', name: 'hubspot', scope: 'workspaces', workspaces: 2, updatedAt: expect.any(String) }]);
  });

  it('the source made with the sign-in runs with the operator’s client id and secret; its reads mask them', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const h = await setup({ discoverFails: ({ configuration }) => void seen.push(configuration) as undefined });
    await setCredentials(h, { actorType: 'source', name: 'hubspot', configuration: APP_CONFIG, scope: 'workspaces' });
    const { start } = await consentPage(h, 'customer-c');
    const state = new URL(start.json.consentUrl).searchParams.get('state')!;
    let res = await h.emulator.handle(new Request(new URL(start.json.consentUrl).origin + new URL(start.json.consentUrl).pathname, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ state, decision: 'allow' }) }));
    let back: URL | undefined;
    for (let i = 0; i < 5 && res.status >= 300 && res.status < 400; i++) {
      const next = new URL(res.headers.get('location')!, start.json.consentUrl);
      if (next.pathname.includes('/api/embed/oauth/callback/')) {
        back = next;
        break;
      }
      res = await h.emulator.handle(new Request(next));
    }
    const html = await (await h.proxy(new Request(back!))).text();
    const grantId = JSON.parse(/<script type="application\/json" id="aek-oauth-result">(.*?)<\/script>/.exec(html)![1]!).grantId;
    const created = await h.call('POST', '/sources', { token: await h.token('customer-c'), body: { templateId: 'hubspot', config: { credentials: { credentials_title: 'OAuth Credentials' } }, oauth: { grantId } } });
    expect(created.status, created.text).toBe(201);
    // The check's discover: the connector got the operator's app credentials (injected as Airbyte does at job time).
    expect((seen.at(-1)!.credentials as Record<string, unknown>).client_id).toBe(CLIENT_ID);
    expect((seen.at(-1)!.credentials as Record<string, unknown>).client_secret).toBe(CLIENT_SECRET);
    const read = await h.upstream(`/sources/${created.json.source.sourceId}`);
    expect(read.configuration.credentials.client_id).toBe('******');
    expect(JSON.stringify(read)).not.toContain(CLIENT_SECRET);
    expect(created.text).not.toContain(CLIENT_ID);
  });

  it('never answers or logs the credentials', async () => {
    const h = await setup();
    await consentPage(h, 'customer-a');
    const answers = [
      await setCredentials(h, { actorType: 'source', name: 'hubspot', configuration: APP_CONFIG, scope: 'workspaces' }),
      await setCredentials(h, { actorType: 'source', name: 'hubspot', configuration: APP_CONFIG, scope: 'organization', organizationId: ORG }),
      // Airbyte refuses these (unknown connector; client_secret missing): its reason comes back, the values do not.
      await setCredentials(h, { actorType: 'source', name: 'no-such-connector', configuration: APP_CONFIG, scope: 'organization', organizationId: ORG }),
      await setCredentials(h, { actorType: 'source', name: 'hubspot', configuration: { credentials: { client_id: CLIENT_ID } }, scope: 'organization', organizationId: ORG }),
      await setCredentials(h, { actorType: 'source', name: 'hubspot', configuration: { credentials: { client_id: CLIENT_ID } }, scope: 'workspaces' }),
      await operator(h, 'GET', '/oauth_credentials'),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 400, 400, 400, 200]);
    expect(answers[2]!.json.error.message).toContain('no-such-connector');
    expect(answers[3]!.json.error.message).toContain('Missing OAuth param for key at [credentials, client_secret]');
    for (const text of [...answers.map((a) => a.text), JSON.stringify(h.logs)]) {
      expect(text).not.toContain(CLIENT_ID);
      expect(text).not.toContain(CLIENT_SECRET);
    }
    // A refused body is not kept: the stored credentials are still the first ones.
    expect((await h.store.pendingOAuthCredentials('some-new-workspace'))[0]!.configuration).toEqual(APP_CONFIG);
  });

  it('refuses bad bodies with a 400 naming the field', async () => {
    const h = await setup();
    const ok = { actorType: 'source', name: 'hubspot', configuration: APP_CONFIG, scope: 'workspaces' };
    const cases: Array<[unknown, string]> = [
      [{ ...ok, actorType: 'connector' }, 'actorType'],
      [{ ...ok, name: 'HubSpot' }, 'name'],
      [{ ...ok, name: undefined }, 'name'],
      [{ ...ok, configuration: 'client_id=x' }, 'configuration'],
      [{ ...ok, configuration: {} }, 'configuration'],
      [{ ...ok, scope: 'everything' }, 'scope'],
      [{ ...ok, scope: 'organization' }, 'organizationId'],
      [{ ...ok, scope: 'organization', organizationId: 'acme' }, 'organizationId'],
      [{ ...ok, organizationId: ORG }, 'organizationId'],
      [{ ...ok, clientSecret: 'x' }, 'clientSecret'],
    ];
    for (const [body, field] of cases) {
      const res = await setCredentials(h, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.message).toContain(`"${field}"`);
      expect(res.json.error.fieldErrors[0].path).toEqual([field]);
      expect(res.text).not.toContain(CLIENT_SECRET);
    }
    expect((await setCredentials(h, [ok])).status).toBe(400);
    expect(h.calls.filter((c) => c.operationId?.includes('OAuthCredentials'))).toEqual([]);
  });

  it('answers 401 without the operator key, for every route', async () => {
    const h = await setup();
    const body = { actorType: 'source', name: 'hubspot', configuration: APP_CONFIG, scope: 'workspaces' };
    for (const [method, path] of [['PUT', '/oauth_credentials'], ['POST', '/oauth_credentials'], ['GET', '/oauth_credentials'], ['DELETE', '/oauth_credentials/source/hubspot']] as const) {
      expect((await operator(h, method, path, method === 'GET' || method === 'DELETE' ? undefined : body, null)).status).toBe(401);
      expect((await operator(h, method, path, method === 'GET' || method === 'DELETE' ? undefined : body, 'wrong-key')).status).toBe(401);
    }
    expect(await h.store.listOAuthCredentials()).toEqual([]);
  });

  it('DELETE stops applying to new workspaces; existing ones keep their override', async () => {
    const h = await setup();
    await consentPage(h, 'customer-a');
    await setCredentials(h, { actorType: 'source', name: 'hubspot', configuration: APP_CONFIG, scope: 'workspaces' });
    expect((await operator(h, 'DELETE', '/oauth_credentials/source/hubspot')).status).toBe(204);
    expect((await operator(h, 'DELETE', '/oauth_credentials/source/hubspot')).status).toBe(404);
    expect((await operator(h, 'DELETE', '/oauth_credentials/connector/hubspot')).status).toBe(400);
    expect((await operator(h, 'GET', '/oauth_credentials')).json.data).toEqual([]);
    expect((await consentPage(h, 'customer-new')).page).toContain('Allow Acme Insights');
    expect((await consentPage(h, 'customer-a')).page).toContain('Allow Northwind Insights');
  });

  it('a workspace the credentials could not reach gets them at its customer’s next onboarding; onboarding goes on, with a warning without values', async () => {
    let failing = true;
    const h = await harness({
      operatorKey: OPERATOR_KEY,
      templates: { sources: [hubspotTemplate, ...templatesJson.sources], connections: templatesJson.connections },
      emulator: { connectors: [hubspotConnector], oauthRedirectOrigins: [ORIGIN] },
      intercept: (r) => (failing && r.method === 'PUT' && r.url.includes('/oauthCredentials') ? new Response('{"title":"unexpected-problem"}', { status: 500 }) : undefined),
    });
    await setCredentials(h, { actorType: 'source', name: 'hubspot', configuration: APP_CONFIG, scope: 'workspaces' });
    const warnings: Array<{ message: string }> = [];
    const ctx: OnboardingContext = { airbyte: h.airbyte, store: h.store, validator: new ConfigValidator(), now: () => h.clock.now, log: (e) => warnings.push(e) };
    const ws = await workspaceFor(ctx, 'customer-d');
    expect(ws.created).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('retried at its next onboarding');
    expect(JSON.stringify(warnings)).not.toContain(CLIENT_SECRET);
    expect(JSON.stringify(warnings)).not.toContain(CLIENT_ID);
    failing = false;
    // The next onboarding of that customer (the store knows its workspace) applies them.
    expect(await workspaceFor(ctx, 'customer-d')).toEqual({ workspaceId: ws.workspaceId, created: false });
    expect(warnings).toHaveLength(1);
    expect(await h.store.pendingOAuthCredentials(ws.workspaceId)).toEqual([]);
    expect((await consentPage(h, 'customer-d')).page).toContain('Allow Northwind Insights');
  });

  // PUT is the route (Airbyte's own verb for these credentials); POST does the same.
  it('PUT <operator>/oauth_credentials takes the body', async () => {
    const h = await setup();
    const res = await operator(h, 'PUT', '/oauth_credentials', { actorType: 'source', name: 'hubspot', configuration: APP_CONFIG, scope: 'workspaces' });
    expect(res.status, res.text).toBe(200);
  });
});
