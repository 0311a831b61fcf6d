/**
 * End to end, on a phone-sized screen: every onboarding finishes or says why. Airbyte fails
 * `POST /connections`; the customer reloads and finds the source as "Setup not finished" with
 * Finish setup (which then makes the connection and its first sync) and Remove. A first sync that
 * fails says so on the success screen, with Retry sync and Edit details right there. The demo
 * stack (`npm start`'s code) in Debian's headless Chromium.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../chromium.ts';
import { startDemo, type Demo } from '../../demo/server.ts';

const shots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
let demo: Demo;
let browser: Browser;
// The demo's jobs succeed unless a test says otherwise (by connection id).
const failing = new Set<string>();

beforeAll(async () => {
  demo = await startDemo({ jobDurationMs: 1500, quiet: true, dataDir: mkdtempSync(path.join(os.tmpdir(), 'aek-e2e-unfinished-')), jobOutcome: (job) => (failing.has(job.connectionId) || failing.has('*') ? 'failed' : 'succeeded') });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

const ignorable = (text: string) => /favicon|503|Failed to load resource/.test(text);

describe('unfinished and failed onboardings, in Chromium at 375 px', () => {
  it('a connect whose connection Airbyte refused shows "Setup not finished" after a reload, and Finish setup completes it', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 1 });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && !ignorable(m.text()) && errors.push(m.text()));
    await page.goto(demo.url);
    demo.emulator.faults.set([{ match: 'POST /connections', kind: 'status', status: 503 }]);
    await page.getByRole('button', { name: /Sample data/ }).first().click({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    // The failure says the source was saved and keeps the steps it did.
    await page.getByText(/source was saved, but its setup did not finish/).waitFor({ timeout: 30_000 });
    expect(await page.locator('.aek-step[data-state="done"]').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('.aek-step[data-state="stopped"]').count()).toBe(1);

    // A reload: the browser no longer knows anything about that submit.
    await page.reload();
    await page.getByRole('button', { name: 'Your data sources' }).click({ timeout: 30_000 });
    const card = page.locator('.aek-source[data-state="unfinished"]');
    await card.waitFor({ timeout: 20_000 });
    await expect(card.locator('.aek-badge').textContent()).resolves.toBe('Setup not finished');
    expect(await card.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    demo.emulator.faults.set([]);
    await card.getByRole('button', { name: 'Finish setup' }).click();
    await page.getByText(/The setup of .* is finished\./).waitFor({ timeout: 30_000 });
    const done = page.locator('.aek-source').first();
    await expect.poll(() => done.getAttribute('data-state'), { timeout: 20_000 }).toMatch(/running|succeeded/);
    expect(await done.locator('.aek-connection-row').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('Remove deletes an unfinished source in Airbyte', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 1 });
    await page.goto(demo.url);
    demo.emulator.faults.set([{ match: 'POST /connections', kind: 'status', status: 503 }]);
    await page.getByRole('button', { name: /Stripe/ }).first().click({ timeout: 30_000 });
    await page.getByLabel(/Account ID/).fill('acct_remove_me');
    await page.getByLabel(/Secret Key/).fill('sk_test_remove_me');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByText(/source was saved, but its setup did not finish/).waitFor({ timeout: 30_000 });
    demo.emulator.faults.set([]);
    await page.reload();
    await page.getByRole('button', { name: 'Your data sources' }).click({ timeout: 30_000 });
    const card = page.locator('.aek-source[data-state="unfinished"]', { hasText: 'acct_remove_me' });
    await card.getByRole('button', { name: 'Remove' }).click({ timeout: 20_000 });
    await page.getByText(/was removed\./).waitFor({ timeout: 20_000 });
    expect(await page.locator('.aek-source', { hasText: 'acct_remove_me' }).count()).toBe(0);
    await page.close();
  }, 90_000);

  it('a failed first sync: no green "connected", the reason or "Airbyte did not say why", Retry sync and Edit details on that screen', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 1 });
    await page.goto(demo.url);
    failing.add('*');
    await page.getByRole('button', { name: /Sample data/ }).first().click({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const heading = page.getByRole('heading', { level: 2, name: /first sync failed/ });
    await heading.waitFor({ timeout: 30_000 });
    expect(await page.locator('.aek-success-icon').count()).toBe(0);
    const success = page.locator('.aek-success');
    await success.getByRole('button', { name: 'Retry sync' }).waitFor();
    failing.clear();
    await success.getByRole('button', { name: 'Retry sync' }).click();
    // The retried sync succeeds: the heading says connected again.
    await page.getByRole('heading', { level: 2, name: /is connected$/ }).waitFor({ timeout: 30_000 });
    failing.add('*');
    await page.close();
    failing.clear();
  }, 90_000);

  it('the manage view with a finished, a failed and an unfinished onboarding (the README screenshot)', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 900 }, deviceScaleFactor: 1 });
    await page.goto(demo.url);
    const connect = async (name: RegExp, fill?: Record<string, string>) => {
      await page.getByRole('button', { name }).first().click({ timeout: 30_000 });
      for (const [label, value] of Object.entries(fill ?? {})) await page.getByLabel(new RegExp(label)).fill(value);
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
    };
    // Finished and synced.
    await connect(/Sample data/);
    await page.getByRole('heading', { level: 2, name: /is connected$/ }).waitFor({ timeout: 30_000 });
    await page.getByText('Synced').first().waitFor({ timeout: 30_000 });
    // Finished, first sync failed.
    await page.getByRole('button', { name: 'Connect another source' }).click();
    failing.add('*');
    await connect(/Stripe/, { 'Account ID': 'acct_failing_sync', 'Secret Key': 'sk_test_failing' });
    await page.getByRole('heading', { level: 2, name: /first sync failed/ }).waitFor({ timeout: 30_000 });
    failing.clear();
    // Stopped before its connection.
    await page.getByRole('button', { name: 'Connect another source' }).click();
    demo.emulator.faults.set([{ match: 'POST /connections', kind: 'status', status: 503 }]);
    await connect(/Stripe/, { 'Account ID': 'acct_unfinished', 'Secret Key': 'sk_test_unfinished' });
    await page.getByText(/source was saved, but its setup did not finish/).waitFor({ timeout: 30_000 });
    demo.emulator.faults.set([]);
    await page.reload();
    await page.getByRole('button', { name: 'Your data sources' }).click({ timeout: 30_000 });
    await page.locator('.aek-source[data-state="unfinished"]', { hasText: 'acct_unfinished' }).waitFor({ timeout: 20_000 });
    await page.locator('.aek-source[data-state="failed"]').first().waitFor({ timeout: 20_000 });
    await page.locator('.aek-source[data-state="succeeded"]').first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(shots, 'manage-outcomes.png'), fullPage: true });
    await page.close();
  }, 120_000);
});
