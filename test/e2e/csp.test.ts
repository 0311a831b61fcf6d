/**
 * End to end under a strict Content-Security-Policy with Trusted Types (the policy the README's
 * "Content Security Policy" section gives): a host page bundling the kit (test/e2e/csp-app, built
 * with Vite, no inline script or style), the proxy and the Airbyte emulator behind the same
 * origin, in Debian's headless Chromium. A person connects Harvest (a real spec: a pattern on the
 * start date, a choice of sign-in method, a description with a link): they switch to a personal
 * access token, are told what is missing, submit and are connected; on Freshdesk's real spec a
 * pattern error shows in the browser. Not one CSP violation.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../chromium.ts';
import { createEmbedProxy, createEmbeddedStore, createSessionToken, loadTemplatesFile, toNodeListener } from '../../src/server.ts';
import { loadConnectorSpecsDir, startAirbyteEmulator, type AirbyteEmulator } from '../../src/testing.ts';
import { SHARED_SPECS, specsMissingMessage } from '../fixtures/sharedSpecs.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

/** The policy under test, exactly as the README gives it. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https://connectors.airbyte.com data:; connect-src 'self'; require-trusted-types-for 'script'; trusted-types 'none'";
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.json': 'application/json' };
const ICON = '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect width="16" height="16" fill="#615eff"/></svg>';

let outDir: string;
let emulator: AirbyteEmulator;
let server: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  if (!SHARED_SPECS) return;
  outDir = mkdtempSync(path.join(os.tmpdir(), 'aek-csp-'));
  const built = build({
    configFile: false,
    root: path.join(here, 'csp-app'),
    logLevel: 'silent',
    plugins: [react()],
    resolve: {
      alias: [
        { find: /^airbyte-embed-kit\/styles\.css$/, replacement: path.join(root, 'src/react/styles.css') },
        { find: /^airbyte-embed-kit$/, replacement: path.join(root, 'src/index.ts') },
      ],
    },
    // No inline anything: assets as files, never as data: URLs inside the CSS or JS.
    build: { outDir, emptyOutDir: true, sourcemap: false, reportCompressedSize: false, assetsInlineLimit: 0, chunkSizeWarningLimit: 4096 },
  });
  const real = loadConnectorSpecsDir(SHARED_SPECS).filter((c) => c.name === 'Harvest' || c.name === 'Freshdesk');
  if (real.length !== 2) throw new Error('source-harvest.json or source-freshdesk.json is missing from ../shared/connector-specs');
  emulator = await startAirbyteEmulator({ jobDurationMs: 1500, connectors: real });
  const sessionSecret = crypto.randomUUID() + crypto.randomUUID();
  // The demo's connection template (to its S3 destination); Harvest's and Freshdesk's real specs as the sources.
  const { connections } = await loadTemplatesFile(path.join(root, 'demo/templates.json'));
  const proxy = toNodeListener(
    createEmbedProxy({
      airbyte: { baseUrl: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret },
      sessionSecret,
      templates: { sources: real.map((c) => ({ id: c.name.toLowerCase(), name: c.name, actorDefinitionId: c.id, partialDefaultConfig: {}, partialUserConfigSpec: { connectionSpecification: c.spec } })), connections },
      store: createEmbeddedStore(),
      log: () => undefined,
    }),
  );
  await built;
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    if (url.pathname.startsWith('/api/embed/')) return proxy(req, res);
    if (url.pathname === '/host/session' && req.method === 'POST') {
      void createSessionToken({ secret: sessionSecret, customerId: 'csp-customer', allowedOrigin: origin, expiresIn: 900 }).then((token) => {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ token }));
      });
      return;
    }
    void (async () => {
      const file = path.resolve(outDir, `.${path.posix.normalize(url.pathname)}`);
      const found = file.startsWith(`${outDir}${path.sep}`) && (await stat(file).catch(() => undefined))?.isFile();
      const target = found ? file : path.join(outDir, 'index.html');
      res.writeHead(200, { 'content-type': TYPES[path.extname(target)] ?? 'application/octet-stream', 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' });
      res.end(await readFile(target));
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
});

afterAll(async () => {
  await browser?.close();
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await emulator?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

/** A page that records every CSP violation (from the page's own event) and every console error. */
async function strictPage(): Promise<{ page: Page; violations: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
  const violations: string[] = [];
  const errors: string[] = [];
  await page.exposeFunction('aekReportViolation', (v: string) => void violations.push(v));
  // An init script is injected by the browser driver, not by the page: the page's CSP does not apply to it.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { aekReportViolation(v: string): void }).aekReportViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
  });
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  // No network here: the connector icons the kit loads from Airbyte's CDN are answered locally.
  await page.route('https://connectors.airbyte.com/**', (route) => route.fulfill({ status: 200, contentType: 'image/svg+xml', body: ICON }));
  return { page, violations, errors };
}

describe('the widget under a strict CSP with Trusted Types', () => {
  it.skipIf(!SHARED_SPECS)(`connects Harvest: another sign-in method, an error for what is missing, connected; no violation (${specsMissingMessage})`, async () => {
    const { page, violations, errors } = await strictPage();
    const response = await page.goto(origin);
    expect(response?.headers()['content-security-policy']).toBe(CSP);

    await page.getByRole('button', { name: /Harvest/ }).click({ timeout: 30_000 });
    await page.getByLabel(/Account ID/).fill('1234567');
    await page.getByLabel(/Start Date/).fill('2017-01-25T00:00:00');
    await page.getByRole('combobox', { name: /Authentication mechanism/ }).selectOption({ label: 'Authenticate with Personal Access Token' });
    // The option's description: its HTML link rendered as a React element, opening in a new tab.
    const link = page.locator('.aek-description a[href="https://id.getharvest.com/developers"]');
    await expect(link.getAttribute('target')).resolves.toBe('_blank');
    await expect(link.getAttribute('rel')).resolves.toBe('noopener noreferrer');
    // Submitting without the token: the browser's own validation (no eval) says what is missing.
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const tokenField = page.locator('[data-path="/credentials/api_token"]');
    await expect.poll(() => tokenField.getAttribute('data-has-error')).toBe('true');
    await page.getByLabel(/Personal Access Token/).fill('hv_pat_e2e_csp');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.locator('.aek-success').waitFor({ timeout: 30_000 });
    await page.getByText(/Harvest is connected/).waitFor();

    // What Airbyte received: the chosen sign-in method, not the other one.
    const token = await (await fetch(`${emulator.url}/applications/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: emulator.clientId, client_secret: emulator.clientSecret }) })).json();
    const sources = await (await fetch(`${emulator.url}/sources`, { headers: { authorization: `Bearer ${(token as { access_token: string }).access_token}` } })).json();
    expect((sources as { data: Array<{ configuration: Record<string, unknown> }> }).data[0]!.configuration).toMatchObject({ account_id: '**********', replication_start_date: '2017-01-25T00:00:00Z', credentials: { auth_type: 'Token', api_token: '**********' } });

    // The kit put no <style> element and no style attribute from an HTML string into the page.
    expect(await page.locator('style').count()).toBe(0);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it.skipIf(!SHARED_SPECS)('the policy is enforced on the page: an inline script and an HTML string are refused and reported', async () => {
    const { page, violations } = await strictPage();
    await page.goto(origin);
    await page.getByRole('button', { name: /Harvest/ }).waitFor({ timeout: 30_000 });
    const refused = await page.evaluate(() => {
      const out: string[] = [];
      try {
        document.body.insertAdjacentHTML('beforeend', '<b>x</b>');
      } catch (e) {
        out.push((e as Error).name);
      }
      return out;
    });
    expect(refused).toEqual(['TypeError']);
    // A script the page did not serve is refused too (the driver's own evaluate is exempt from CSP, so add one).
    await page.addScriptTag({ content: 'window.aekInline = true' }).catch(() => undefined);
    expect(await page.evaluate(() => (window as { aekInline?: boolean }).aekInline)).toBeUndefined();
    await expect.poll(() => violations.length).toBeGreaterThanOrEqual(2);
    expect(violations.join('\n')).toMatch(/require-trusted-types-for .*insertAdjacentHTML/);
    expect(violations.join('\n')).toMatch(/require-trusted-types-for .*HTMLScriptElement/);
    await page.close();
  });

  it.skipIf(!SHARED_SPECS)('checks a real spec\'s pattern in the browser (Freshdesk\'s domain), with no violation', async () => {
    const { page, violations, errors } = await strictPage();
    await page.goto(origin);
    await page.getByRole('button', { name: /Freshdesk/ }).click({ timeout: 30_000 });
    await page.getByLabel(/API Key/).fill('fd_key_e2e_csp');
    await page.getByLabel(/Domain/).fill('acme.example.com');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const domain = page.locator('[data-path="/domain"]');
    await expect.poll(() => domain.getAttribute('data-has-error')).toBe('true');
    // The pattern's message names the example, never the regex.
    await expect(domain.textContent()).resolves.toMatch(/myaccount\.freshdesk\.com/);
    await page.getByLabel(/Domain/).fill('acme.freshdesk.com');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.locator('.aek-success').waitFor({ timeout: 30_000 });
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

// Guard against the policy drifting from the README's.
it('the README gives the same policy', () => {
  expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toContain(CSP);
});
