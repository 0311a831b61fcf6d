import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { SourceForm } from '../src/react/SourceForm.tsx';
import { fakerSpec, stripeSpec } from '../test/fixtures/proxyFixtures.ts';
import { withProvider } from './withProvider.tsx';

const meta = {
  title: 'SourceForm',
  component: SourceForm,
  args: { onSubmit: fn() },
  decorators: [withProvider],
} satisfies Meta<typeof SourceForm>;
export default meta;
type Story = StoryObj<typeof meta>;

/** Faker: one required integer with a default and a minimum. */
export const Faker: Story = {
  args: { spec: fakerSpec },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const count = canvas.getByLabelText(/Count/);
    await expect(count).toHaveValue(5000);
    await userEvent.clear(count);
    await userEvent.type(count, '0');
    await userEvent.click(canvas.getByRole('button', { name: 'Connect' }));
    await expect(await canvas.findByText('must be at least 1')).toBeVisible();
    await expect(args.onSubmit).not.toHaveBeenCalled();
  },
};

/** Stripe: a secret (password input with a show/hide toggle) and a date-time with a seconds-only pattern. */
export const StripeWithSecret: Story = {
  args: { spec: stripeSpec },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const secret = canvas.getByLabelText(/Secret Key/);
    await expect(secret).toHaveAttribute('type', 'password');
    await userEvent.type(canvas.getByLabelText(/Account ID/), 'acct_123');
    await userEvent.type(secret, 'sk_test_abc');
    await userEvent.click(canvas.getByRole('button', { name: 'Show' }));
    await expect(secret).toHaveAttribute('type', 'text');
    await userEvent.click(canvas.getByRole('button', { name: 'Connect' }));
    await expect(args.onSubmit).toHaveBeenCalledWith({ account_id: 'acct_123', client_secret: 'sk_test_abc' });
  },
};

/** Required fields left empty: messages next to each field, nothing submitted. */
export const RequiredFieldsMissing: Story = {
  args: { spec: stripeSpec },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Connect' }));
    await expect(await canvas.findAllByText('is required')).toHaveLength(2);
    await expect(args.onSubmit).not.toHaveBeenCalled();
  },
};

/** Errors the server found, shown next to their fields with the user's values kept. */
export const ServerFieldErrors: Story = {
  args: {
    spec: stripeSpec,
    formData: { account_id: 'acct_123', client_secret: 'sk_test_abc', start_date: '2017-01-25T00:00:00Z' },
    fieldErrors: [{ path: ['account_id'], message: 'must be in the format acct_…' }],
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText('must be in the format acct_…')).toBeVisible();
    await expect(canvas.getByLabelText(/Account ID/)).toHaveValue('acct_123');
  },
};
