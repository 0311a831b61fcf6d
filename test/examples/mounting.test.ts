/** Each documented way of mounting the proxy, exercised end to end against the emulator. */
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExpressApp } from '../../examples/express.ts';
import { createHonoApp } from '../../examples/hono.ts';
import { createEmbedProxy, createSessionToken, parseTemplates, type FetchHandler } from '../../src/server.ts';
import { startAirbyteEmulator, type AirbyteEmulator } from '../../src/testing.ts';
import templatesJson from '../../demo/templates.json';
import { freshEmbeddedStore } from '../fixtures/stores.ts';

const SECRET = 'mounting-test-secret-0123456789abcdef';
const ORIGIN = 'https://app.example.com';
let emulator: AirbyteEmulator;
let proxy: FetchHandler;

beforeAll(async () => {
  emulator = await startAirbyteEmulator({ discoverMs: 0 });
  proxy = createEmbedProxy({
    airbyte: { baseUrl: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret },
    sessionSecret: SECRET,
    store: await freshEmbeddedStore(),
    templates: parseTemplates(structuredClone(templatesJson)),
    log: () => undefined,
  });
}, 60_000);
afterAll(() => emulator.close());

const token = () => createSessionToken({ secret: SECRET, customerId: 'mount-customer', allowedOrigin: ORIGIN });
const createBody = JSON.stringify({ templateId: 'faker', config: { count: 3 } });

describe('mounting the proxy', () => {
  it('in Express 5, before its JSON body parser', async () => {
    const app = createExpressApp(proxy, { sessionSecret: SECRET, allowedOrigin: ORIGIN, currentCustomerId: () => 'mount-customer' });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const { token: t } = (await (await fetch(`${base}/my-backend/airbyte-session`, { method: 'POST' })).json()) as { token: string };
      const res = await fetch(`${base}/api/embed/sources`, { method: 'POST', headers: { authorization: `Bearer ${t}`, origin: ORIGIN, 'content-type': 'application/json' }, body: createBody });
      expect(res.status).toBe(201);
      expect(((await res.json()) as { source: { name: string } }).source.name).toBe('Sample data (Faker)');
    } finally {
      server.close();
    }
  });

  it("in Express with app.use('/api/embed', toNodeListener(proxy)), as the body-parser message advises (Express strips the mount path)", async () => {
    const express = (await import('express')).default;
    const { toNodeListener } = await import('../../src/server.ts');
    const app = express();
    app.use('/api/embed', toNodeListener(proxy));
    app.use(express.json());
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const headers = { authorization: `Bearer ${await token()}`, origin: ORIGIN };
      expect((await fetch(`${base}/api/embed/templates`, { headers })).status).toBe(200);
      const res = await fetch(`${base}/api/embed/sources`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': 'mounting-use-0001' }, body: createBody });
      expect(res.status).toBe(201);
    } finally {
      server.close();
    }
  });

  it("in Express with app.use('/api/embed', …) and a proxy made for that mount (basePath: '/'): the stripped path is kept", async () => {
    const express = (await import('express')).default;
    const { toNodeListener } = await import('../../src/server.ts');
    const mounted = createEmbedProxy({
      airbyte: { baseUrl: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret },
      sessionSecret: SECRET,
      basePath: '/',
      store: await freshEmbeddedStore(),
      templates: parseTemplates(structuredClone(templatesJson)),
      log: () => undefined,
    });
    const app = express();
    app.use('/api/embed', toNodeListener(mounted));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${base}/api/embed/templates`, { headers: { authorization: `Bearer ${await token()}`, origin: ORIGIN } })).status).toBe(200);
    } finally {
      server.close();
    }
  });

  it("in Express with app.use('/embed', …) while the proxy's basePath is the default /api/embed: a 404 naming the path the browser asked for and what to change", async () => {
    const express = (await import('express')).default;
    const { toNodeListener } = await import('../../src/server.ts');
    const app = express();
    app.use('/embed', toNodeListener(proxy));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const res = await fetch(`${base}/embed/templates`, { headers: { authorization: `Bearer ${await token()}`, origin: ORIGIN } });
      expect(res.status).toBe(404);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error).toMatchObject({ code: 'host_misconfigured', message: expect.stringMatching(/^The proxy received \/embed\/templates, outside its basePath \/api\/embed/) });
    } finally {
      server.close();
    }
  });

  it('in Express with express.json() mounted first: a 500 that says how to fix the mount, not "Body is unusable"', async () => {
    const express = (await import('express')).default;
    const { toNodeListener } = await import('../../src/server.ts');
    const app = express();
    app.use(express.json());
    app.use('/api/embed', (req, res) => {
      // Express strips the mount path; the proxy expects the full URL.
      req.url = req.originalUrl;
      toNodeListener(proxy)(req, res);
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const res = await fetch(`${base}/api/embed/sources`, { method: 'POST', headers: { authorization: `Bearer ${await token()}`, origin: ORIGIN, 'content-type': 'application/json' }, body: createBody });
      expect(res.status).toBe(500);
      const body = (await res.json()) as { error: { code: string; message: string } };
      // The widget then says the page is not set up (no retry helps) and the developer's console says why.
      expect(body.error.code).toBe('host_misconfigured');
      expect(body.error.message).toMatch(/already read by a body parser mounted before the proxy \(express\.json\(\)/);
      expect(body.error.message).toMatch(/Mount toNodeListener\(proxy\) before it/);
      // A GET, which has no body, still works through the same mount.
      expect((await fetch(`${base}/api/embed/templates`, { headers: { authorization: `Bearer ${await token()}`, origin: ORIGIN } })).status).toBe(200);
    } finally {
      server.close();
    }
  });

  it('in a route that read the body first (await request.json(), then proxy(request)): a 500 that says to hand it over unread', async () => {
    const headers = { authorization: `Bearer ${await token()}`, origin: ORIGIN, 'content-type': 'application/json' };
    for (const read of [(r: Request) => r.json(), (r: Request) => Promise.resolve(r.body!.getReader())]) {
      const request = new Request('https://app.example.com/api/embed/sources', { method: 'POST', headers, body: createBody });
      await read(request);
      const res = await proxy(request);
      expect(res.status).toBe(500);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('host_misconfigured');
      expect(error.message).toMatch(/already read before the proxy got it/);
      expect(error.message).toMatch(/request\.clone\(\)\.json\(\)/);
      expect(error.message).toMatch(/bodyParser: false/);
    }
    // Reading a copy leaves the request whole.
    const request = new Request('https://app.example.com/api/embed/sources', { method: 'POST', headers: { ...headers, 'idempotency-key': 'mounting-clone-0001' }, body: createBody });
    expect(((await request.clone().json()) as { templateId: string }).templateId).toBe('faker');
    expect((await proxy(request)).status).toBe(201);
  });

  it('says which setting is missing (not "too short" or "wrong") when an environment variable is unset', async () => {
    const airbyte = { baseUrl: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret };
    const unset = process.env.AEK_TEST_UNSET_VARIABLE;
    expect(() => createEmbedProxy({ airbyte, sessionSecret: unset!, store: undefined })).toThrow(/sessionSecret is missing \(got undefined\).*process\.env\.EMBED_SESSION_SECRET/);
    expect(() => createEmbedProxy({ airbyte, sessionSecret: 'short' })).toThrow(/at least 32 characters \(got 5\)/);
    expect(() => createEmbedProxy({ airbyte: { ...airbyte, clientId: unset! }, sessionSecret: SECRET })).toThrow(/airbyte\.clientId is missing \(got undefined\).*process\.env\.AIRBYTE_CLIENT_ID/);
    expect(() => createEmbedProxy({ airbyte: { ...airbyte, clientSecret: '' }, sessionSecret: SECRET })).toThrow(/airbyte\.clientSecret is missing \(got an empty string\)/);
    expect(() => createEmbedProxy({ airbyte: { ...airbyte, baseUrl: unset! }, sessionSecret: SECRET })).toThrow(/airbyte\.baseUrl is missing/);
    await expect(createSessionToken({ secret: unset!, customerId: 'c', allowedOrigin: ORIGIN })).rejects.toThrow(/session secret is missing \(got undefined\).*EMBED_SESSION_SECRET/);
  });

  it('in Hono', async () => {
    const app = createHonoApp(proxy);
    const res = await app.request('https://app.example.com/api/embed/templates', { headers: { authorization: `Bearer ${await token()}`, origin: ORIGIN } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: unknown[] }).data).toHaveLength(2);
  });

  it('as a Next.js route handler', async () => {
    Object.assign(process.env, {
      AIRBYTE_API_URL: emulator.url,
      AIRBYTE_CLIENT_ID: emulator.clientId,
      AIRBYTE_CLIENT_SECRET: emulator.clientSecret,
      EMBED_SESSION_SECRET: SECRET,
      AIRBYTE_TEMPLATES_FILE: new URL('../../demo/templates.json', import.meta.url).pathname,
      EMBED_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'aek-next-')),
    });
    const route = await import('../../examples/nextjs/app/api/embed/[...path]/route.ts');
    const headers = { authorization: `Bearer ${await token()}`, origin: ORIGIN };
    expect((await route.GET(new Request('https://app.example.com/api/embed/templates', { headers }))).status).toBe(200);
    const created = await route.POST(new Request('https://app.example.com/api/embed/sources', { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: createBody }));
    expect(created.status).toBe(201);
    expect(route.runtime).toBe('nodejs');
  });
});
