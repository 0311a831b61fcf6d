/**
 * The Vite + React 19 host served under the README's strict policy (no 'unsafe-eval', no
 * 'unsafe-inline', Trusted Types required): connects a source in Chromium through its Express
 * backend with not one violation: Sample data first (the shared flow), then Postgres, where the
 * person types a database name its pattern refuses, is told so, fixes it, switches SSL mode twice
 * (one option with a secret certificate) and connects. Chromium logs each violation as a console
 * error (which fails the shared check) and fires `securitypolicyviolation`, counted here too.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { checkConnectFlow } from './check.ts';

/** The README's "Content Security Policy" section, verbatim (the repo's test/examples keeps them equal). */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https://connectors.airbyte.com data:; connect-src 'self'; require-trusted-types-for 'script'; trusted-types 'none'";

declare global {
  interface Window {
    aekViolations?: string[];
  }
}

await checkConnectFlow({
  templatesFile: path.join(path.dirname(fileURLToPath(import.meta.url)), 'templates.json'),
  extend: (app) =>
    app.use((_req, res, next) => {
      res.setHeader('Content-Security-Policy', CSP);
      next();
    }),
  // Injected by the browser's devtools protocol, so the policy does not apply to this script itself.
  before: async (page: Page) => {
    await page.addInitScript(() => {
      window.aekViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.aekViolations!.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`));
    });
  },
  more: async (page: Page) => {
    await page.getByRole('button', { name: 'Connect another source' }).click();
    await page.getByRole('button', { name: /Postgres/ }).click();
    await page.getByLabel(/^Host/).fill('db.example.com');
    await page.getByLabel(/^Username/).fill('reader');
    await page.getByLabel(/^Database Name/).fill('2shop');
    const ssl = page.getByRole('combobox', { name: /SSL Modes/ });
    await ssl.selectOption({ label: 'verify-ca' });
    await page.getByLabel(/^CA Certificate/).fill('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----');
    await ssl.selectOption({ label: 'require' });
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    // The pattern is checked in the browser (no generated code): the field says what is wrong.
    const database = page.locator('[data-path="/database"]');
    await page.waitForFunction(() => document.querySelector('[data-path="/database"]')?.getAttribute('data-has-error') === 'true', undefined, { timeout: 10_000 });
    if (!(await database.textContent())?.length) throw new Error('the refused database name shows no message');
    await page.getByLabel(/^Database Name/).fill('shop');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByText(/Postgres is connected/).waitFor({ timeout: 30_000 });
    if (await page.locator('style').count()) throw new Error('the kit put a <style> element into the page');
    const header = (await page.request.get(page.url())).headers()['content-security-policy'];
    if (header !== CSP) throw new Error(`the page was served with Content-Security-Policy ${JSON.stringify(header)}, not the README's`);
    // The policy is in force: a script the page did not ship is refused (tried on a second tab,
    // whose own console error is expected and not the kit's).
    const probe = await page.context().browser()!.newPage();
    await probe.goto(page.url());
    const refused = await probe.evaluate(() => {
      try {
        const s = document.createElement('script');
        s.textContent = 'window.aekRan = true';
        document.body.append(s);
        return false;
      } catch {
        return true;
      }
    });
    await probe.close();
    if (!refused) throw new Error('an inline script was accepted: the policy is not in force');
    const violations = await page.evaluate(() => window.aekViolations ?? []);
    if (violations.length) throw new Error(`the kit caused CSP violations:\n${violations.join('\n')}`);
    return 'Postgres connected too; no CSP violation under the README policy';
  },
});
