import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { AirbyteEmbedProvider } from '../src/react/EmbedProvider.tsx';
import { ConnectWidget } from '../src/react/ConnectWidget.tsx';
import { connectionStatus } from '../test/fixtures/proxyFixtures.ts';
import { BASE, proxyHandlers } from './proxyHandlers.ts';

const meta = {
  title: 'ConnectWidget',
  component: ConnectWidget,
  args: { onSuccess: fn(), onError: fn() },
  // A fresh provider (and query cache) per story, so states never leak between stories.
  decorators: [
    (Story) => (
      <AirbyteEmbedProvider baseUrl={BASE} getSessionToken={() => 'story-session-token'}>
        <Story />
      </AirbyteEmbedProvider>
    ),
  ],
  parameters: { msw: { handlers: proxyHandlers() } },
} satisfies Meta<typeof ConnectWidget>;
export default meta;
type Story = StoryObj<typeof meta>;

async function openStripe(canvasElement: HTMLElement) {
  const canvas = within(canvasElement);
  await userEvent.click(await canvas.findByRole('button', { name: /Stripe/ }));
  await userEvent.type(await canvas.findByLabelText(/Account ID/), 'acct_123');
  await userEvent.type(canvas.getByLabelText(/Secret Key/), 'sk_test_abc');
  return canvas;
}

export const Catalog: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByRole('button', { name: /Sample data \(Faker\)/ })).toBeVisible();
    await expect(canvas.getByRole('button', { name: /Stripe/ })).toBeVisible();
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

export const CatalogError: Story = {
  parameters: {
    msw: {
      handlers: proxyHandlers({
        templatesError: { error: { code: 'upstream_unavailable', message: 'The data service is not responding right now. Your details are kept; try again in a moment.' } },
      }),
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByRole('alert', {}, { timeout: 5000 })).toHaveTextContent('not responding');
    await expect(canvas.getByRole('button', { name: 'Try again' })).toBeVisible();
  },
};

export const Form: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByRole('button', { name: /Stripe/ }));
    await expect(await canvas.findByLabelText(/Secret Key/)).toHaveAttribute('type', 'password');
    await expect(canvas.getByText(/Data will go to/)).toHaveTextContent('Acme Analytics Lake (S3), at 02:15 AM, every day (UTC)');
  },
};

export const Submitting: Story = {
  parameters: { msw: { handlers: proxyHandlers({ createDelay: 'infinite' }) } },
  play: async ({ canvasElement }) => {
    const canvas = await openStripe(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Connect' }));
    const button = await canvas.findByRole('button', { name: 'Connecting…' });
    await expect(button).toBeDisabled();
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
    await expect(canvas.getByLabelText(/Account ID/)).toHaveValue('acct_123');
    await expect(canvas.getByLabelText(/Secret Key/)).toHaveValue('sk_test_abc');
    await expect(args.onError).toHaveBeenCalledOnce();
  },
};

export const ServerError: Story = {
  parameters: {
    msw: {
      handlers: proxyHandlers({
        createError: { status: 503, body: { error: { code: 'upstream_unavailable', message: 'The data service is not responding right now. Your details are kept; try again in a moment.' } } },
      }),
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = await openStripe(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Connect' }));
    await expect(await canvas.findByRole('alert')).toHaveTextContent('Your details are kept');
    await expect(canvas.getByLabelText(/Account ID/)).toHaveValue('acct_123');
  },
};

export const SuccessSyncRunning: Story = {
  parameters: { msw: { handlers: proxyHandlers({ connection: [connectionStatus('running', 1200)] }) } },
  play: async ({ canvasElement, args }) => {
    const canvas = await openStripe(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Connect' }));
    await expect(await canvas.findByText('Stripe is connected')).toBeVisible();
    await expect(await canvas.findByText('1,200 rows · 219.1 KB')).toBeVisible();
    await expect(canvas.getByText('At 02:15 AM, every day (UTC)')).toBeVisible();
    await expect(args.onSuccess).toHaveBeenCalledOnce();
  },
};

export const SuccessSyncFailed: Story = {
  parameters: { msw: { handlers: proxyHandlers({ connection: [connectionStatus('failed', 0)] }) } },
  play: async ({ canvasElement }) => {
    const canvas = await openStripe(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Connect' }));
    await expect(await canvas.findByText('Failed')).toBeVisible();
  },
};
