import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { SourceManager } from '../src/react/SourceManager.tsx';
import { proxyHandlers, resetStoryProxies } from './proxyHandlers.ts';
import { withProvider } from './withProvider.tsx';

const meta = {
  title: 'SourceManager',
  component: SourceManager,
  args: { onEvent: fn(), onError: fn(), onConnect: fn() },
  decorators: [withProvider],
  beforeEach: resetStoryProxies,
  parameters: { msw: { handlers: proxyHandlers() } },
} satisfies Meta<typeof SourceManager>;
export default meta;
type Story = StoryObj<typeof meta>;

/** The form's code loads on first use (its own chunk): allow for that on a busy machine. */
const FORM_LOAD = { timeout: 10_000 };

const card = async (canvasElement: HTMLElement, name: string) =>
  (await within(canvasElement).findByRole('heading', { name, level: 3 })).closest('li') as HTMLElement;

/** Several sources: one synced, one syncing, one whose last sync failed, each with its next run. */
export const SeveralSources: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByText('3 data sources')).toBeVisible();
    const stripe = await card(canvasElement, 'Stripe');
    await expect(stripe).toHaveAttribute('data-state', 'succeeded');
    await expect(within(stripe).getByText('12,450 rows · 2.3 MB')).toBeVisible();
    await expect(within(stripe).getByText(/02:15 UTC \((in \d+ (seconds?|minutes?|hours?)|now)\)/)).toBeVisible();
    await expect(await card(canvasElement, 'Sample data (Faker)')).toHaveAttribute('data-state', 'running');
    await expect(await card(canvasElement, 'Stripe (EU account)')).toHaveAttribute('data-state', 'failed');
  },
};

export const Loading: Story = {
  parameters: { msw: { handlers: proxyHandlers({ sourcesDelay: 'infinite' }) } },
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByText('Loading your data sources…')).toBeVisible();
  },
};

export const Empty: Story = {
  parameters: { msw: { handlers: proxyHandlers({ sources: [] }) } },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByText('You have not connected any data source yet.')).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Connect a source' }));
    await expect(args.onConnect).toHaveBeenCalledOnce();
  },
};

export const LoadError: Story = {
  parameters: { msw: { handlers: proxyHandlers({ sourcesError: { error: { code: 'upstream_unavailable', message: 'down' } } }) } },
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByRole('alert', {}, { timeout: 5000 })).toHaveTextContent('not responding');
  },
};

/** "Sync now": the sync starts, is announced, and the button refuses a second one while it runs. */
export const SyncNow: Story = {
  play: async ({ canvasElement, args }) => {
    const stripe = await card(canvasElement, 'Stripe');
    await userEvent.click(within(stripe).getByRole('button', { name: 'Sync now' }));
    await expect(await within(canvasElement).findByText('A sync of Stripe has started.')).toBeVisible();
    await waitFor(() => expect(within(stripe).getByRole('button', { name: 'Syncing' })).toHaveAttribute('aria-disabled', 'true'));
    await expect(args.onEvent).toHaveBeenCalledWith(expect.objectContaining({ type: 'sync_started' }));
  },
};

export const JobHistory: Story = {
  play: async ({ canvasElement }) => {
    const stripe = await card(canvasElement, 'Stripe');
    await userEvent.click(within(stripe).getByRole('button', { name: 'Sync history' }));
    const table = await within(stripe).findByRole('table', { name: 'Sync history of Stripe' });
    await expect(within(table).getAllByRole('row')).toHaveLength(5);
    await expect(within(table).getByText('12,450')).toBeVisible();
  },
};

/** Editing: the stored secret shows as saved, never its value; Replace clears it for a new one. */
export const EditMaskedSecret: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(within(await card(canvasElement, 'Stripe')).getByRole('button', { name: 'Edit' }));
    await expect(await canvas.findByLabelText(/Account ID/, {}, FORM_LOAD)).toHaveValue('acct_1A2b3C4d');
    await expect(canvas.getByLabelText(/Secret Key/)).toHaveValue('**********');
    await expect(canvas.getByText(/Saved secrets are never shown/)).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Save changes' }));
    await expect(await canvas.findByText('Your changes to Stripe are saved.')).toBeVisible();
    await expect(args.onEvent).toHaveBeenCalledWith(expect.objectContaining({ type: 'source_updated' }));
  },
};

export const EditError: Story = {
  parameters: { msw: { handlers: proxyHandlers({ updateError: { status: 503, body: { error: { code: 'upstream_unavailable', message: 'down' } } } }) } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(within(await card(canvasElement, 'Stripe')).getByRole('button', { name: 'Edit' }));
    const account = await canvas.findByLabelText(/Account ID/, {}, FORM_LOAD);
    await userEvent.clear(account);
    await userEvent.type(account, 'acct_changed');
    await userEvent.click(canvas.getByRole('button', { name: 'Save changes' }));
    await expect(await canvas.findByRole('alert')).toHaveTextContent('Your details are kept');
    await expect(canvas.getByLabelText(/Account ID/)).toHaveValue('acct_changed');
  },
};

/** Delete asks first, in an alert dialog whose focus starts on Cancel. */
export const DeleteConfirmation: Story = {
  play: async ({ canvasElement, args }) => {
    const stripe = await card(canvasElement, 'Stripe (EU account)');
    await userEvent.click(within(stripe).getByRole('button', { name: 'Delete' }));
    const dialog = await within(document.body).findByRole('alertdialog', { name: 'Delete Stripe (EU account)?' });
    await expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete source' }));
    await expect(await within(canvasElement).findByText('Stripe (EU account) was deleted.')).toBeVisible();
    await expect(within(canvasElement).getByText('2 data sources')).toBeVisible();
    await expect(args.onEvent).toHaveBeenCalledWith(expect.objectContaining({ type: 'source_deleted' }));
  },
};

/** Sync now, history and delete with the keyboard alone. */
export const KeyboardOnly: Story = {
  play: async ({ canvasElement }) => {
    const stripe = await card(canvasElement, 'Stripe');
    await userEvent.tab(); // Connect a source
    await userEvent.tab();
    await expect(within(stripe).getByRole('button', { name: 'Sync now' })).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    await expect(await within(canvasElement).findByText('A sync of Stripe has started.')).toBeVisible();
    await userEvent.tab();
    await expect(within(stripe).getByRole('button', { name: 'Sync history' })).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    await within(stripe).findByRole('table');
    await userEvent.tab(); // Edit
    await userEvent.tab();
    await expect(within(stripe).getByRole('button', { name: 'Delete' })).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    const dialog = await within(document.body).findByRole('alertdialog', { name: 'Delete Stripe?' });
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus());
    await userEvent.tab();
    await expect(within(dialog).getByRole('button', { name: 'Delete source' })).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    await expect(await within(canvasElement).findByText('Stripe was deleted.')).toBeVisible();
    await waitFor(() => expect(within(canvasElement).getByRole('heading', { name: 'Your data sources' })).toHaveFocus());
  },
};
