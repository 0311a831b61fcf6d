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
    // The optional start date is folded under "Optional field (1)".
    await page.getByText(/Optional field/).click();
    await page.getByLabel(/Replication start date/).fill('2024-01-15T08:30:00');
    await page.screenshot({ path: path.join(shots, 'form.png') });
    await page.getByRole('button', { name: 'Connect', exact: true }).click();

    // While connecting, the onboarding's steps show.
    await page.locator('.aek-progress').waitFor({ timeout: 15_000 }).catch(() => undefined);
    await page.getByText('Stripe is connected').waitFor({ timeout: 15_000 });
    await expect(page.locator('.aek-connection .aek-schedule').textContent()).resolves.toBe('Every day at 02:15 UTC');
    await expect(page.locator('.aek-connection .aek-next-run').textContent()).resolves.toMatch(/02:15 UTC \((in \d+ (seconds?|minutes?|hours?)|now)\)$/);
    await page.locator('.aek-job[data-status="succeeded"]').waitFor({ timeout: 15_000 });
    await expect(page.locator('.aek-job').textContent()).resolves.toMatch(/Synced\s+1,000 rows/);
    await page.screenshot({ path: path.join(shots, 'connected.png') });

    // What Airbyte received: template defaults merged with the user's values (the secret is stored,
    // and masked on reads as Airbyte does), on a cron schedule.
    const { data: sources } = await demoUpstream('/sources');
    expect(sources).toHaveLength(1);
    expect(sources[0].configuration).toEqual({ lookback_window_days: 0, slice_range: 365, account_id: 'acct_1A2b3C', client_secret: '**********', start_date: '2024-01-15T08:30:00Z' });
    const { data: connections } = await demoUpstream('/connections');
    // Airbyte reads cron expressions back with " UTC" appended (ConnectionReadMapper).
    expect(connections[0].schedule).toEqual({ scheduleType: 'cron', cronExpression: '0 15 2 * * ? UTC' });

    // Nothing the browser received holds the secret or the Airbyte credentials.
    expect(bodies.length).toBeGreaterThan(3);
    for (const body of bodies) {
      expect(body).not.toContain(SECRET);
      expect(body).not.toContain(demo.emulator.clientSecret);
    }
    expect(consoleErrors).toEqual([]);
  });

  it('manages the source: sees it synced, syncs it again, reads its history, deletes it after confirming', async () => {
    await page.getByRole('button', { name: 'See your data sources' }).click();
    const card = page.locator('.aek-source', { has: page.getByRole('heading', { name: 'Stripe', level: 3 }) });
    await card.waitFor();
    await expect(card.getAttribute('data-state')).resolves.toBe('succeeded');
    await expect(card.locator('.aek-next-run').textContent()).resolves.toMatch(/02:15 UTC/);

    await card.getByRole('button', { name: 'Sync now' }).click();
    await page.getByText('A sync of Stripe has started.').waitFor();
    await expect.poll(() => card.getAttribute('data-state')).toBe('running');
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 15_000 }).toBe('succeeded');
    await card.getByRole('button', { name: 'Sync history' }).click();
    await expect.poll(() => card.locator('tbody tr').count()).toBe(2);
    await page.screenshot({ path: path.join(shots, 'manage.png'), fullPage: true });

    await card.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete Stripe?' });
    await dialog.waitFor();
    await page.screenshot({ path: path.join(shots, 'delete.png') });
    await dialog.getByRole('button', { name: 'Delete source' }).click();
    await page.getByText('Stripe was deleted.').waitFor();
    expect((await demoUpstream('/sources')).data).toHaveLength(0);
    expect((await demoUpstream('/connections')).data).toHaveLength(0);
    await page.getByText('You have not connected any data source yet.').waitFor();
    expect(consoleErrors).toEqual([]);
  });

  it('connects the Faker template from the dialog, in German and the dark theme', async () => {
    await page.getByLabel('Theme').selectOption('dark');
    await page.getByLabel('Language').selectOption('de');
    await page.getByRole('button', { name: 'Open as a dialog' }).click();
    // The dialog is named by the heading of the view it shows.
    await page.getByRole('dialog', { name: 'Datenquelle verbinden' }).waitFor();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: /Faker/ }).click();
    await expect(dialog.getByLabel(/Count/).inputValue()).resolves.toBe('5000');
    await expect(dialog.locator('.aek-plan .aek-schedule').textContent()).resolves.toBe('Täglich um 02:15 UTC');
    await page.screenshot({ path: path.join(shots, 'dialog-dark-de.png') });
    await dialog.getByRole('button', { name: 'Verbinden', exact: true }).click();
    await dialog.getByText(/Sample data \(Faker\)/).first().waitFor();
    await dialog.locator('.aek-success').waitFor({ timeout: 15_000 });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    const { data: workspaces } = await demoUpstream('/workspaces');
    expect(workspaces).toHaveLength(1);
    const { data: destinations } = await demoUpstream('/destinations');
    expect(destinations).toHaveLength(1);
    expect(consoleErrors).toEqual([]);
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
