/**
 * The holes an outside attack found in the proxy, one test each, through the public surface
 * only (`new Request()` to the handler, the operator API, createSessionToken), so each test
 * failed on the proxy before its fix.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import templatesJson from '../../demo/templates.json';
import { createSessionToken } from '../../src/server/sessionToken.ts';
import { parseTemplates } from '../../src/server/templates.ts';
import type { ConnectorDefinition } from '../../src/testing/connectors.ts';
import { freshEmbeddedStore } from '../fixtures/stores.ts';
import { harness, ORIGIN, SESSION_SECRET } from './harness.ts';

beforeAll(() => freshEmbeddedStore(), 60_000);

const OPERATOR_KEY = 'operator-key-0123456789abcdef';
const API_DEF = '0e9a2a0f-1c8e-4a5a-9e44-000000000001';

/** A connector with a nested `api` object (endpoint and token) and an SSH tunnel choice, like mysql's `tunnel_method`. */
const apiConnector: ConnectorDefinition = {
  id: API_DEF,
  type: 'source',
  name: 'Internal API',
  dockerRepository: 'airbyte/source-internal-api',
  dockerImageTag: '1.0.0',
  spec: {
    type: 'object',
    properties: {
      api: { type: 'object', properties: { endpoint: { type: 'string' }, token: { type: 'string', airbyte_secret: true }, region: { type: 'string' } } },
      tunnel_method: {
        type: 'object',
        oneOf: [
          { type: 'object', properties: { tunnel_method: { const: 'NO_TUNNEL' } } },
          { type: 'object', properties: { tunnel_method: { const: 'SSH_KEY_AUTH' }, tunnel_host: { type: 'string' }, tunnel_port: { type: 'integer' }, ssh_key: { type: 'string', airbyte_secret: true } } },
        ],
      },
    },
  },
};

/** The operator fixes the endpoint, the region and the bastion host; the customer gives the token and the SSH key. */
const apiTemplate = {
  id: 'internal-api',
  name: 'Internal API',
  actorDefinitionId: API_DEF,
  partialDefaultConfig: { api: { endpoint: 'https://internal.acme.example', region: 'eu-internal-1' }, tunnel_method: { tunnel_host: 'bastion.acme.internal', tunnel_port: 22 } },
  partialUserConfigSpec: {
    connectionSpecification: {
      type: 'object',
      required: ['api'],
      properties: {
        api: { type: 'object', required: ['token'], properties: { token: { type: 'string', title: 'Token', airbyte_secret: true } } },
        tunnel_method: {
          type: 'object',
          oneOf: [
            { type: 'object', title: 'No tunnel', properties: { tunnel_method: { const: 'NO_TUNNEL' } } },
            { type: 'object', title: 'SSH key', required: ['ssh_key'], properties: { tunnel_method: { const: 'SSH_KEY_AUTH' }, ssh_key: { type: 'string', airbyte_secret: true } } },
          ],
        },
      },
    },
  },
};

async function apiHarness(proxy: Record<string, unknown> = {}) {
  return harness({ templates: { sources: [...templatesJson.sources, apiTemplate], connections: templatesJson.connections }, emulator: { connectors: [apiConnector] }, operatorKey: OPERATOR_KEY, proxy });
}

const operator = (h: Awaited<ReturnType<typeof harness>>, method: string, path: string, body?: unknown) =>
  h.proxy(new Request(`${ORIGIN}/api/embed/operator${path}`, { method, headers: { authorization: `Bearer ${OPERATOR_KEY}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }));

describe('1. a customer cannot override what the operator fixed, at any depth', () => {
  it.each([
    ['a nested key beside the token', { api: { token: 't', endpoint: 'https://attacker.example' } }, ['api', 'endpoint']],
    ['a key inside the chosen option', { api: { token: 't' }, tunnel_method: { tunnel_method: 'SSH_KEY_AUTH', ssh_key: 'k', tunnel_host: 'attacker.example' } }, ['tunnel_method', 'tunnel_host']],
    ['a scalar where the operator has an object', { api: 'https://attacker.example' }, ['api']],
    ['a __proto__ key', JSON.parse('{"api":{"token":"t","__proto__":{"endpoint":"https://attacker.example"}}}'), ['api', '__proto__']],
    ['an unknown nested key', { api: { token: 't', verify_tls: false } }, ['api', 'verify_tls']],
  ])('refuses %s with a 400 naming the field, and creates nothing', async (_name, config, path) => {
    const h = await apiHarness();
    const res = await h.call('POST', '/sources', { body: { templateId: 'internal-api', config } });
    expect(res.status).toBe(400);
    expect(res.json.error.fieldErrors.map((e: { path: string[] }) => e.path)).toContainEqual(path);
    expect(h.calls.filter((c) => c.method === 'POST' && c.path.includes('/sources'))).toHaveLength(0);
  });

  it('accepts the customer’s own fields and sends the operator’s values untouched', async () => {
    const h = await apiHarness();
    const res = await h.call('POST', '/sources', { body: { templateId: 'internal-api', config: { api: { token: 't' }, tunnel_method: { tunnel_method: 'SSH_KEY_AUTH', ssh_key: 'k' } } } });
    expect(res.status).toBe(201);
    const source = await h.upstream(`/sources/${res.json.source.sourceId}`);
    expect(source.configuration.api).toMatchObject({ endpoint: 'https://internal.acme.example', region: 'eu-internal-1' });
    expect(source.configuration.tunnel_method).toMatchObject({ tunnel_method: 'SSH_KEY_AUTH', tunnel_host: 'bastion.acme.internal', tunnel_port: 22 });
  });

  it('refuses the same override on edit (PATCH)', async () => {
    const h = await apiHarness();
    const created = await h.call('POST', '/sources', { body: { templateId: 'internal-api', config: { api: { token: 't' } } } });
    const res = await h.call('PATCH', `/sources/${created.json.source.sourceId}`, { body: { config: { api: { token: '**********', endpoint: 'https://attacker.example' } } } });
    expect(res.status).toBe(400);
    expect(res.json.error.fieldErrors.map((e: { path: string[] }) => e.path)).toContainEqual(['api', 'endpoint']);
    expect((await h.upstream(`/sources/${created.json.source.sourceId}`)).configuration.api.endpoint).toBe('https://internal.acme.example');
  });

  it('refuses a template whose form asks the customer for a value the operator fixes', async () => {
    const h = await apiHarness();
    const res = await operator(h, 'POST', '/config_templates/sources', { ...apiTemplate, id: 'overlap', partialDefaultConfig: { api: { token: 'operator-token' } } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('partialDefaultConfig.api.token');
  });
});

describe('2. no value can freeze the proxy with a pattern (ReDoS)', () => {
  // The real pattern of source-google-pagespeed-insights' `urls`: seconds at 56 characters, forever at 100 in a backtracking engine.
  const pagespeed = "^(?:origin:)?(http(s)?:\\/\\/)[\\w.-]+(?:\\.[\\w\\.-]+)+[\\w\\-\\._~:\\/?#\\[\\]@!\\$&'\\(\\)\\*\\+,;=.]+$";
  it('answers a hostile 100-character value with a 400, and serves other customers meanwhile', async () => {
    const template = { id: 'pagespeed', name: 'PageSpeed', actorDefinitionId: API_DEF, partialDefaultConfig: {}, partialUserConfigSpec: { connectionSpecification: { type: 'object', properties: { urls: { type: 'array', items: { type: 'string', pattern: pagespeed } } } } } };
    const h = await harness({ templates: { sources: [template], connections: [] }, emulator: { connectors: [apiConnector] } });
    const hostile = `https://${'a.'.repeat(46)}a\u0001`;
    const [submit, other] = await Promise.all([
      h.call('POST', '/sources', { body: { templateId: 'pagespeed', config: { urls: [hostile] } } }),
      h.call('GET', '/templates', { token: await h.token('customer-b') }),
    ]);
    expect(submit.status).toBe(400);
    expect(submit.json.error.fieldErrors[0].path).toEqual(['urls', '0']);
    expect(other.status).toBe(200);
  });
});

describe('4. a chunked body is refused while it streams, never read whole', () => {
  it('stops reading a 300 MiB chunked body at the limit and answers 413', async () => {
    const h = await harness({ proxy: { maxBodyBytes: 64 * 1024 } });
    let pulled = 0;
    const chunk = new TextEncoder().encode(`"${'x'.repeat(64 * 1024 - 2)}",`);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 300 * 1024 * 1024) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await h.proxy(
      new Request(`${ORIGIN}/api/embed/sources`, { method: 'POST', headers: { authorization: `Bearer ${await h.token()}`, origin: ORIGIN, 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(1024 * 1024);
  });

  it('gives up on a body that trickles in forever (408), on every route', async () => {
    const h = await harness({ proxy: { bodyTimeoutMs: 200 } });
    for (const [method, path] of [['POST', '/sources'], ['PATCH', '/sources/x'], ['POST', '/connections/x/sync']] as const) {
      const body = new ReadableStream<Uint8Array>({ start(c) { c.enqueue(new TextEncoder().encode('{"a":')); } });
      const res = await h.proxy(new Request(`${ORIGIN}/api/embed${path}`, { method, headers: { authorization: `Bearer ${await h.token()}`, origin: ORIGIN, 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit));
      expect(res.status, `${method} ${path}`).toBe(408);
    }
  });
});

describe('6. control characters are refused before anything is created', () => {
  it('a NUL in the source name: 400, no source in Airbyte, no onboarding left running', async () => {
    const h = await harness();
    const res = await h.call('POST', '/sources', { body: { templateId: 'faker', name: 'Faker\u0000', config: { count: 1 } }, idempotencyKey: 'nul-name-1' });
    expect(res.status).toBe(400);
    expect(res.json.error.fieldErrors[0].path).toEqual(['name']);
    expect(h.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    expect((await h.call('GET', '/onboardings/nul-name-1')).status).toBe(404);
  });

  it('a control character in any text field: 400 naming it', async () => {
    const h = await harness();
    const res = await h.call('POST', '/sources', { body: { templateId: 'stripe', config: { account_id: 'acct\u0007', client_secret: 'sk' } } });
    expect(res.status).toBe(400);
    expect(res.json.error.fieldErrors.map((e: { path: string[] }) => e.path)).toContainEqual(['account_id']);
    expect(h.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });
});

describe('7. template specs that could never work are refused when sent', () => {
  let deep: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < 800; i++) deep = { type: 'object', properties: { a: deep } };
  it.each([
    ['a remote $ref', { type: 'object', properties: { a: { $ref: 'https://attacker.example/schema.json' } } }, 'remote'],
    ['an 800-deep spec', deep, 'deep'],
    ['an invalid pattern', { type: 'object', properties: { a: { type: 'string', pattern: '([' } } }, 'regular expression'],
    ['a $ref to nowhere', { type: 'object', properties: { a: { $ref: '#/definitions/missing' } } }, 'points nowhere'],
  ])('%s: 400 naming the problem; customers are never sent a 500', async (_name, spec, words) => {
    const h = await harness({ operatorKey: OPERATOR_KEY });
    const res = await operator(h, 'POST', '/config_templates/sources', { id: 'bad', name: 'Bad', actorDefinitionId: 'dfd88b22-b603-4c3d-aad7-3701784586b1', partialDefaultConfig: {}, partialUserConfigSpec: { connectionSpecification: spec } });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain(words);
    expect((await h.call('GET', '/templates')).json.data.map((t: { id: string }) => t.id)).not.toContain('bad');
  });
});

describe('8. what the operator set never reaches the browser', () => {
  it('GET /sources/:id returns only the customer’s own fields at every depth, secrets masked (also behind $ref)', async () => {
    const h = await apiHarness();
    const created = await h.call('POST', '/sources', { body: { templateId: 'internal-api', config: { api: { token: 'tok-canary' }, tunnel_method: { tunnel_method: 'SSH_KEY_AUTH', ssh_key: 'key-canary' } } } });
    const res = await h.call('GET', `/sources/${created.json.source.sourceId}`);
    expect(res.json.config).toEqual({ api: { token: '**********' }, tunnel_method: { tunnel_method: 'SSH_KEY_AUTH', ssh_key: '**********' } });
    expect(res.text).not.toMatch(/internal\.acme|eu-internal|bastion|canary/);
  });

  it('masks a secret reached through a $ref', async () => {
    const refTemplate = {
      ...apiTemplate,
      id: 'ref-api',
      partialDefaultConfig: {},
      partialUserConfigSpec: { connectionSpecification: { type: 'object', definitions: { Secret: { type: 'string', airbyte_secret: true } }, properties: { api: { type: 'object', properties: { token: { $ref: '#/definitions/Secret' } } } } } },
    };
    // The connector's own spec does not say it is secret (Airbyte would not mask it): only the template does.
    const plain = structuredClone(apiConnector);
    const api = (plain.spec.properties as Record<string, { properties: Record<string, Record<string, unknown>> }>).api!;
    delete api.properties.token!.airbyte_secret;
    const h = await harness({ templates: { sources: [refTemplate], connections: [] }, emulator: { connectors: [plain] } });
    const created = await h.call('POST', '/sources', { body: { templateId: 'ref-api', config: { api: { token: 'ref-canary' } } } });
    const res = await h.call('GET', `/sources/${created.json.source.sourceId}`);
    expect(res.json.config).toEqual({ api: { token: '**********' } });
    expect(res.text).not.toContain('ref-canary');
  });
});

describe('9. session tokens', () => {
  it.each(['null', 'file:///home/me/page.html', 'data:text/html,hi', 'about:blank', 'https://a.example/app', 'https://a.example/?x=1', 'javascript:alert(1)', 'https://user:pw@a.example'])(
    'createSessionToken refuses the origin %s',
    async (origin) => {
      await expect(createSessionToken({ secret: SESSION_SECRET, customerId: 'c', allowedOrigin: origin })).rejects.toThrow(/allowedOrigin/);
    },
  );

  it('caps the lifetime at 24 hours and refuses tokens minted longer or for an opaque origin', async () => {
    await expect(createSessionToken({ secret: SESSION_SECRET, customerId: 'c', allowedOrigin: ORIGIN, expiresIn: 10 * 365 * 86400 })).rejects.toThrow(/24 hours/);
    const { SignJWT } = await import('jose');
    const key = new TextEncoder().encode(SESSION_SECRET);
    const forged = (origin: string, seconds: number) =>
      new SignJWT({ origin }).setProtectedHeader({ alg: 'HS256' }).setSubject('c').setAudience('airbyte-embed-kit').setIssuer('airbyte-embed-kit/server').setIssuedAt().setExpirationTime(`${seconds}s`).sign(key);
    const h = await harness();
    const fromSandbox = await h.proxy(new Request(`${ORIGIN}/api/embed/templates`, { headers: { authorization: `Bearer ${await forged('null', 600)}`, origin: 'null' } }));
    expect(fromSandbox.status).toBe(401);
    const tenYears = await h.call('GET', '/templates', { token: await forged(ORIGIN, 10 * 365 * 86400) });
    expect(tenYears.status).toBe(401);
  });
});

describe('10–12. smaller holes', () => {
  it('refuses template icons that are not https: or relative', async () => {
    const h = await harness({ operatorKey: OPERATOR_KEY });
    for (const icon of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'http://insecure.example/i.png', '//evil.example/i.png']) {
      const res = await operator(h, 'PATCH', '/config_templates/sources/stripe', { icon });
      expect(res.status, icon).toBe(400);
    }
    expect((await operator(h, 'PATCH', '/config_templates/sources/stripe', { icon: 'https://cdn.example/stripe.svg' })).status).toBe(200);
    expect((await operator(h, 'PATCH', '/config_templates/sources/stripe', { icon: '/icons/stripe.svg' })).status).toBe(200);
  });

  it('answers malformed %-escapes in a path with 400, not 500', async () => {
    const h = await harness();
    expect((await h.call('GET', '/sources/%E0%A4%A')).status).toBe(400);
  });

  it('sends nosniff on every answer and hides which operator routes exist without the key', async () => {
    const h = await harness({ operatorKey: OPERATOR_KEY });
    expect((await h.call('GET', '/templates')).headers.get('x-content-type-options')).toBe('nosniff');
    const probe = async (method: string, path: string) => (await h.proxy(new Request(`${ORIGIN}/api/embed/operator${path}`, { method }))).status;
    expect([await probe('GET', '/config_templates/sources'), await probe('PUT', '/config_templates/sources'), await probe('GET', '/no/such/route')]).toEqual([401, 401, 401]);
  });

  it('limits requests per client IP, whoever they claim to be', async () => {
    const h = await harness({ proxy: { ipRateLimit: { points: 3, durationSeconds: 60 } } });
    const from = async (ip: string) => (await h.proxy(new Request(`${ORIGIN}/api/embed/templates`, { headers: { authorization: 'Bearer forged' } }), { clientIp: ip })).status;
    expect([await from('203.0.113.9'), await from('203.0.113.9'), await from('203.0.113.9'), await from('203.0.113.9')]).toEqual([401, 401, 401, 429]);
    expect(await from('198.51.100.7')).toBe(401);
  });

  it('refuses a number too large to send (1e999 parses as Infinity, then travels as null)', async () => {
    const h = await harness();
    const res = await h.proxy(new Request(`${ORIGIN}/api/embed/sources`, { method: 'POST', headers: { authorization: `Bearer ${await h.token()}`, origin: ORIGIN, 'content-type': 'application/json' }, body: '{"templateId":"faker","config":{"count":1e999}}' }));
    expect(res.status).toBe(400);
    expect((await res.json()).error.fieldErrors.map((e: { path: string[] }) => e.path)).toEqual([['count']]);
    expect(h.calls.filter((c) => c.method === 'POST' && c.path.includes('/sources'))).toHaveLength(0);
  });

  it.each(['GET', 'PATCH', 'DELETE'])('answers %s with a NUL in an id with 400, not 500', async (method) => {
    const h = await harness();
    const res = await h.call(method, '/sources/%00', method === 'PATCH' ? { body: { name: 'x' } } : {});
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/control character/);
  });

  it('caps the sources one customer can create', async () => {
    const h = await harness({ proxy: { maxSourcesPerCustomer: 2 } });
    for (let i = 0; i < 2; i++) expect((await h.call('POST', '/sources', { body: { templateId: 'faker', config: { count: 1 } } })).status).toBe(201);
    const third = await h.call('POST', '/sources', { body: { templateId: 'faker', config: { count: 1 } } });
    expect(third.status).toBe(409);
    expect(third.json.error.code).toBe('source_limit_reached');
  });
});

describe('13. a template id is never a name every object already has', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', '..'])('refuses the id "%s" for both kinds of template', async (id) => {
    const h = await apiHarness();
    const connection = await operator(h, 'POST', '/integrations/templates/connections', { ...templatesJson.connections[0], id });
    const source = await operator(h, 'POST', '/config_templates/sources', { ...apiTemplate, id });
    expect([connection.status, source.status]).toEqual([400, 400]);
    expect(JSON.stringify(await connection.json())).toMatch(/id/);
  });

  it('keeps each customer’s saga apart even for a connection template stored as "constructor" by an older version', async () => {
    const store = await freshEmbeddedStore();
    const h = await harness({ store });
    await store.putConnectionTemplate({ ...parseTemplates(structuredClone(templatesJson)).connections[0]!, id: 'constructor' });
    const victim = await h.call('POST', '/sources', { token: await h.token('victim'), body: { templateId: 'faker', config: { count: 1 } } });
    const attacker = await h.call('POST', '/sources', { token: await h.token('attacker'), body: { templateId: 'faker', config: { count: 1 } } });
    expect([victim.status, attacker.status], victim.text).toEqual([201, 201]);
    const victimIds = victim.json.connections.map((c: { connection: { connectionId: string } }) => c.connection.connectionId);
    const attackerIds = attacker.json.connections.map((c: { connection: { connectionId: string } }) => c.connection.connectionId);
    expect(attackerIds.filter((id: string) => victimIds.includes(id))).toEqual([]);
    expect((await h.call('GET', `/connections/${victimIds[0]}`, { token: await h.token('attacker') })).status).toBe(404);
    expect(Object.keys(Object as object)).not.toContain('connectionId');
    expect('connectionId' in {}).toBe(false);
  });
});
