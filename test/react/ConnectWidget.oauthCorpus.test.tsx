/**
 * "Sign in with …" in the widget for ten real OAuth connectors (../shared/connector-specs, never
 * copied): with the sign-in option chosen (through the visible picker when it is not the default),
 * the button is there and none of the fields the flow fills is; another option takes it away.
 */
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import templatesJson from '../../demo/templates.json';
import { ConnectWidget } from '../../src/react/ConnectWidget.tsx';
import { oauthPlan, type OAuthPlan } from '../../src/shared/oauthSpec.ts';
import { oauthTemplate, optionHolds, readSpec, type RealSpec } from '../fixtures/oauthCorpus.ts';
import { openOptionalFields } from '../fixtures/openOptionalFields.ts';
import { SHARED_SPECS } from '../fixtures/sharedSpecs.ts';
import { freshEmbeddedStore } from '../fixtures/stores.ts';
import { widgetHarness, preloadWidgetChunks } from './widgetHarness.tsx';

type Json = Record<string, any>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

beforeAll(() => Promise.all([freshEmbeddedStore(), preloadWidgetChunks()]), 60_000);
afterEach(cleanup);

/** A fixed sample: oneOf pickers (OAuth first or not), a root predicate (Salesforce), no predicate (Google Ads), an input inside the option (Microsoft Teams). */
const SAMPLE = [
  'source-hubspot',
  'source-salesforce',
  'source-shopify',
  'source-slack',
  'source-notion',
  'source-zendesk-support',
  'source-github',
  'source-google-ads',
  'source-google-sheets',
  'source-microsoft-teams',
];
const specs = SAMPLE.map(readSpec).filter((s): s is RealSpec => Boolean(s?.advancedAuth));

const nodeAt = (spec: Json, p: string[]) => p.reduce<any>((n, k) => (isObject(n) && isObject(n.properties) ? n.properties[k] : undefined), spec);

/** The oneOf at the predicate's parent, its OAuth option and another one (undefined when there is no choice). */
function choices(spec: Json, plan: OAuthPlan) {
  const key = plan.predicateKey[plan.predicateKey.length - 1];
  const parent = nodeAt(spec, plan.predicateKey.slice(0, -1));
  if (!key || plan.predicateValue === undefined || !isObject(parent) || !Array.isArray(parent.oneOf)) return { oauth: undefined, other: undefined };
  const oauth = parent.oneOf.find((o: unknown) => optionHolds(o, key, plan.predicateValue!)) as Json;
  const other = parent.oneOf.find((o: Json) => o !== oauth && o.airbyte_hidden !== true) as Json | undefined;
  return { oauth, other };
}

/** The titles of the fields the flow fills, inside the OAuth option of the original spec. */
function outputTitles(spec: Json, plan: OAuthPlan, oauthOption: Json | undefined): string[] {
  const parentLength = Math.max(plan.predicateKey.length - 1, 0);
  return plan.outputPaths
    .map((p) => (oauthOption ? nodeAt(oauthOption, p.slice(parentLength)) : nodeAt(spec, p)))
    .filter(isObject)
    .map((n) => n.title)
    .filter((t): t is string => typeof t === 'string');
}

/** Titles of the fields still shown with the OAuth option chosen (the root's and the option's others): an output title equal to one of them is not a proof. */
function shownTitles(spec: Json, oauthOption: Json | undefined, otherOptions: Json[], plan: OAuthPlan): Set<string> {
  const out = new Set<string>();
  const outputs = new Set(plan.outputPaths.map((p) => p.join('.')));
  const walk = (node: unknown, at: string[]) => {
    if (!isObject(node)) return;
    if (otherOptions.includes(node)) return;
    if (Array.isArray(node.oneOf)) node.oneOf.forEach((o: unknown) => walk(o, at));
    if (isObject(node.properties)) {
      for (const [k, child] of Object.entries(node.properties)) {
        const here = [...at, k];
        if (!outputs.has(here.join('.')) && isObject(child) && typeof child.title === 'string') out.add(child.title);
        walk(child, here);
      }
    }
  };
  walk(spec, []);
  void oauthOption;
  return out;
}

/** The visible labels and legends of the form, without the required mark. */
const labels = () => [...document.querySelectorAll('label, legend')].map((l) => (l.textContent ?? '').replace(/\*\s*$/, '').trim());

/** Picks an option of a oneOf through what the user sees: its radio card, or the select that offers it. */
async function choose(title: string) {
  const radio = screen.queryByRole('radio', { name: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) });
  if (radio) return userEvent.click(radio);
  const select = [...document.querySelectorAll('select')].find((s) => [...s.options].some((o) => o.text === title));
  if (!select) throw new Error(`no radio card or select offers "${title}"`);
  await userEvent.selectOptions(select, title);
}

const signInName = (name: string) => `Sign in with ${name}`;

describe.skipIf(!SHARED_SPECS)(
  SHARED_SPECS ? 'ConnectWidget: "Sign in with …" for ten real OAuth specs (../shared/connector-specs)' : 'SKIPPED: ../shared/connector-specs not found next to this checkout (the widget OAuth corpus needs it)',
  () => {
    let w: Awaited<ReturnType<typeof widgetHarness>>;
    beforeAll(async () => {
      w = await widgetHarness({ templates: { sources: specs.map(oauthTemplate), connections: templatesJson.connections } });
    }, 60_000);

    it('has the whole sample', () => {
      expect(specs.map((s) => s.name)).toEqual(SAMPLE);
    });

    it.each(specs.map((s) => [s.name, s] as const))('%s: the button while the OAuth option is chosen, no output field; gone with another option', async (_name, spec) => {
      const name = spec.displayName ?? spec.name;
      const plan = oauthPlan(spec.advancedAuth)!;
      const original = spec.connectionSpecification as Json;
      const { oauth, other } = choices(original, plan);
      w.mount(<ConnectWidget />);
      await userEvent.click(await screen.findByRole('button', { name: new RegExp(`^${name}`) }));
      await screen.findByRole('heading', { name: `Connect ${name}` });
      await screen.findByRole('button', { name: 'Connect' }, { timeout: 5000 });
      if (oauth && !screen.queryByRole('button', { name: signInName(name) })) await choose(oauth.title);
      expect(await screen.findByRole('button', { name: signInName(name) })).toBeTruthy();
      await act(async () => openOptionalFields(document.body));
      const titles = outputTitles(original, plan, oauth);
      expect(titles.length, 'the spec titles its output fields').toBeGreaterThan(0);
      const shown = shownTitles(original, oauth, oauth ? ((nodeAt(original, plan.predicateKey.slice(0, -1))?.oneOf ?? []) as Json[]).filter((o) => o !== oauth) : [], plan);
      const checkable = titles.filter((t) => !shown.has(t));
      expect(checkable.length, `every output title is also a shown field's: ${titles.join(', ')}`).toBeGreaterThan(0);
      const visible = labels();
      for (const t of checkable) expect(visible, `the output field "${t}" is shown`).not.toContain(t);
      if (other) {
        await choose(other.title);
        await waitFor(() => expect(screen.queryByRole('button', { name: signInName(name) })).toBeNull());
        // Back to the sign-in option: the button returns.
        await choose(oauth!.title);
        expect(await screen.findByRole('button', { name: signInName(name) })).toBeTruthy();
      }
    }, 20_000);
  },
);
