/**
 * End to end, on a phone-sized screen: the operator lets customers choose what syncs; a customer
 * connects Stripe, picks two of its four streams in the chooser, and later changes the choice in
 * the manage view. The demo stack (`npm start`'s code) in Debian's headless Chromium.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../chromium.ts';
import { startDemo, type Demo } from '../../demo/server.ts';

const OPERATOR_KEY = 'e2e-operator-key-0123456789abcdef';
let demo: Demo;
let browser: Browser;

beforeAll(async () => {
  demo = await startDemo({ jobDurationMs: 3000, quiet: true, operatorKey: OPERATOR_KEY, dataDir: mkdtempSync(path.join(os.tmpdir(), 'aek-e2e-streams-')) });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

describe('choosing what to sync, in Chromium at 375 px', () => {
  it('connects Stripe with two chosen streams, then adds a third from the manage view', async () => {
    // The operator switches its connection template to "choose" (operator API, server to server).
    const operator = (method: string, p: string, body?: unknown) =>
      fetch(new URL(`/api/embed/operator${p}`, demo.url), { method, headers: { authorization: `Bearer ${OPERATOR_KEY}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const [template] = ((await (await operator('GET', '/integrations/templates/connections')).json()) as { data: Array<{ id: string }> }).data;
    expect((await operator('PATCH', `/integrations/templates/connections/${template!.id}`, { streams: 'choose' })).status).toBe(200);

    const page = await browser.newPage({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 1 });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(demo.url);
    await page.getByRole('button', { name: /Stripe/ }).first().click({ timeout: 30_000 });
    await page.getByLabel(/Account ID/).fill('acct_1A2b3C');
    await page.getByLabel(/Secret Key/).fill('sk_test_e2e_streams');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();

    const picker = page.getByRole('form', { name: 'Choose what to sync' });
    await picker.waitFor({ timeout: 20_000 });
    await expect(picker.getByRole('status').textContent()).resolves.toBe('4 of 4 selected');
    await picker.getByRole('checkbox', { name: 'Select all' }).uncheck();
    await picker.getByRole('checkbox', { name: 'charges' }).check();
    await picker.getByRole('checkbox', { name: 'invoices' }).check();
    await expect(picker.getByRole('status').textContent()).resolves.toBe('2 of 4 selected');
    // Nothing overflows the phone's width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await picker.getByRole('button', { name: 'Sync these tables' }).click();
    await page.getByText('Stripe is connected').waitFor({ timeout: 20_000 });

    await page.getByRole('button', { name: 'See your data sources' }).click();
    const card = page.locator('.aek-source', { has: page.getByRole('heading', { name: 'Stripe', level: 3 }) });
    await card.getByRole('button', { name: 'Tables (2)' }).click();
    const editor = card.getByRole('form', { name: 'Choose what to sync' });
    await expect.poll(() => editor.getByRole('status').textContent()).toBe('2 of 4 selected');
    await editor.getByRole('checkbox', { name: 'customers' }).check();
    await editor.getByRole('button', { name: 'Save tables' }).click();
    await card.getByText('Saved. The next sync copies these tables.').waitFor();
    await expect.poll(() => card.getByRole('button', { name: 'Tables (3)' }).count(), { timeout: 10_000 }).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
