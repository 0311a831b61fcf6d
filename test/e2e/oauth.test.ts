/**
 * End to end in Chromium: "Sign in with HubSpot" in a real popup against the emulator's consent
 * page, through the proxy's callback page, then Connect; and a popup closed without finishing.
 * The demo stack (`npm start`'s code), which ships a HubSpot template with `advancedAuth`.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../chromium.ts';
import { startDemo, type Demo } from '../../demo/server.ts';

let demo: Demo;
let browser: Browser;

beforeAll(async () => {
  demo = await startDemo({ jobDurationMs: 3000, quiet: true, dataDir: mkdtempSync(path.join(os.tmpdir(), 'aek-e2e-oauth-')) });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

/** An Airbyte access token from the demo's emulator, to read what Airbyte stored. */
async function emulatorToken(): Promise<string> {
  const res = await demo.emulator.handle(new Request(`${demo.emulator.url}/applications/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: demo.emulator.clientId, client_secret: demo.emulator.clientSecret }) }));
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('Sign in with HubSpot, in Chromium', () => {
  it('signs in through the popup (Allow) and connects, never showing a client id or token field', async () => {
    const page = await browser.newPage({ viewport: { width: 880, height: 800 } });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(demo.url);
    await page.getByRole('button', { name: /HubSpot/ }).first().click({ timeout: 30_000 });
    const signIn = page.getByRole('button', { name: 'Sign in with HubSpot' });
    await signIn.waitFor();
    expect(await page.getByLabel(/Client ID|Client Secret|Refresh Token/).count()).toBe(0);
    // Inside the Authentication choice, where the token fields were.
    expect(await page.locator('.aek-oneof .aek-signin-button').count()).toBe(1);

    const [popup] = await Promise.all([page.waitForEvent('popup'), signIn.click()]);
    await popup.getByRole('heading', { name: /Allow Acme Insights to access your HubSpot account\?/ }).waitFor({ timeout: 15_000 });
    await Promise.all([popup.waitForEvent('close', { timeout: 15_000 }), popup.getByRole('button', { name: 'Allow' }).click()]);
    await page.getByText('Signed in with HubSpot').waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByText('HubSpot is connected').waitFor({ timeout: 20_000 });

    // Later, in the manage view: "Reconnect" runs the same sign-in and gives the source new tokens.
    await page.getByRole('button', { name: 'See your data sources' }).click();
    const card = page.locator('.aek-source', { has: page.getByRole('heading', { name: 'HubSpot', level: 3 }) });
    const [again] = await Promise.all([page.waitForEvent('popup'), card.getByRole('button', { name: 'Reconnect' }).click()]);
    await Promise.all([again.waitForEvent('close', { timeout: 15_000 }), again.getByRole('button', { name: 'Allow' }).click()]);
    await card.getByText('Reconnected. The next sync uses the new sign-in.').waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('signs in with Salesforce (the whole form is the sign-in; Sandbox goes to the provider first) and connects', async () => {
    const page = await browser.newPage({ viewport: { width: 880, height: 800 } });
    await page.goto(demo.url);
    await page.getByRole('button', { name: /Salesforce/ }).first().click({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Sign in with Salesforce' }).waitFor();
    expect(await page.getByLabel(/Client ID|Client Secret|Refresh Token/).count()).toBe(0);
    await page.getByText(/Optional field/).click();
    await page.getByLabel(/Sandbox/).check();
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Sign in with Salesforce' }).click()]);
    await popup.getByRole('heading', { name: /Allow Acme Insights to access your Salesforce account\?/ }).waitFor({ timeout: 15_000 });
    await Promise.all([popup.waitForEvent('close', { timeout: 15_000 }), popup.getByRole('button', { name: 'Allow' }).click()]);
    await page.getByText('Signed in with Salesforce').waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByText('Salesforce is connected').waitFor({ timeout: 20_000 });
    const { data } = (await (await demo.emulator.handle(new Request(`${demo.emulator.url}/sources`, { headers: { authorization: `Bearer ${await emulatorToken()}` } }))).json()) as { data: Array<{ name: string; configuration: Record<string, unknown> }> };
    const sf = data.find((s) => s.name === 'Salesforce')!;
    expect(sf.configuration.is_sandbox).toBe(true);
    expect(Object.keys(sf.configuration)).toEqual(expect.arrayContaining(['refresh_token', 'client_id', 'client_secret']));
    await page.close();
  }, 60_000);

  it('shows the provider’s refusal when the customer denies access', async () => {
    const page = await browser.newPage({ viewport: { width: 880, height: 800 } });
    await page.goto(demo.url);
    await page.getByRole('button', { name: /HubSpot/ }).first().click({ timeout: 30_000 });
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Sign in with HubSpot' }).click()]);
    await Promise.all([popup.waitForEvent('close', { timeout: 15_000 }), popup.getByRole('button', { name: 'Deny' }).click()]);
    await page.getByText('HubSpot did not allow access.').waitFor({ timeout: 10_000 });
    await page.close();
  }, 60_000);

  it('signs in with popups blocked: a full-page redirect that comes back to the same form, restored and signed in', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    // As a popup blocker (or an in-app browser) does.
    await page.addInitScript(() => {
      window.open = () => null;
    });
    await page.goto(demo.url);
    await page.getByRole('button', { name: /HubSpot/ }).first().click({ timeout: 30_000 });
    await page.getByText(/Optional field/).click();
    await page.getByLabel(/Start date/).fill('2024-02-03T04:05:06');
    await page.getByRole('button', { name: 'Sign in with HubSpot' }).click();
    await page.getByRole('heading', { name: /Allow Acme Insights to access your HubSpot account\?/ }).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByText('Signed in with HubSpot').waitFor({ timeout: 15_000 });
    expect(page.url()).not.toContain('aek-oauth');
    if (!(await page.getByLabel(/Start date/).isVisible())) await page.getByText(/Optional field/).click();
    expect(await page.getByLabel(/Start date/).inputValue()).toBe('2024-02-03T04:05:06');
    // Nothing secret was kept in the tab's storage.
    expect(await page.evaluate(() => JSON.stringify(Object.entries(sessionStorage)))).not.toMatch(/token|secret/i);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    // The demo customer already has a HubSpot source from the first test: this one is "HubSpot 2".
    await page.getByText(/HubSpot( \d+)? is connected/).waitFor({ timeout: 20_000 });
    expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('aek-draft:')).length)).toBe(0);
    await page.close();
  }, 60_000);

  it('says the sign-in was cancelled when the popup is closed, and keeps the form', async () => {
    const page = await browser.newPage({ viewport: { width: 880, height: 800 } });
    await page.goto(demo.url);
    await page.getByRole('button', { name: /HubSpot/ }).first().click({ timeout: 30_000 });
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Sign in with HubSpot' }).click()]);
    await popup.getByRole('button', { name: 'Allow' }).waitFor({ timeout: 15_000 });
    await popup.close();
    await page.getByText('Sign-in was cancelled. Sign in again to continue.').waitFor({ timeout: 10_000 });
    expect(await page.getByRole('button', { name: 'Sign in with HubSpot' }).isVisible()).toBe(true);
    await page.close();
  }, 60_000);
});

describe('a sign-in that stopped working, in Chromium', () => {
  it('shows the failed sync with Reconnect first, and recovers in two clicks (Reconnect, Allow)', async () => {
    // The provider revoked the token: every sync fails until the source has new tokens.
    let revoked = true;
    const failing = await startDemo({ jobDurationMs: 1500, quiet: true, dataDir: mkdtempSync(path.join(os.tmpdir(), 'aek-e2e-revoked-')), jobOutcome: () => (revoked ? 'failed' : 'succeeded') });
    try {
      const page = await browser.newPage({ viewport: { width: 880, height: 800 } });
      await page.goto(failing.url);
      await page.getByRole('button', { name: /HubSpot/ }).first().click({ timeout: 30_000 });
      const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Sign in with HubSpot' }).click()]);
      await Promise.all([popup.waitForEvent('close', { timeout: 15_000 }), popup.getByRole('button', { name: 'Allow' }).click()]);
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await page.getByText(/HubSpot is connected/).waitFor({ timeout: 20_000 });
      await page.getByRole('button', { name: 'See your data sources' }).click();
      const card = page.locator('.aek-source', { has: page.getByRole('heading', { name: 'HubSpot', level: 3 }) });
      await expect.poll(() => card.getAttribute('data-state'), { timeout: 20_000 }).toBe('failed');
      const reconnect = card.getByRole('button', { name: 'Reconnect' });
      await expect(reconnect.getAttribute('class')).resolves.toContain('aek-button--primary');

      revoked = false;
      const [again] = await Promise.all([page.waitForEvent('popup'), reconnect.click()]);
      await Promise.all([again.waitForEvent('close', { timeout: 15_000 }), again.getByRole('button', { name: 'Allow' }).click()]);
      await card.getByText('Reconnected. The next sync uses the new sign-in.').waitFor({ timeout: 10_000 });
      await card.getByRole('button', { name: 'Sync now' }).click();
      await expect.poll(() => card.getAttribute('data-state'), { timeout: 20_000 }).toBe('succeeded');
      await page.close();
    } finally {
      await failing.close();
    }
  }, 90_000);
});
