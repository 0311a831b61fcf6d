/**
 * A real `next build` with no EMBED_SESSION_SECRET (it must pass and create no .airbyte-embed-kit/),
 * then `next start` on a free port against the kit's emulator, driven in Chromium through a connect
 * and a server-rendered form, with no hydration error (nor any other) in the console. Then the same
 * under `next dev`, as a developer first runs it: React's development build, whose hydration checks
 * are stricter (attributes too), and where a console warning fails the run as well.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startAirbyteEmulator } from 'airbyte-embed-kit/testing';
import { connectSampleSource } from '../_shared/flow.ts';

const STORE_DIR = '.airbyte-embed-kit';

function next(args: string[], env: NodeJS.ProcessEnv): { done: Promise<number>; output: () => string; stop: () => void } {
  const child = spawn(path.join('node_modules', '.bin', 'next'), args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  return { done, output: () => out, stop: () => { try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* gone */ } } };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

// 1. next build, as CI builds: no kit secret, no Airbyte credentials.
const buildEnv: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
for (const key of Object.keys(buildEnv)) if (key.startsWith('EMBED_') || key.startsWith('AIRBYTE_')) delete buildEnv[key];
rmSync(STORE_DIR, { recursive: true, force: true });
const buildStarted = performance.now();
const build = next(['build'], buildEnv);
if ((await build.done) !== 0) throw new Error(`next build failed without EMBED_SESSION_SECRET:\n${build.output().slice(-5000)}`);
if (existsSync(STORE_DIR)) throw new Error(`next build created ${STORE_DIR}/: the proxy (or its store) was created at module load; create it on the first request`);
console.log(`next build: ${((performance.now() - buildStarted) / 1000).toFixed(1)}s, without EMBED_SESSION_SECRET, no ${STORE_DIR}/`);

// 2. next start (then next dev) on a free port, against the emulator.
async function serveAndDrive(command: 'start' | 'dev'): Promise<void> {
  const emulator = await startAirbyteEmulator({ port: 0, jobDurationMs: 1000, discoverMs: 0 });
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aek-next-store-'));
  const server = next([command, '-p', String(port), '-H', '127.0.0.1'], {
    ...buildEnv,
    APP_ORIGIN: origin,
    // An obviously fake test secret; a real app reads it from its secret store.
    EMBED_SESSION_SECRET: `next-host-fixture-test-secret-${crypto.randomUUID()}`,
    EMBED_DATA_DIR: dataDir,
    AIRBYTE_API_URL: emulator.url,
    AIRBYTE_CLIENT_ID: emulator.clientId,
    AIRBYTE_CLIENT_SECRET: emulator.clientSecret,
    AIRBYTE_TEMPLATES_FILE: path.resolve('../_shared/templates.json'),
  });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: JSON.parse(process.env.CHROMIUM_ARGS ?? '["--headless","--no-sandbox","--disable-gpu","--disable-dev-shm-usage"]') as string[] });
  try {
    const deadline = Date.now() + 30_000;
    while (!(await fetch(`${origin}/api/session`, { method: 'HEAD' }).then(() => true, () => false))) {
      if (Date.now() > deadline) throw new Error(`next ${command} did not answer at ${origin}:\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || /hydrat/i.test(m.text()) || (command === 'dev' && m.type() === 'warning')) problems.push(`console.${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`); });

    const sourceId = await connectSampleSource(page, `${origin}/`);
    console.log(`connected source ${sourceId} through next ${command}`);

    // The server-rendered form hydrates as it was rendered, then submits.
    await page.goto(`${origin}/form`);
    const ssr = await (await fetch(`${origin}/form`)).text();
    if (!ssr.includes('API key')) throw new Error('the /form page was not rendered on the server (no "API key" label in its HTML)');
    await page.getByLabel(/API key/).fill('fake-key-for-the-host-test');
    await page.getByRole('button', { name: 'Connect', exact: true }).click().catch(async () => page.locator('button[type="submit"]').click());
    await page.getByTestId('form-sent').waitFor({ timeout: 10_000 });
    if (problems.length) throw new Error(`the page logged errors:\n${problems.join('\n')}`);
    console.log(`next ${command}: the server-rendered form hydrated and submitted with no console ${command === 'dev' ? 'error or warning' : 'error'}`);
  } finally {
    await browser.close();
    server.stop();
    await server.done;
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await serveAndDrive('start');
await serveAndDrive('dev');
