/**
 * Right to left: in Arabic, every text that comes from a spec, a template or the customer
 * (connector and source names, destination names, field titles, descriptions, option labels, the
 * connector's own error) is direction-isolated and reads as written, in real Chromium. Before
 * isolation "Sample data (Faker)" showed as "(Sample data (Faker" and a description's full stop
 * jumped to its start.
 */
import { composeStory } from '@storybook/react-vite';
import { findByLabelText, findByRole, render, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import preview from '../../.storybook/preview.tsx';
import * as ConnectWidgetStories from '../../stories/ConnectWidget.stories.tsx';
import * as SignInPanelStories from '../../stories/SignInPanel.stories.tsx';
import * as SourceManagerStories from '../../stories/SourceManager.stories.tsx';
import { proxyHandlers } from '../../stories/proxyHandlers.ts';
import { SourceForm } from '../../src/form.ts'; // the eager entry, as a host rendering the form alone imports it
import { ar } from '../../src/shared/i18n/ar.ts';
import type { JsonSchema } from '../../src/shared/contract.ts';
import { createTranslator } from '../../src/shared/i18n/translator.ts';
import { sourceOverviews } from '../fixtures/proxyFixtures.ts';
import { isIsolated, leftToRightProblems, unisolatedLatinText } from './bidiCheck.ts';

const tr = createTranslator('ar', ar);
const LOAD = { timeout: 25_000 };
const FAKER = 'Sample data (Faker)';

let canvas: HTMLElement | undefined;
afterEach(() => canvas?.remove());

async function runStory<M extends { default: object }>(module: M, name: keyof M & string, parameters?: object, args?: object) {
  await page.viewport(414, 900);
  canvas = document.createElement('div');
  document.body.append(canvas);
  const story = composeStory({ ...(module[name] as object), play: undefined, ...(parameters ? { parameters } : {}), ...(args ? { args } : {}) }, module.default as never, preview, `${name}Rtl`);
  await story.run({ canvasElement: canvas, globals: { theme: 'light', locale: 'ar' } });
  return canvas;
}

/** The element holding `text` as its own text. */
const holder = (root: HTMLElement, text: string) => within(root).getByText(text, { ignore: 'option, script, style' });

describe('in Arabic, text from specs, templates and customers reads as written', () => {
  it('catalog: the connector names in the tiles are isolated', async () => {
    const root = await runStory(ConnectWidgetStories, 'Catalog');
    const tile = await findByRole(root, 'button', { name: /Sample data \(Faker\)/ }, LOAD);
    expect.soft(isIsolated(holder(tile, FAKER))).toBe(true);
    expect.soft(leftToRightProblems(tile, FAKER)).toEqual([]);
    expect.soft(unisolatedLatinText(root)).toEqual([]);
  });

  it("configure: the connector's name in the title, and the spec's field titles and descriptions", async () => {
    const root = await runStory(ConnectWidgetStories, 'Form');
    await userEvent.click(await findByRole(root, 'button', { name: /^Stripe$/ }, LOAD));
    const field = (await findByLabelText(root, /Account ID/, {}, LOAD)).closest('.form-group') as HTMLElement;
    expect.soft(isIsolated(holder(field, 'Account ID'))).toBe(true);
    const description = 'Your Stripe account ID (starts with acct_), from Settings → Account.';
    expect.soft(isIsolated(holder(field, description))).toBe(true);
    expect.soft(leftToRightProblems(field, description)).toEqual([]);
    // The plan's destination, from the template.
    expect.soft(leftToRightProblems(within(root).getByRole('region', { name: tr.t('plan.heading') }), 'Acme Analytics Lake (S3)')).toEqual([]);
    expect.soft(unisolatedLatinText(root)).toEqual([]);
  });

  it('configure and success: a name inside an Arabic sentence keeps its own order', async () => {
    const root = await runStory(ConnectWidgetStories, 'SuccessSyncRunning');
    await userEvent.click(await findByRole(root, 'button', { name: /Sample data \(Faker\)/ }, LOAD));
    const title = await findByRole(root, 'heading', { name: tr.t('configure.title', { name: FAKER }) }, LOAD);
    expect.soft(title.querySelector('bdi')?.textContent).toBe(FAKER);
    expect.soft(leftToRightProblems(title, FAKER)).toEqual([]);
    await findByLabelText(root, /Count/, {}, LOAD);
    await userEvent.click(within(root).getByRole('button', { name: tr.t('configure.submit') }));
    const success = await findByRole(root, 'heading', { name: tr.t('success.title', { name: FAKER }) }, LOAD);
    expect.soft(success.querySelector('bdi')?.textContent).toBe(FAKER);
    expect.soft(leftToRightProblems(success, FAKER)).toEqual([]);
    expect.soft(unisolatedLatinText(root)).toEqual([]);
  });

  it('sign-in: the connector name in "Sign in with …" and the provider\'s own reason', async () => {
    const reason = 'The user denied access to the app.';
    const root = await runStory(SignInPanelStories, 'Denied', undefined, { name: 'Acme Inc.', state: { status: 'failed', reason: 'denied', detail: reason } });
    const button = await findByRole(root, 'button', { name: tr.t('oauth.signIn', { name: 'Acme Inc.' }) }, LOAD);
    expect.soft(leftToRightProblems(button, 'Acme Inc.')).toEqual([]);
    expect.soft(leftToRightProblems(within(root).getByRole('alert'), reason)).toEqual([]);
    expect.soft(unisolatedLatinText(root)).toEqual([]);
  });

  it('manage view: source names, connector names and destinations', async () => {
    // Names ending in punctuation, as customers and operators write them: unisolated, the full stop moves to the front.
    const sources = sourceOverviews().map((s, i) =>
      i === 0 ? { ...s, name: 'Acme Inc.', connections: s.connections.map((c) => ({ ...c, connection: { ...c.connection, destinationName: 'Acme Lake, EU.' } })) } : s,
    );
    const root = await runStory(SourceManagerStories, 'SeveralSources', { msw: { handlers: proxyHandlers({ sources }) } });
    const acme = await findByRole(root, 'heading', { name: 'Acme Inc.', level: 3 }, LOAD);
    expect.soft(isIsolated(holder(acme, 'Acme Inc.'))).toBe(true);
    expect.soft(leftToRightProblems(acme, 'Acme Inc.')).toEqual([]);
    const card = acme.closest('li') as HTMLElement;
    expect.soft(leftToRightProblems(card.querySelector('.aek-destination')!, 'Acme Lake, EU.')).toEqual([]);
    const faker = (await findByRole(root, 'heading', { name: FAKER, level: 3 })).closest('li') as HTMLElement;
    expect.soft(isIsolated(holder(faker.querySelector('h3')!, FAKER))).toBe(true);
    expect.soft(isIsolated(holder(faker.querySelector('.aek-source-meta')!, FAKER))).toBe(true);
    expect.soft(unisolatedLatinText(root)).toEqual([]);
  });

  it("the connector's own error (English) under the Arabic message", async () => {
    const message = 'Could not connect to db.example.com: password authentication failed (SQLSTATE 28P01).';
    const root = await runStory(ConnectWidgetStories, 'ServerError', { msw: { handlers: proxyHandlers({ createError: { status: 400, body: { error: { code: 'check_failed', message } } } }) } });
    await userEvent.click(await findByRole(root, 'button', { name: /^Stripe$/ }, LOAD));
    await userEvent.type(await findByLabelText(root, /Account ID/, {}, LOAD), 'acct_123');
    await userEvent.type(within(root).getByLabelText(/Secret Key/), 'sk_test_abc');
    await userEvent.click(within(root).getByRole('button', { name: tr.t('configure.submit') }));
    const alert = await findByRole(root, 'alert', {}, LOAD);
    expect.soft(leftToRightProblems(alert, message)).toEqual([]);
  });
});

describe('in Arabic, a spec form reads as written', () => {
  afterEach(() => document.querySelectorAll('.aek-root').forEach((r) => r.parentElement?.remove()));
  const spec: JsonSchema = {
    type: 'object',
    required: ['api_key', 'credentials', 'scopes'],
    properties: {
      api_key: { type: 'string', title: 'API Key (v2)', description: 'From Settings → API (keep it secret).', airbyte_secret: true, order: 0 },
      credentials: {
        type: 'object',
        title: 'Authentication (OAuth)',
        description: 'Choose how to authenticate.',
        display_type: 'radio',
        order: 1,
        oneOf: [
          { type: 'object', title: 'OAuth2.0 (recommended)', description: 'Sign in with your account (fastest).', required: ['auth_type'], properties: { auth_type: { type: 'string', const: 'oauth' } } },
          { type: 'object', title: 'Private App (token)', required: ['auth_type'], properties: { auth_type: { type: 'string', const: 'token' } } },
        ],
      },
      scopes: { type: 'array', title: 'Scopes (read-only)', items: { type: 'string', enum: ['crm.objects (read)', 'crm.schemas (read)'] }, uniqueItems: true, order: 2 },
      nested: { type: 'object', title: 'Advanced (optional)', always_show: true, order: 3, properties: { flag: { type: 'boolean', title: 'Include archived (slow).', always_show: true } } },
    },
  };

  it('titles, descriptions, option cards and enum labels are isolated and read left to right', async () => {
    await page.viewport(414, 900);
    const { container } = render(<SourceForm spec={spec} locale="ar" onSubmit={() => undefined} />);
    const root = container.querySelector('.aek-root') as HTMLElement;
    await findByLabelText(root, /API Key \(v2\)/, {}, LOAD);
    expect(root).toHaveAttribute('dir', 'rtl');
    for (const text of ['API Key (v2)', 'From Settings → API (keep it secret).', 'Authentication (OAuth)', 'Choose how to authenticate.', 'OAuth2.0 (recommended)', 'Sign in with your account (fastest).', 'crm.objects (read)', 'Include archived (slow).']) {
      expect.soft(isIsolated(holder(root, text)), text).toBe(true);
    }
    expect.soft(unisolatedLatinText(root)).toEqual([]);
  });
});
