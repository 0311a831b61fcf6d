/**
 * Nothing overflows or overlaps, on a phone or a desktop, in English, German and Arabic: the
 * stories a customer meets (the manage view with its sync history open, the widget's catalog,
 * form with its plan, progress, error and success, the stream chooser, the sign-in panel), each
 * rendered from its story with the language set, brought to its state by the steps a person would
 * take, then measured at 320, 375 and 1280 px by `findLayoutProblems` (see layoutCheck.ts).
 * Long unbroken values (hosts, destination and stream names, a connector's error) wrap, never widen.
 */
import { composeStory } from '@storybook/react-vite';
import { findAllByRole, findByLabelText, findByRole, waitFor, within } from '@testing-library/dom';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import preview from '../../.storybook/preview.tsx';
import * as ConnectWidgetStories from '../../stories/ConnectWidget.stories.tsx';
import * as SignInPanelStories from '../../stories/SignInPanel.stories.tsx';
import * as SourceManagerStories from '../../stories/SourceManager.stories.tsx';
import * as StreamPickerStories from '../../stories/StreamPicker.stories.tsx';
import { proxyHandlers, storyCatalog } from '../../stories/proxyHandlers.ts';
import { ar } from '../../src/shared/i18n/ar.ts';
import { de } from '../../src/shared/i18n/de.ts';
import { en } from '../../src/shared/i18n/en.ts';
import { createTranslator, type Messages, type Translator } from '../../src/shared/i18n/translator.ts';
import type { SourceOverview, StreamOption } from '../../src/shared/contract.ts';
import { sourceOverviews } from '../fixtures/proxyFixtures.ts';
import { findLayoutProblems, formatProblems, type LayoutProblem } from './layoutCheck.ts';

const WIDTHS = [320, 375, 1280] as const;
const HEIGHT = 800;
const LOCALES: Record<string, Messages> = { en: en as Messages, de, ar };
/** The form's code and a language's messages load on first use: allow for that on a busy machine. */
const LOAD = { timeout: 25_000 };

type Composed = ReturnType<typeof composeStory>;
type Steps = (canvas: HTMLElement, tr: Translator) => Promise<void>;
interface Scene {
  name: string;
  story: Composed;
  /** What a person does to get to the state measured (the stories' own play functions assert English text). */
  steps: Steps;
}

/** A story without its play function, optionally with other args or parameters. */
function scene<M extends { default: object }>(module: M, exportName: keyof M & string, name: string, steps: Steps, overrides: { args?: object; parameters?: object } = {}): Scene {
  const story = { ...(module[exportName] as object), play: undefined, ...overrides };
  return { name, steps, story: composeStory(story, module.default as never, preview, `${exportName}Layout`) as Composed };
}

const LONG_HOST = 'analytics-replica-01.c9akciq32xyz.eu-central-1.rds.amazonaws.com:5432';
const LONG_DESTINATION = 'Acme_Analytics_Lake_S3_bucket_acme-prod-raw-events-eu-central-1';
/** Sources whose names, host and destination are long and unbroken (as real ones are). */
function longSources(): SourceOverview[] {
  const [first, ...rest] = sourceOverviews();
  return [
    {
      ...first!,
      name: 'Production_warehouse_replica_eu_central_1_analytics_team',
      detail: LONG_HOST,
      connections: first!.connections.map((c) => ({ ...c, connection: { ...c.connection, destinationName: LONG_DESTINATION } })),
    },
    ...rest,
  ];
}
const longStreams: StreamOption[] = [
  { name: 'customer_subscription_invoice_line_items_with_tax_breakdown_2026', namespace: 'analytics_warehouse_production', suggested: true, required: true, selected: true },
  { name: 'orders', namespace: 'public', suggested: false, required: false, selected: true },
];
const CONNECTOR_ERROR = `Could not connect to ${LONG_HOST}: FATAL: password authentication failed for user "airbyte_readonly_replication_user" (SQLSTATE 28P01) https://docs.airbyte.com/integrations/sources/postgres#troubleshooting`;

const cardOf = async (canvas: HTMLElement, name: string) => (await findByRole(canvas, 'heading', { name, level: 3 }, LOAD)).closest('li') as HTMLElement;
const openHistories = async (canvas: HTMLElement, tr: Translator, names: string[]) => {
  for (const name of names) {
    const card = await cardOf(canvas, name);
    await userEvent.click(within(card).getByRole('button', { name: tr.t('manage.history') }));
    await findByRole(card, 'table', {}, LOAD);
  }
};
const openStripe = async (canvas: HTMLElement) => {
  await userEvent.click(await findByRole(canvas, 'button', { name: /^Stripe$/ }, LOAD));
  await userEvent.type(await findByLabelText(canvas, /Account ID/, {}, LOAD), 'acct_123');
  await userEvent.type(within(canvas).getByLabelText(/Secret Key/), 'sk_test_abc');
};
const connect = async (canvas: HTMLElement, tr: Translator) => userEvent.click(within(canvas).getByRole('button', { name: tr.t('configure.submit') }));

const scenes: Scene[] = [
  scene(SourceManagerStories, 'SeveralSources', 'manage view', async (canvas) => {
    await cardOf(canvas, 'Stripe (EU account)');
  }),
  scene(SourceManagerStories, 'SeveralSources', 'manage view, every sync history open', async (canvas, tr) => {
    await openHistories(canvas, tr, ['Stripe', 'Sample data (Faker)', 'Stripe (EU account)']);
  }),
  scene(
    SourceManagerStories,
    'SeveralSources',
    'manage view, long names, host and destination',
    async (canvas, tr) => {
      await openHistories(canvas, tr, ['Production_warehouse_replica_eu_central_1_analytics_team']);
    },
    { parameters: { msw: { handlers: proxyHandlers({ sources: longSources() }) } } },
  ),
  scene(
    SourceManagerStories,
    'EveryOutcome',
    'manage view, every outcome (unfinished, waiting, removed in Airbyte)',
    async (canvas) => {
      await cardOf(canvas, 'Stripe (staging)');
      await waitFor(() => expect(canvas.querySelector('.aek-setup')).not.toBeNull(), LOAD);
    },
  ),
  scene(SourceManagerStories, 'EditMaskedSecret', 'manage view, editing a source', async (canvas, tr) => {
    await userEvent.click(within(await cardOf(canvas, 'Stripe')).getByRole('button', { name: tr.t('manage.edit') }));
    await findByLabelText(canvas, /Account ID/, {}, LOAD);
  }),
  scene(ConnectWidgetStories, 'Catalog', 'catalog', async (canvas) => {
    await findByRole(canvas, 'button', { name: /Sample data \(Faker\)/ }, LOAD);
  }),
  scene(ConnectWidgetStories, 'Form', 'configure: form and plan', async (canvas, tr) => {
    await userEvent.click(await findByRole(canvas, 'button', { name: /^Stripe$/ }, LOAD));
    await findByLabelText(canvas, /Secret Key/, {}, LOAD);
    await findByRole(canvas, 'region', { name: tr.t('plan.heading') });
  }),
  ...(storyCatalog.some((t) => t.name === 'Postgres')
    ? [
        scene(ConnectWidgetStories, 'Form', 'configure: a real spec (Postgres)', async (canvas, tr) => {
          await userEvent.click(await findByRole(canvas, 'button', { name: /^Postgres$/ }, LOAD));
          await findByLabelText(canvas, /^Host/, {}, LOAD);
          await findByRole(canvas, 'region', { name: tr.t('plan.heading') });
        }),
      ]
    : []),
  scene(ConnectWidgetStories, 'ValidationErrors', 'configure: a required field left empty', async (canvas, tr) => {
    await userEvent.click(await findByRole(canvas, 'button', { name: /^Stripe$/ }, LOAD));
    await userEvent.type(await findByLabelText(canvas, /Account ID/, {}, LOAD), 'acct_1');
    await connect(canvas, tr);
    await within(canvas).findByText(tr.t('validation.required'), {}, LOAD);
  }),
  scene(
    ConnectWidgetStories,
    'ServerError',
    "configure: the connector's own long error",
    async (canvas, tr) => {
      await openStripe(canvas);
      await connect(canvas, tr);
      await findByRole(canvas, 'alert', {}, LOAD);
    },
    { parameters: { msw: { handlers: proxyHandlers({ createError: { status: 400, body: { error: { code: 'check_failed', message: CONNECTOR_ERROR, requestId: 'req-5f2a9c1e-77d4-4d0e-9d61-0b2f8f3e2a10' } } } }) } } },
  ),
  scene(ConnectWidgetStories, 'Submitting', 'connecting: the onboarding steps', async (canvas, tr) => {
    await openStripe(canvas);
    await connect(canvas, tr);
    await findByRole(canvas, 'region', { name: tr.t('progress.heading', { name: 'Stripe' }) }, LOAD);
  }),
  scene(ConnectWidgetStories, 'SuccessSyncRunning', 'success: first sync running', async (canvas, tr) => {
    await openStripe(canvas);
    await connect(canvas, tr);
    await findByRole(canvas, 'heading', { name: new RegExp(tr.t('success.title', { name: 'Stripe' })) }, LOAD);
  }),
  scene(ConnectWidgetStories, 'SuccessSyncFailed', 'success: first sync failed', async (canvas, tr) => {
    await openStripe(canvas);
    await connect(canvas, tr);
    await waitFor(() => expect(canvas.querySelector('[data-job-status="failed"]')).not.toBeNull(), LOAD);
  }),
  scene(ConnectWidgetStories, 'StalledAfterSourceSaved', 'configure: stopped after the source was saved', async (canvas, tr) => {
    await openStripe(canvas);
    await connect(canvas, tr);
    await waitFor(() => expect(canvas.querySelector('.aek-stalled-hint')).not.toBeNull(), LOAD);
  }),
  scene(StreamPickerStories, 'AllPreselected', 'stream picker', async (canvas) => {
    await findAllByRole(canvas, 'checkbox', {}, LOAD);
  }),
  scene(
    StreamPickerStories,
    'WithRequiredTable',
    'stream picker, long stream names',
    async (canvas) => {
      await findAllByRole(canvas, 'checkbox', {}, LOAD);
    },
    { args: { streams: longStreams } },
  ),
  scene(StreamPickerStories, 'ManyTablesSearched', 'stream picker, forty tables', async (canvas) => {
    await findAllByRole(canvas, 'checkbox', {}, LOAD);
  }),
  scene(SignInPanelStories, 'NotSignedIn', 'sign-in panel', async (canvas) => {
    await findByRole(canvas, 'button', {}, LOAD);
  }),
  scene(SignInPanelStories, 'Denied', "sign-in panel, the provider's reason", async (canvas) => {
    await findByRole(canvas, 'alert', {}, LOAD);
  }),
];

const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

let canvas: HTMLElement;
beforeAll(() => {
  // The host page around the widget: no margin of its own, 16 px of padding (as Storybook's `padded`).
  document.body.style.margin = '0';
});
afterEach(() => canvas?.remove());
afterAll(() => page.viewport(414, 896));

describe.each(Object.keys(LOCALES))('layout in %s', (locale) => {
  const tr = createTranslator(locale, LOCALES[locale]);
  it.each(scenes.map((s) => [s.name, s] as const))('%s: nothing overflows or overlaps at 320, 375 and 1280 px', async (_name, { story, steps }) => {
    await page.viewport(375, HEIGHT);
    canvas = document.createElement('div');
    canvas.style.padding = '16px';
    document.body.append(canvas);
    await story.run({ canvasElement: canvas, globals: { theme: 'light', locale } });
    await steps(canvas, tr);
    const found: string[] = [];
    for (const width of WIDTHS) {
      await page.viewport(width, HEIGHT);
      await frame();
      const problems: LayoutProblem[] = findLayoutProblems(canvas);
      if (problems.length) found.push(`at ${width}px:\n${formatProblems(problems)}`);
    }
    expect(found.join('\n\n'), `layout problems in ${locale}`).toBe('');
  });
});
