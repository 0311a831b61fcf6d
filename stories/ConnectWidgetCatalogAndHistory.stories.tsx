/**
 * The catalog's icons and search, and the `history` prop, in real Chromium: icons that load, one
 * that fails (the letter instead), tiles of one height per row, search by common names, and the
 * browser's Back/Forward walking the widget's views.
 */
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { ConnectWidget } from '../src/react/ConnectWidget.tsx';
import { HISTORY_STATE_KEY } from '../src/react/viewHistory.ts';
import type { TemplateSummary } from '../src/shared/contract.ts';
import { proxyHandlers, resetStoryProxies } from './proxyHandlers.ts';
import { withProvider } from './withProvider.tsx';

const meta = {
  title: 'ConnectWidget/Catalog and history',
  component: ConnectWidget,
  args: { onSuccess: fn(), onError: fn(), onEvent: fn(), onExit: fn() },
  decorators: [withProvider],
  beforeEach: resetStoryProxies,
  parameters: { msw: { handlers: proxyHandlers() } },
} satisfies Meta<typeof ConnectWidget>;
export default meta;
type Story = StoryObj<typeof meta>;

const FORM_LOAD = { timeout: 25_000 };
const svg = (fill: string) => `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="${fill}"/></svg>`)}`;

const iconCatalog: TemplateSummary[] = [
  { id: 'ga4', name: 'Google Analytics 4 (GA4), the property your marketing team shares', icon: svg('#f9ab00'), category: 'api' },
  { id: 'stripe', name: 'Stripe', icon: '/aek-story-missing-icon.svg', category: 'api' },
  { id: 'salesforce', name: 'Salesforce', category: 'api' },
  { id: 'shopify', name: 'Shopify', icon: svg('#95bf47') },
  { id: 'slack', name: 'Slack' },
  { id: 'fb', name: 'Facebook Marketing', icon: svg('#1877f2'), category: 'api' },
  { id: 'postgres', name: 'Postgres', category: 'database' },
];

/** Icons where the template has one; the letter where it has none or its icon fails to load; one height per row. */
export const TileIcons: Story = {
  parameters: { msw: { handlers: proxyHandlers({ templates: iconCatalog }) } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const tile = async (name: RegExp) => (await canvas.findByRole('button', { name })).querySelector('.aek-tile-icon')!;
    // A loaded icon is decorative (alt=""): the tile's name is its label.
    const ga = (await tile(/^Google Analytics 4/)) as HTMLImageElement;
    await waitFor(() => expect(ga.complete && ga.naturalWidth > 0).toBe(true));
    await expect(ga.getAttribute('alt')).toBe('');
    // The broken URL shows the letter, not a broken image.
    await waitFor(async () => expect((await tile(/^Stripe$/)).getAttribute('data-icon')).toBe('failed'));
    await expect((await tile(/^Stripe$/)).textContent).toBe('S');
    await expect((await tile(/^Salesforce$/)).getAttribute('data-icon')).toBe('letter');
    await expect(canvasElement.querySelectorAll('img:not([alt=""])')).toHaveLength(0);
    // Letters of different connectors differ in colour (four "S" are not four grey squares).
    const colours = new Set(['Stripe', 'Salesforce', 'Slack'].map((n) => getComputedStyle(canvas.getByRole('button', { name: new RegExp(`^${n}$`) }).querySelector('.aek-tile-icon')!).backgroundColor));
    await expect(colours.size).toBe(3);
    // Tiles in a row are as tall as the tallest (the long name wraps).
    const rows = new Map<number, number[]>();
    for (const t of canvasElement.querySelectorAll<HTMLElement>('.aek-tile')) {
      const r = t.getBoundingClientRect();
      rows.set(Math.round(r.top), [...(rows.get(Math.round(r.top)) ?? []), Math.round(r.height)]);
    }
    const first = [...rows.values()][0]!;
    await expect(first.length).toBeGreaterThan(1);
    for (const heights of rows.values()) await expect(new Set(heights).size).toBe(1);
  },
};

/** Search finds connectors by the names people use and by category. */
export const SearchByCommonNames: Story = {
  parameters: { msw: { handlers: proxyHandlers({ templates: iconCatalog }) } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const search = await canvas.findByRole('searchbox', { name: 'Search connectors' });
    // The common names load beside the catalog (their own chunk).
    await waitFor(() => expect(canvasElement.querySelector('.aek-search[data-search="full"]')).not.toBeNull());
    const shown = () => [...canvasElement.querySelectorAll('.aek-tile-name')].map((n) => n.textContent);
    await userEvent.type(search, 'facebook ads');
    await expect(shown()).toEqual(['Facebook Marketing']);
    await userEvent.clear(search);
    await userEvent.type(search, 'sfdc');
    await expect(shown()).toEqual(['Salesforce']);
    await userEvent.clear(search);
    await userEvent.type(search, 'postgresql');
    await expect(shown()).toEqual(['Postgres']);
    await userEvent.clear(search);
    await userEvent.type(search, 'database');
    await expect(shown()).toEqual(['Postgres']);
  },
};

/** The browser's own popstate, after `history.back()`/`forward()` (what the Back and Forward buttons do). */
async function browser(move: 'back' | 'forward') {
  const popped = new Promise((resolve) => window.addEventListener('popstate', resolve, { once: true }));
  window.history[move]();
  await popped;
}
const depth = () => Math.max(0, ...Object.values(((history.state as Record<string, unknown> | null)?.[HISTORY_STATE_KEY] ?? {}) as Record<string, number>));

/** With `history`, Back walks the widget's views; a form with typed values asks first. */
export const BackWalksViews: Story = {
  args: { history: true },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const body = within(canvasElement.ownerDocument.body);
    // `history` loads its code on demand: the flow says when it is on.
    await waitFor(() => expect(canvasElement.querySelector('.aek-flow[data-history="on"]')).not.toBeNull());
    const start = depth();
    await userEvent.click(await canvas.findByRole('button', { name: /^Stripe$/ }));
    await canvas.findByLabelText(/Account ID/, {}, FORM_LOAD);
    await expect(depth()).toBe(start + 1);

    await browser('back');
    await expect(await canvas.findByRole('searchbox', { name: 'Search connectors' })).toBeVisible();
    await browser('forward');
    await userEvent.type(await canvas.findByLabelText(/Account ID/, {}, FORM_LOAD), 'acct_typed');
    await new Promise((r) => setTimeout(r, 300));

    await browser('back');
    const ask = await body.findByRole('alertdialog', { name: 'Leave this form?' });
    await userEvent.click(within(ask).getByRole('button', { name: 'Stay' }));
    await waitFor(() => expect(depth()).toBe(start + 1));
    await expect((canvas.getByLabelText(/Account ID/) as HTMLInputElement).value).toBe('acct_typed');

    // The widget's own Back goes back in the browser too: no entries pile up.
    await userEvent.click(canvas.getByRole('button', { name: /All connectors/ }));
    await userEvent.click(within(await body.findByRole('alertdialog', { name: 'Leave this form?' })).getByRole('button', { name: 'Leave' }));
    await expect(await canvas.findByRole('searchbox', { name: 'Search connectors' })).toBeVisible();
    await waitFor(() => expect(depth()).toBe(start));
  },
};
