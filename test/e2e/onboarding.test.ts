/**
 * End to end: the demo stack (`npm start`'s code) driven in Debian's headless Chromium.
 * Saves the README's screenshots to docs/screenshots/.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../chromium.ts';
import { startDemo, type Demo } from '../../demo/server.ts';

const shots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
const SECRET = 'sk_live_e2e_canary_4242';

let demo: Demo;
let browser: Browser;
let page: Page;
const bodies: string[] = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
  demo = await startDemo({ jobDurationMs: 3000, quiet: true });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  page = await browser.newPage({ viewport: { width: 880, height: 760 }, deviceScaleFactor: 1 });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('response', async (r) => {
    if (r.url().includes('/api/embed/')) bodies.push(await r.text().catch(() => ''));
  });
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

describe('demo onboarding in Chromium', () => {
  it('connects Stripe: catalog → form with errors kept → connected with schedule and first sync', async () => {
    await page.goto(demo.url);
    await expect.poll(() => page.getByRole('button', { name: /Stripe/ }).isVisible(), { timeout: 30_000 }).toBe(true);
    await page.screenshot({ path: path.join(shots, 'catalog.png') });
    await page.getByRole('button', { name: /Stripe/ }).click();

    await page.getByLabel(/Account ID/).fill('acct_1A2b3C');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => page.getByText('is required').count()).toBe(1);
    await expect(page.getByLabel(/Account ID/).inputValue()).resolves.toBe('acct_1A2b3C');
    await expect(page.getByLabel(/Secret Key/).getAttribute('type')).resolves.toBe('password');

    await page.getByLabel(/Secret Key/).fill(SECRET);
    // The optional start date is folded under "Optional fields".
    await page.getByText(/Optional fields/).click();
    await page.getByLabel(/Replication start date/).fill('2024-01-15T08:30:00');
    await page.screenshot({ path: path.join(shots, 'form.png') });
    await page.getByRole('button', { name: 'Connect', exact: true }).click();

    await page.getByText('Stripe is connected').waitFor({ timeout: 15_000 });
    await expect(page.getByText('At 02:15 AM, every day (UTC)').isVisible()).resolves.toBe(true);
    await page.locator('.aek-job[data-status="succeeded"]').waitFor({ timeout: 15_000 });
    await expect(page.locator('.aek-job').textContent()).resolves.toMatch(/Synced\s+1,000 rows/);
    await page.screenshot({ path: path.join(shots, 'connected.png') });

    // What Airbyte received: template defaults merged with the user's values (the secret is stored,
    // and masked on reads as Airbyte does), on a cron schedule.
    const { data: sources } = await demoUpstream('/sources');
    expect(sources).toHaveLength(1);
    expect(sources[0].configuration).toEqual({ lookback_window_days: 0, slice_range: 365, account_id: 'acct_1A2b3C', client_secret: '**********', start_date: '2024-01-15T08:30:00Z' });
    const { data: connections } = await demoUpstream('/connections');
    expect(connections[0].schedule).toEqual({ scheduleType: 'cron', cronExpression: '0 15 2 * * ?' });

    // Nothing the browser received holds the secret or the Airbyte credentials.
    expect(bodies.length).toBeGreaterThan(3);
    for (const body of bodies) {
      expect(body).not.toContain(SECRET);
      expect(body).not.toContain(demo.emulator.clientSecret);
    }
    expect(consoleErrors).toEqual([]);
  });

  it('connects the Faker template with its default count', async () => {
    await page.getByRole('button', { name: 'Connect another source' }).click();
    await page.getByRole('button', { name: /Faker/ }).click();
    await expect(page.getByLabel(/Count/).inputValue()).resolves.toBe('5000');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByText('Sample data (Faker) is connected').waitFor({ timeout: 15_000 });
    const { data: workspaces } = await demoUpstream('/workspaces');
    expect(workspaces).toHaveLength(1);
    const { data: destinations } = await demoUpstream('/destinations');
    expect(destinations).toHaveLength(1);
  });
});

async function demoUpstream(p: string) {
  const tokenRes = await fetch(`${demo.emulator.url}/applications/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: demo.emulator.clientId, client_secret: demo.emulator.clientSecret }),
  });
  const { access_token } = (await tokenRes.json()) as { access_token: string };
  const res = await fetch(`${demo.emulator.url}${p}`, { headers: { authorization: `Bearer ${access_token}` } });
  return res.json() as Promise<{ data: any[] }>;
}
