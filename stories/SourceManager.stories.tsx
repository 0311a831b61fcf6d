import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { SourceManager } from '../src/react/SourceManager.tsx';
import type { SourceOverview } from '../src/shared/contract.ts';
import { job, lifecycleSources, sourceOverviews } from '../test/fixtures/proxyFixtures.ts';
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
const FORM_LOAD = { timeout: 25_000 };

/** The list's code loads when a manage view first shows (its own chunk): the first wait allows for that. */
const card = async (canvasElement: HTMLElement, name: string) =>
  (await within(canvasElement).findByRole('heading', { name, level: 3 }, FORM_LOAD)).closest('li') as HTMLElement;

/** Several sources: one synced, one syncing, one whose last sync failed, each with its next run. */
export const SeveralSources: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByText('3 data sources', {}, FORM_LOAD)).toBeVisible();
    const stripe = await card(canvasElement, 'Stripe');
    await expect(stripe).toHaveAttribute('data-state', 'succeeded');
    await expect(within(stripe).getByText('12,450 rows · 2.3 MB')).toBeVisible();
    await expect(within(stripe).getByText(/02:15 UTC \((in \d+ (seconds?|minutes?|hours?)|now)\)/)).toBeVisible();
    await expect(await card(canvasElement, 'Sample data (Faker)')).toHaveAttribute('data-state', 'running');
    await expect(await card(canvasElement, 'Stripe (EU account)')).toHaveAttribute('data-state', 'failed');
  },
};

/**
 * Every way an onboarding can end, as the customer sees it: synced, last sync failed, "Setup not
 * finished" (with Finish setup and Remove), waiting for the stream choice, removed in Airbyte.
 * Each says only what is true and offers the action it names.
 */
export const EveryOutcome: Story = {
  parameters: { msw: { handlers: proxyHandlers({ sources: lifecycleSources() }) } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByText('5 data sources', {}, FORM_LOAD)).toBeVisible();
    const unfinished = await card(canvasElement, 'Stripe (staging)');
    await expect(unfinished).toHaveAttribute('data-state', 'unfinished');
    await expect(within(unfinished).getByText('Setup not finished')).toBeVisible();
    await expect(await within(unfinished).findByText(/stopped before it was done, at “Creating the connection”/, {}, FORM_LOAD)).toBeVisible();
    await expect(within(unfinished).getByRole('button', { name: 'Finish setup' })).toBeVisible();
    await expect(within(unfinished).getByRole('button', { name: 'Remove' })).toBeVisible();
    // Nothing it cannot do: no Edit, no Sync now.
    await expect(within(unfinished).queryByRole('button', { name: 'Edit' })).toBeNull();
    await expect(within(unfinished).queryByRole('button', { name: 'Sync now' })).toBeNull();
    const removed = await card(canvasElement, 'Sample data (Faker) 2');
    await expect(removed).toHaveAttribute('data-state', 'removed');
    await expect(within(removed).getByText(/Airbyte no longer has this source/)).toBeVisible();
    await expect(within(removed).getByRole('button', { name: 'Remove from list' })).toBeVisible();
    await expect(await card(canvasElement, 'Stripe (EU account)')).toHaveAttribute('data-state', 'failed');
  },
};

/**
 * Sources whose last sync failed because Airbyte could not sign in with the saved details: a
 * sign-in source (fixed by Reconnect, made primary) and a form source (fixed by Edit, primary).
 */
function brokenSources(): SourceOverview[] {
  const [synced, , failed] = sourceOverviews();
  const hubspotId = '0c31738c-0b2d-4887-b506-e2cd1c39cc40';
  const hubspot: SourceOverview = {
    sourceId: hubspotId,
    name: 'HubSpot',
    templateId: 'hubspot',
    templateName: 'HubSpot',
    signIn: true,
    createdAt: Math.floor((Date.now() - 20 * 86_400_000) / 1000),
    connections: [{ connection: { ...failed!.connections[0]!.connection, connectionId: '5f0c5a61-0c55-4f4e-9d0b-3f1a3c1e7a14', name: 'HubSpot -> Acme Analytics Lake (S3)', sourceId: hubspotId }, lastJob: job('failed', 0, { jobId: 44, agoMs: 3600_000 }) }],
    credentialsBroken: true,
  };
  return [synced!, { ...failed!, credentialsBroken: true }, hubspot];
}

/** Broken credentials: each card says what happened and offers the action that fixes it, emphasized. */
export const CredentialsBroken: Story = {
  parameters: { msw: { handlers: proxyHandlers({ sources: brokenSources() }) } },
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByText('3 data sources', {}, FORM_LOAD)).toBeVisible();
    const hubspot = await card(canvasElement, 'HubSpot');
    await expect(hubspot).toHaveAttribute('data-state', 'credentials_broken');
    await expect(within(hubspot).getByText('Sign-in needs attention')).toBeVisible();
    await expect(hubspot.querySelector('.aek-broken-hint')).toHaveTextContent('Airbyte could not sign in to HubSpot with the saved details. Reconnect to sign in again.');
    await expect(await within(hubspot).findByRole('button', { name: 'Reconnect' }, FORM_LOAD)).toHaveClass('aek-button--primary');
    await expect(within(hubspot).getByRole('button', { name: 'Edit' })).not.toHaveClass('aek-button--primary');
    const form = await card(canvasElement, 'Stripe (EU account)');
    await expect(form).toHaveAttribute('data-state', 'credentials_broken');
    await expect(within(form).getByText('Details need attention')).toBeVisible();
    await expect(form.querySelector('.aek-broken-hint')).toHaveTextContent('Airbyte could not sign in to Stripe with the saved details. Edit the details to fix them.');
    await expect(within(form).getByRole('button', { name: 'Edit' })).toHaveClass('aek-button--primary');
    await expect(within(form).queryByRole('button', { name: 'Reconnect' })).toBeNull();
    // The healthy source says nothing of the kind.
    await expect(await card(canvasElement, 'Stripe')).toHaveAttribute('data-state', 'succeeded');
  },
};

/** Finish setup resumes the stopped onboarding on the server: the card becomes a connected source with its first sync. */
export const FinishSetup: Story = {
  parameters: { msw: { handlers: proxyHandlers({ sources: lifecycleSources() }) } },
  play: async ({ canvasElement, args }) => {
    const unfinished = await card(canvasElement, 'Stripe (staging)');
    await userEvent.click(await within(unfinished).findByRole('button', { name: 'Finish setup' }, FORM_LOAD));
    await expect(await within(canvasElement).findByText('The setup of Stripe (staging) is finished.')).toBeVisible();
    const done = await card(canvasElement, 'Stripe (staging)');
    await waitFor(() => expect(done).toHaveAttribute('data-state', 'running'));
    await expect(within(done).getByRole('button', { name: 'Edit' })).toBeVisible();
    await expect(args.onEvent).toHaveBeenCalledWith(expect.objectContaining({ type: 'source_created', sourceId: '0c31738c-0b2d-4887-b506-e2cd1c39cc37' }));
    // Its first sync's start, as after a connect.
    await expect(args.onEvent).toHaveBeenCalledWith(expect.objectContaining({ type: 'sync_started', sourceId: '0c31738c-0b2d-4887-b506-e2cd1c39cc37', jobId: 200 }));
  },
};

/** A setup that waits for the stream choice: Finish setup asks which tables, then finishes. */
export const FinishSetupChoosingStreams: Story = {
  parameters: { msw: { handlers: proxyHandlers({ sources: lifecycleSources() }) } },
  play: async ({ canvasElement }) => {
    const waiting = await card(canvasElement, 'Stripe (US)');
    await expect(await within(waiting).findByText(/Choose what to sync to finish the setup/, {}, FORM_LOAD)).toBeVisible();
    await userEvent.click(within(waiting).getByRole('button', { name: 'Finish setup' }));
    const picker = await within(waiting).findByRole('form', { name: 'Choose what to sync' });
    await userEvent.click(within(picker).getByRole('checkbox', { name: 'invoices' }));
    await userEvent.click(within(picker).getByRole('button', { name: 'Sync these tables' }));
    await expect(await within(canvasElement).findByText('The setup of Stripe (US) is finished.')).toBeVisible();
  },
};

/** Remove deletes what the unfinished setup made; the card goes. */
export const RemoveUnfinished: Story = {
  parameters: { msw: { handlers: proxyHandlers({ sources: lifecycleSources() }) } },
  play: async ({ canvasElement, args }) => {
    const unfinished = await card(canvasElement, 'Stripe (staging)');
    await userEvent.click(await within(unfinished).findByRole('button', { name: 'Remove' }, FORM_LOAD));
    await expect(await within(canvasElement).findByText('Stripe (staging) was removed.')).toBeVisible();
    await expect(within(canvasElement).getByText('4 data sources')).toBeVisible();
    await expect(args.onEvent).toHaveBeenCalledWith(expect.objectContaining({ type: 'source_deleted' }));
  },
};

/** Finish setup fails again: the card says why and keeps both actions. */
export const FinishSetupFails: Story = {
  parameters: { msw: { handlers: proxyHandlers({ sources: lifecycleSources(), resumeError: { status: 502, body: { error: { code: 'misconfigured', message: 'x' } } } }) } },
  play: async ({ canvasElement }) => {
    const unfinished = await card(canvasElement, 'Stripe (staging)');
    await userEvent.click(await within(unfinished).findByRole('button', { name: 'Finish setup' }, FORM_LOAD));
    await expect(await within(unfinished).findByRole('alert')).toHaveTextContent("This connector is not set up correctly; the site’s team has been told.");
    await expect(within(unfinished).getByRole('button', { name: 'Finish setup' })).toBeVisible();
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
    await expect(await canvas.findByText('You have not connected any data source yet.', {}, FORM_LOAD)).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Connect a source' }));
    await expect(args.onConnect).toHaveBeenCalledOnce();
  },
};

export const LoadError: Story = {
  parameters: { msw: { handlers: proxyHandlers({ sourcesError: { error: { code: 'upstream_unavailable', message: 'down' } } }) } },
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByRole('alert', {}, FORM_LOAD)).toHaveTextContent('not responding');
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
