/**
 * A proxy on another origin than the page, in Debian's headless Chromium: the browser hides why a
 * cross-origin call failed, and the client tells the developer which it was, from the proxy's
 * ping: the page's origin is not in allowedOrigins, the token was minted for another origin, or
 * the proxy is down.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build, type Rollup } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../chromium.ts';
import { createEmbedProxy, createSessionToken, parseTemplates, toNodeListener } from '../../src/server.ts';
import { startAirbyteEmulator, type AirbyteEmulator } from '../../src/testing.ts';
import templatesJson from '../../demo/templates.json';
import { freshEmbeddedStore } from '../fixtures/stores.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SECRET = crypto.randomUUID() + crypto.randomUUID();

let emulator: AirbyteEmulator;
let browser: Browser;
let pageScript: string;
const servers: Server[] = [];

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function proxyAt(allowedOrigins?: string[]): Promise<string> {
  const proxy = createEmbedProxy({
    airbyte: { baseUrl: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret },
    sessionSecret: SECRET,
    store: await freshEmbeddedStore(),
    templates: parseTemplates(structuredClone(templatesJson)),
    allowedOrigins,
    log: () => undefined,
  });
  return `${await listen(toNodeListener(proxy))}/api/embed`;
}

beforeAll(async () => {
  const out = (await build({
    configFile: false,
    logLevel: 'silent',
    build: { write: false, lib: { entry: path.join(here, 'cors-app/main.ts'), formats: ['iife'], name: 'aekCors' }, minify: false },
  })) as Rollup.RollupOutput[];
  pageScript = out[0]!.output[0].code;
  emulator = await startAirbyteEmulator({ discoverMs: 0 });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  await emulator?.close();
});

/** Opens a page on its own origin and makes one call to `baseUrl` with a token for `tokenOrigin` (default: the page's). */
async function callFromPage(baseUrl: string, tokenOrigin?: string): Promise<{ code?: string; message?: string; ok?: boolean }> {
  const pageOrigin = await listen((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>host</title>'));
  const token = await createSessionToken({ secret: SECRET, customerId: 'cors-customer', allowedOrigin: tokenOrigin ?? pageOrigin });
  const page = await browser.newPage();
  try {
    await page.goto(pageOrigin);
    await page.addScriptTag({ content: pageScript });
    return (await page.evaluate(([url, t]) => (window as unknown as { aekList: (u: string, t: string) => Promise<unknown> }).aekList(url!, t!), [baseUrl, token])) as { code?: string; message?: string };
  } finally {
    await page.close();
  }
}

describe('a proxy on another origin, in Chromium', () => {
  it('answers a page it allows', async () => {
    expect(await callFromPage(await proxyAt())).toEqual({ ok: true });
  });

  it('says the page’s origin is not in allowedOrigins', async () => {
    const error = await callFromPage(await proxyAt(['https://nope.example']));
    expect(error.code).toBe('origin_not_allowed');
    expect(error.message).toMatch(/is up but does not allow this page's origin http:\/\/127\.0\.0\.1:\d+ \(CORS\).*allowedOrigins/);
  });

  it('says the token was minted for another origin', async () => {
    const error = await callFromPage(await proxyAt(), 'https://elsewhere.example');
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toMatch(/is up and allows this origin, .*a session token minted for another origin \(mint it with allowedOrigin http:\/\/127\.0\.0\.1:\d+\)/);
  });

  it('says the proxy is down or unreachable when nothing answers', async () => {
    const closed = await listen(() => undefined);
    const server = servers.pop()!;
    server.close();
    const error = await callFromPage(`${closed}/api/embed`);
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toMatch(/^Could not reach the proxy at http:\/\/127\.0\.0\.1:\d+: it is down or unreachable from this page/);
  });
});
