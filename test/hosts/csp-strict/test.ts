/**
 * The Vite + React 19 host served under the README's strict policy (no 'unsafe-eval', no
 * 'unsafe-inline', Trusted Types required): connects a source in Chromium through its Express
 * backend with not one violation. Chromium logs each violation as a console error (which fails the
 * shared check) and fires `securitypolicyviolation`, counted here too.
 */
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
    return 'no CSP violation under the README policy';
  },
});
