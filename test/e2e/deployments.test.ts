/**
 * Deployments, driven in Chromium: the widget's page served by Vite's dev server, which proxies
 * `/api/embed` to the kit's proxy on another port (the usual local setup). The page's same-origin
 * GETs carry no Origin header; the proxy must still match them to the token's origin. And the
 * demo itself (`npm start`) exposes no file of the checkout and no hot-reload socket.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { createServer as createViteServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../chromium.ts';
import { startDemo } from '../../demo/server.ts';
import { createEmbedProxy, createEmbeddedStore, createSessionToken, toNodeListener, type EmbedProxyOptions } from '../../src/server.ts';
import { startAirbyteEmulator, type AirbyteEmulator } from '../../src/testing.ts';

const SECRET = 'e2e-deploy-secret-0123456789abcdef0123456789';
let browser: Browser;
let emulator: AirbyteEmulator;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  emulator = await startAirbyteEmulator({});
});
afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await browser?.close();
  await emulator?.close();
});

/** The kit's proxy on a port of its own; `options` may be a function of nothing, called on first use (to name a later URL). */
async function proxyServer(options: Partial<EmbedProxyOptions> | (() => Partial<EmbedProxyOptions>)): Promise<string> {
  let handler: ((req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void) | undefined;
  const server: Server = createServer((req, res) => {
    handler ??= toNodeListener(
      createEmbedProxy({ airbyte: { baseUrl: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret }, sessionSecret: SECRET, store: createEmbeddedStore(), log: () => undefined, ...(typeof options === 'function' ? options() : options) }),
    );
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  closers.push(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function viteInFront(target: string, proxyOptions: { changeOrigin: boolean; xfwd?: boolean }): Promise<string> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'aek-vite-'));
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>host</title><p>host app</p>');
  const vite: ViteDevServer = await createViteServer({
    configFile: false,
    root,
    logLevel: 'silent',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, ws: false, proxy: { '/api/embed': { target, ...proxyOptions } } },
  });
  await vite.listen();
  closers.push(() => vite.close());
  return vite.resolvedUrls!.local[0]!.replace(/\/$/, '');
}

/** Opens the Vite page and reads the catalog the way the widget does (a same-origin GET). */
async function catalogStatus(viteUrl: string): Promise<{ status: number; message?: string }> {
  const page = await browser.newPage();
  try {
    await page.goto(viteUrl);
    const token = await createSessionToken({ secret: SECRET, customerId: 'deploy-c', allowedOrigin: new URL(viteUrl).origin });
    return await page.evaluate(async (t) => {
      const res = await fetch('/api/embed/templates', { headers: { authorization: `Bearer ${t}` } });
      const body = await res.json();
      return { status: res.status, message: body?.error?.message };
    }, token);
  } finally {
    await page.close();
  }
}

describe('behind Vite’s dev proxy', () => {
  it('works as Vite proxies by default (Host kept)', async () => {
    const vite = await viteInFront(await proxyServer({}), { changeOrigin: false });
    expect(await catalogStatus(vite)).toMatchObject({ status: 200 });
  });

  it('with changeOrigin (Host rewritten): refused with the fix named; works with xfwd + trustProxy, or publicOrigin', async () => {
    const refused = await catalogStatus(await viteInFront(await proxyServer({}), { changeOrigin: true }));
    expect(refused.status).toBe(403);
    expect(refused.message).toMatch(/publicOrigin|trustProxy/);
    expect(await catalogStatus(await viteInFront(await proxyServer({ trustProxy: true }), { changeOrigin: true, xfwd: true }))).toMatchObject({ status: 200 });
    let viteOrigin = '';
    const vite = await viteInFront(await proxyServer(() => ({ publicOrigin: viteOrigin })), { changeOrigin: true });
    viteOrigin = new URL(vite).origin;
    expect(await catalogStatus(vite)).toMatchObject({ status: 200 });
  });
});

describe('the demo (`npm start`)', () => {
  it('serves its build only: no /@fs/ files, no source files, no hot-reload socket; only its own Host', async () => {
    const demo = await startDemo({ quiet: true, dataDir: mkdtempSync(path.join(os.tmpdir(), 'aek-demo-')) });
    closers.push(() => demo.close());
    const base = new URL(demo.url);
    for (const probe of ['/@fs/etc/passwd', `/@fs${path.resolve('package.json')}`, '/../package.json', '/main.tsx', '/@vite/client', '/server.ts']) {
      const res = await fetch(new URL(probe, base));
      const text = await res.text();
      expect(text, probe).not.toMatch(/"name": "airbyte-embed-kit"|root:x:0|import .* from/);
    }
    const rebound = await new Promise<number>((resolve, reject) => {
      const socket = connect(Number(base.port), base.hostname, () => socket.write(`GET /demo/session HTTP/1.1\r\nHost: attacker.example:${base.port}\r\nConnection: close\r\n\r\n`));
      let data = '';
      socket.on('data', (d) => (data += d));
      socket.on('end', () => resolve(Number(/HTTP\/1\.1 (\d+)/.exec(data)?.[1])));
      socket.on('error', reject);
    });
    expect(rebound).toBe(421);
    // No hot-reload socket: the page opens no websocket at all (so no clash with another program's Vite on 24678).
    const page = await browser.newPage();
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(demo.url);
    await expect.poll(() => page.getByRole('button', { name: /Stripe/ }).isVisible(), { timeout: 30_000 }).toBe(true);
    await page.close();
    expect(sockets).toEqual([]);
  });
});
