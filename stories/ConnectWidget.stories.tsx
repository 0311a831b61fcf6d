import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { ConnectWidget, type ConnectWidgetProps } from '../src/react/ConnectWidget.tsx';
import { connectionStatus } from '../test/fixtures/proxyFixtures.ts';
import { proxyHandlers, resetStoryProxies, storyCatalog } from './proxyHandlers.ts';
import { withProvider } from './withProvider.tsx';

const meta = {
  title: 'ConnectWidget',
  component: ConnectWidget,
  args: { onSuccess: fn(), onError: fn(), onEvent: fn(), onExit: fn() },
  decorators: [withProvider],
  beforeEach: resetStoryProxies,
  parameters: { msw: { handlers: proxyHandlers() } },
} satisfies Meta<typeof ConnectWidget>;
export default meta;
type Story = StoryObj<typeof meta>;

/** The form's code loads on first use (its own chunk; a cold dev server transforms it then): allow for that on a busy machine. */
const FORM_LOAD = { timeout: 25_000 };

async function openStripe(canvasElement: HTMLElement) {
  const canvas = within(canvasElement);
  await userEvent.click(await canvas.findByRole('button', { name: /^Stripe$/ }));
  await userEvent.type(await canvas.findByLabelText(/Account ID/, {}, FORM_LOAD), 'acct_123');
  await userEvent.type(canvas.getByLabelText(/Secret Key/), 'sk_test_abc');
  return canvas;
}

/** The customer's connectors as tiles (the demo's two, plus real connectors when ../shared is present). */
export const Catalog: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByRole('button', { name: /Sample data \(Faker\)/ })).toBeVisible();
    await expect(canvas.getAllByRole('listitem')).toHaveLength(storyCatalog.length);
    await expect(args.onEvent).toHaveBeenCalledWith(expect.objectContaining({ type: 'open', view: 'catalog' }));
  },
};

export const CatalogLoading: Story = {
  parameters: { msw: { handlers: proxyHandlers({ templatesDelay: 'infinite' }) } },
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByRole('status')).toHaveTextContent('Loading connectors');
  },
};

export const CatalogEmpty: Story = {
  parameters: { msw: { handlers: proxyHandlers({ templates: [] }) } },
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByText('No connectors are available yet.')).toBeVisible();
  },
};

/** Filtering as you type, down to no match, with a way back. */
export const CatalogSearchNoMatch: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const search = await canvas.findByRole('searchbox', { name: 'Search connectors' });
    await userEvent.type(search, 'strip');
    await expect(canvas.getAllByRole('listitem')).toHaveLength(1);
    await userEvent.type(search, 'zz');
    await expect(canvas.getByText('No connector matches “stripzz”.')).toBeVisible();
    await expect(canvas.getByRole('button', { name: 'Clear search' })).toBeVisible();
  },
};

export const CatalogError: Story = {
  parameters: {
    msw: {
      handlers: proxyHandlers({
        templatesError: { error: { code: 'upstream_unavailable', message: 'The data service is not responding right now. Your details are kept; try again in a moment.' } },
      }),
    },
  },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByRole('alert', {}, { timeout: 5000 })).toHaveTextContent('not responding');
    await expect(canvas.getByRole('button', { name: 'Try again' })).toBeVisible();
    await expect(args.onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'upstream_unavailable' }), expect.objectContaining({ view: 'catalog' }));
  },
};

/** The form with, above the button, what will happen: destination, schedule in words, next run. */
export const Form: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByRole('button', { name: /^Stripe$/ }));
    await expect(await canvas.findByLabelText(/Secret Key/, {}, FORM_LOAD)).toHaveAttribute('type', 'password');
    const plan = canvas.getByRole('region', { name: 'What happens when you connect' });
    await expect(plan).toHaveTextContent('Acme Analytics Lake (S3)');
    await expect(plan).toHaveTextContent('Every day at 02:15 UTC');
    await expect(plan).toHaveTextContent(/Next sync.*02:15 UTC \((in \d+ (seconds?|minutes?|hours?)|now)\)/);
  },
};

export const ValidationErrors: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByRole('button', { name: /^Stripe$/ }));
    await userEvent.type(await canvas.findByLabelText(/Account ID/, {}, FORM_LOAD), 'acct_1');
    await userEvent.click(canvas.getByRole('button', { name: 'Connect' }));
    await expect(await canvas.findByText('is required')).toBeVisible();
    // Focus goes to the first field in error.
    await waitFor(() => expect(canvas.getByLabelText(/Secret Key/)).toHaveFocus());
    await expect(canvas.getByLabelText(/Account ID/)).toHaveValue('acct_1');
    await expect(args.onSuccess).not.toHaveBeenCalled();
  },
};

export const ServerValidationError: Story = {
  parameters: {
    msw: {
      handlers: proxyHandlers({
        createError: {
          status: 400,
          body: { error: { code: 'invalid_config', message: '1 field needs attention. Fix the highlighted field and submit again.', fieldErrors: [{ path: ['account_id'], message: 'is not a known Stripe account' }] } },
        },
      }),
    },
  },
  play: async ({ canvasElement, args }) => {
    const canvas = await openStripe(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Connect' }));
    await expect(await canvas.findByText('is not a known Stripe account')).toBeVisible();
    await expect(canvas.getByRole('alert')).toHaveTextContent('1 field needs attention');
    await expect(canvas.getByLabelText(/Account ID/)).toHaveValue('acct_123');
    await expect(canvas.getByLabelText(/Secret Key/)).toHaveValue('sk_test_abc');
    await expect(args.onError).toHaveBeenCalledOnce();
  },
};

export const ServerError: Story = {
  parameters: {
    msw: {
      handlers: proxyHandlers({
        createError: { status: 503, body: { error: { code: 'upstream_unavailable', message: 'The data service is not responding right now.', requestId: 'req-5f2a' } } },
      }),
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = await openStripe(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Connect' }));
    const alert = await canvas.findByRole('alert');
    await expect(alert).toHaveTextContent('Your details are kept');
    await expect(alert).toHaveTextContent('Reference: req-5f2a');
    await expect(canvas.getByLabelText(/Account ID/)).toHaveValue('acct_123');
    await expect(canvas.getByRole('button', { name: 'Connect' })).toBeEnabled();
  },
};

/** While connecting: the onboarding's steps as the proxy reports them. */
export const Submitting: Story = {
  parameters: {
    msw: {
      handlers: proxyHandlers({
        createDelay: 'infinite',
        progress: {
          status: 'running',
          steps: [
            { step: 'workspace', state: 'done' },
            { step: 'source', state: 'done' },
            { step: 'destination', state: 'done' },
            { step: 'connection', state: 'active' },
            { step: 'sync', state: 'pending' },
          ],
        },
      }),
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = await openStripe(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Connect' }));
    await expect(await canvas.findByRole('button', { name: 'Connecting…' })).toHaveAttribute('aria-disabled', 'true');
    const progress = await canvas.findByRole('region', { name: 'Connecting Stripe' });
    await waitFor(() => expect(within(progress).getByRole('status')).toHaveTextContent('Creating the connection'));
    await expect(progress.querySelector('[aria-current="step"]')).toHaveTextContent('Creating the connection');
  },
};

export const SuccessSyncRunning: Story = {
  parameters: { msw: { handlers: proxyHandlers({ connection: [connectionStatus('running', 1200)] }) } },
  play: async ({ canvasElement, args }) => {
    const canvas = await openStripe(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Connect' }));
    await expect(await canvas.findByRole('heading', { name: /Stripe is connected/ })).toBeVisible();
    await expect(await canvas.findByText('1,200 rows · 224.4 kB')).toBeVisible();
    await expect(canvas.getByText('Every day at 02:15 UTC')).toBeVisible();
    await expect(args.onSuccess).toHaveBeenCalledOnce();
  },
};

/** A failed first sync: no green "connected", the reason (or that Airbyte gave none), and the actions it names, here. */
export const SuccessSyncFailed: Story = {
  parameters: { msw: { handlers: proxyHandlers({ connection: [connectionStatus('failed', 0)] }) } },
  play: async ({ canvasElement, args }) => {
    const canvas = await openStripe(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Connect' }));
    await expect(await canvas.findByRole('heading', { level: 2, name: 'Stripe is connected, but its first sync failed' })).toBeVisible();
    await expect(canvasElement.querySelector('.aek-success-icon')).toBeNull();
    await expect(canvas.getByText(/Airbyte did not say why/)).toBeVisible();
    // The first sync's start was reported with the source; the retry reports one more.
    const starts = () => (args.onEvent as unknown as { mock: { calls: Array<[{ type: string }]> } }).mock.calls.filter(([e]) => e.type === 'sync_started').length;
    const before = starts();
    await userEvent.click(canvas.getByRole('button', { name: 'Retry sync' }));
    await waitFor(() => expect(starts()).toBe(before + 1));
    // "Edit details" opens this source's form in the manage view.
    await userEvent.click(canvas.getByRole('button', { name: 'Edit details' }));
    await expect(await canvas.findByLabelText(/Account ID/, {}, { timeout: 10_000 })).toBeVisible();
  },
};

/** Airbyte stopped answering after the source was saved: the steps done stay, the one that stopped says so, values are kept. */
export const StalledAfterSourceSaved: Story = {
  parameters: {
    msw: {
      handlers: proxyHandlers({
        createError: { status: 503, body: { error: { code: 'upstream_unavailable', message: 'The data service is not responding right now.' } } },
        progress: {
          status: 'stalled',
          steps: [
            { step: 'workspace', state: 'done' },
            { step: 'source', state: 'done' },
            { step: 'check', state: 'done' },
            { step: 'destination', state: 'done' },
            { step: 'connection', state: 'active' },
            { step: 'sync', state: 'pending' },
          ],
          error: { code: 'upstream_unavailable', message: 'The data service is not responding right now.' },
        },
      }),
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = await openStripe(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Connect' }));
    await expect(await canvas.findByText(/Your Stripe source was saved, but its setup did not finish/)).toBeVisible();
    const stopped = canvasElement.querySelector('.aek-step[data-state="stopped"]');
    await expect(stopped).toHaveTextContent('Creating the connection');
    await expect(canvasElement.querySelectorAll('.aek-step[data-state="done"]')).toHaveLength(4);
    await expect(canvas.getByLabelText(/Account ID/)).toHaveValue('acct_123');
    await expect(canvas.getByRole('button', { name: 'Connect' })).toBeEnabled();
  },
};

const getExpiringToken = fn(({ refresh }: { refresh: boolean }) => (refresh ? 'fresh-token' : 'expired-token'));

/** The host's token expired: the widget asks for a new one and carries on, showing no error. */
export const ExpiredSession: Story = {
  parameters: { getSessionToken: getExpiringToken, msw: { handlers: proxyHandlers({ expiredToken: 'expired-token' }) } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByRole('button', { name: /Sample data \(Faker\)/ })).toBeVisible();
    await expect(getExpiringToken).toHaveBeenCalledWith({ refresh: true });
    await expect(canvas.queryByRole('alert')).toBeNull();
  },
};

/** The whole flow with the keyboard alone: Tab, arrows, typing and Enter. */
export const KeyboardOnly: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole('button', { name: /Sample data \(Faker\)/ });
    await userEvent.tab(); // "Your data sources"
    await userEvent.tab(); // search
    await expect(canvas.getByRole('searchbox')).toHaveFocus();
    await userEvent.keyboard('stri');
    await userEvent.keyboard('{ArrowDown}');
    await expect(canvas.getByRole('button', { name: /^Stripe$/ })).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(canvas.getByRole('heading', { name: 'Connect Stripe' })).toHaveFocus());
    await canvas.findByLabelText(/Account ID/, {}, FORM_LOAD);
    await userEvent.tab(); // Account ID
    await userEvent.keyboard('acct_keyboard');
    await userEvent.tab(); // Secret Key
    await userEvent.keyboard('sk_keyboard');
    await userEvent.keyboard('{Enter}');
    await expect(await canvas.findByRole('heading', { name: /Stripe is connected/ })).toBeVisible();
    await waitFor(() => expect(canvas.getByRole('heading', { name: /Stripe is connected/ })).toHaveFocus());
    await expect(args.onSuccess).toHaveBeenCalledOnce();
  },
};

function ModalHost(props: ConnectWidgetProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Add a data source
      </button>
      <ConnectWidget
        {...props}
        modal
        open={open}
        onExit={(details) => {
          setOpen(false);
          props.onExit?.(details);
        }}
      />
    </>
  );
}

/** As a modal: focus moves in, Tab stays inside, Escape exits, focus returns to the opener. */
export const Modal: Story = {
  render: (args) => <ModalHost {...args} />,
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const opener = canvas.getByRole('button', { name: 'Add a data source' });
    await userEvent.click(opener);
    const dialog = await within(document.body).findByRole('dialog', { name: 'Connect a data source' });
    // Focus starts on the dialog's heading (announced with its name), inside the dialog.
    await waitFor(() => expect(within(dialog).getByRole('heading', { name: 'Connect a data source' })).toHaveFocus());
    await within(dialog).findByRole('button', { name: /Sample data \(Faker\)/ });
    // Shift+Tab from the first control wraps to the last one, inside the dialog.
    await userEvent.tab({ shift: true });
    await userEvent.tab({ shift: true });
    await userEvent.tab({ shift: true });
    await expect(dialog.contains(document.activeElement)).toBe(true);
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(within(document.body).queryByRole('dialog')).toBeNull());
    await expect(opener).toHaveFocus();
    await expect(args.onExit).toHaveBeenCalledWith(expect.objectContaining({ reason: 'escape', view: 'catalog' }));
  },
};

/** German, from the `locale` prop; every string comes from the messages object. */
export const German: Story = {
  args: { locale: 'de' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByRole('button', { name: /^Stripe$/ }, { timeout: 5000 }));
    await expect(await canvas.findByText('Täglich um 02:15 UTC', {}, FORM_LOAD)).toBeVisible();
  },
};

/** Japanese. */
export const Japanese: Story = {
  args: { locale: 'ja' },
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByRole('searchbox', {}, { timeout: 5000 })).toBeVisible();
  },
};

/** Arabic: right-to-left layout, mirrored arrows and keys. */
export const ArabicRightToLeft: Story = {
  args: { locale: 'ar' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole('searchbox', {}, { timeout: 5000 });
    await expect(canvasElement.querySelector('.aek-root')).toHaveAttribute('dir', 'rtl');
    await userEvent.click(await canvas.findByRole('button', { name: /^Stripe$/ }));
    await expect(await canvas.findByLabelText(/Account ID/, {}, FORM_LOAD)).toBeVisible();
  },
};

/** The host's own colours, radius and words, through CSS variables and `messages`. */
export const HostBranding: Story = {
  args: { className: 'story-branded', messages: { 'catalog.title': 'Bring your data into Acme' } },
  decorators: [
    (Story) => (
      <>
        <style>{'.story-branded { --aek-accent: light-dark(#0f766e, #5eead4); --aek-radius: 2px; --aek-font: Georgia, serif; }'}</style>
        <Story />
      </>
    ),
  ],
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByRole('heading', { name: 'Bring your data into Acme' })).toBeVisible();
  },
};
