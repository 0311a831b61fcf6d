/**
 * "Sign in with …" end to end for the best-known OAuth connectors, each from its real spec
 * (../shared/connector-specs): a template with the spec's advancedAuth, `POST /oauth/start` with
 * the inputs the provider needs, Allow at the emulator's consent page, the proxy's callback, then
 * `POST /sources` with the OAuth option chosen and every other required field filled, and the
 * grant: the stored source must hold every path the flow writes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { oauthPlan } from '../../src/shared/oauthSpec.ts';
import { allOutputPaths, BEST_KNOWN, oauthConfigFor, oauthTemplate, readSpec, templateIdOf, type RealSpec } from '../fixtures/oauthCorpus.ts';
import { SHARED_SPECS } from '../fixtures/sharedSpecs.ts';
import { freshEmbeddedStore } from '../fixtures/stores.ts';
import { harness, ORIGIN } from './harness.ts';

beforeAll(() => freshEmbeddedStore(), 60_000);

const present = BEST_KNOWN.map((name) => readSpec(name)).filter((s): s is RealSpec => Boolean(s));
const withOAuth = present.filter((s) => s.advancedAuth);

/**
 * Present in ../shared/connector-specs but without `advancedAuth`: Airbyte offers no sign-in for
 * them (Jira takes an API token and email, Pipedrive an API token), so there is nothing to start.
 */
const EXPECTED_NO_ADVANCED_AUTH = ['source-jira', 'source-pipedrive'];
/** Connectors with advancedAuth that cannot connect end to end, with the reason. None so far. */
const EXPECTED_FAILURES: Record<string, string> = {};

type H = Awaited<ReturnType<typeof harness>>;

async function consent(h: H, consentUrl: string, connectorName: string): Promise<URL> {
  const page = await h.emulator.handle(new Request(consentUrl));
  const html = await page.text();
  expect(html).toContain(`Allow Acme Insights to access your ${connectorName.replace(/&/g, '&amp;')} account?`);
  const url = new URL(consentUrl);
  let res = await h.emulator.handle(
    new Request(url.origin + url.pathname, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ state: url.searchParams.get('state')!, decision: 'allow' }) }),
  );
  for (let i = 0; i < 5 && res.status >= 300 && res.status < 400; i++) {
    const next = new URL(res.headers.get('location')!, consentUrl);
    // The proxy's callback (the state may ride in its path or its query).
    if (next.origin === ORIGIN && next.pathname.includes('/api/embed/oauth/callback')) return next;
    res = await h.emulator.handle(new Request(next));
  }
  throw new Error(`the consent flow did not reach the proxy's callback (${res.status})`);
}

async function callback(h: H, url: URL) {
  const html = await (await h.proxy(new Request(url))).text();
  const data = /<script type="application\/json" id="aek-oauth-result">(.*?)<\/script>/.exec(html)?.[1];
  return data ? (JSON.parse(data) as { flowId: string; grantId?: string; error?: string }) : undefined;
}

const valueAt = (data: unknown, p: string[]) => p.reduce<any>((n, k) => (n && typeof n === 'object' ? n[k] : undefined), data);

const outcomes: Record<string, 'connected' | string> = {};

describe.skipIf(!SHARED_SPECS)(
  SHARED_SPECS ? 'OAuth end to end with real specs of the best-known connectors (../shared/connector-specs)' : 'SKIPPED: ../shared/connector-specs not found next to this checkout (the real-spec OAuth connectors need it)',
  () => {
    let h: H;
    beforeAll(async () => {
      h = await harness({
        templates: { sources: present.map(oauthTemplate), connections: [] },
        emulator: { connectorSpecsDir: SHARED_SPECS, oauthRedirectOrigins: [ORIGIN], discoverMs: 0 },
      });
    }, 60_000);

    it('has every best-known spec, and advancedAuth on all but the expected ones', () => {
      expect(present.map((s) => s.name)).toEqual([...BEST_KNOWN]);
      expect(present.filter((s) => !s.advancedAuth).map((s) => s.name)).toEqual(EXPECTED_NO_ADVANCED_AUTH);
    });

    it.each(EXPECTED_NO_ADVANCED_AUTH.map((n) => [n]))('%s has no sign-in: /oauth/start refuses it', async (name) => {
      const spec = present.find((s) => s.name === name)!;
      const res = await h.call('POST', '/oauth/start', { body: { templateId: templateIdOf(spec), inputs: {} } });
      expect(res.status).toBe(400);
      expect(res.json.error.message).toMatch(/has no sign-in/);
      outcomes[name] = 'no advancedAuth';
    });

    it.each(withOAuth.map((s) => [s.name, s] as const))('%s: sign in, Allow, connect; the source holds every output', async (name, spec) => {
      const customer = `customer-${templateIdOf(spec)}`;
      const token = await h.token(customer);
      const templateId = templateIdOf(spec);
      const plan = oauthPlan(spec.advancedAuth)!;
      const attempt = async () => {
        const detail = await h.call('GET', `/templates/${templateId}`, { token });
        expect(detail.status, detail.text).toBe(200);
        const config = oauthConfigFor(detail.json.spec, plan);
        const start = await h.call('POST', '/oauth/start', { token, body: { templateId, inputs: config } });
        expect(start.status, start.text).toBe(200);
        const outcome = await callback(h, await consent(h, start.json.consentUrl, spec.displayName ?? spec.name));
        expect(outcome?.flowId).toBe(start.json.flowId);
        expect(outcome?.grantId, JSON.stringify(outcome)).toBeTruthy();
        const res = await h.call('POST', '/sources', { token, body: { templateId, config, oauth: { grantId: outcome!.grantId } } });
        expect(res.status, `${res.text}\nconfig sent: ${JSON.stringify(config)}`).toBe(201);
        const source = await h.upstream(`/sources/${res.json.source.sourceId}`);
        for (const p of allOutputPaths(spec.advancedAuth!)) expect(valueAt(source.configuration, p), `${p.join('.')} in the stored source`).toBeDefined();
        // The inputs the provider needed are in the source too, as typed (a secret one comes back masked).
        for (const p of plan.inputPaths) {
          const stored = valueAt(source.configuration, p);
          if (stored !== '**********') expect(stored, p.join('.')).toEqual(valueAt(config, p));
          else expect(valueAt(config, p), p.join('.')).toBeDefined();
        }
      };
      const reason = EXPECTED_FAILURES[name];
      if (reason) {
        await expect(attempt(), `${name} was expected to fail (${reason}) but connected: take it off EXPECTED_FAILURES`).rejects.toThrow();
        outcomes[name] = `expected failure: ${reason}`;
        return;
      }
      await attempt();
      outcomes[name] = 'connected';
    });

    it('reports per connector', () => {
      const connected = Object.entries(outcomes).filter(([, o]) => o === 'connected').map(([n]) => n);
      console.info(`[oauth corpus] ${connected.length}/${withOAuth.length} connectors with advancedAuth connected end to end: ${connected.join(', ')}`);
      for (const [n, o] of Object.entries(outcomes)) if (o !== 'connected') console.info(`[oauth corpus] ${n}: ${o}`);
      expect(connected.length).toBe(withOAuth.length - Object.keys(EXPECTED_FAILURES).length);
    });
  },
);
