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

/** A file source's required list of streams: empty at first, then an item added, named and removed. */
export const ListOfStreams: Story = {
  args: {
    spec: {
      type: 'object',
      required: ['bucket', 'streams'],
      properties: {
        bucket: { type: 'string', title: 'Bucket', order: 0 },
        streams: {
          type: 'array',
          title: 'The list of streams to sync',
          description: 'Each stream reads the files matching its globs into one table.',
          order: 1,
          items: {
            type: 'object',
            required: ['name', 'format'],
            properties: {
              name: { type: 'string', title: 'Name', order: 0 },
              globs: { type: 'array', title: 'Globs', items: { type: 'string' }, default: ['**'], order: 1 },
              format: {
                type: 'object',
                title: 'Format',
                order: 2,
                oneOf: [
                  { type: 'object', title: 'CSV Format', required: ['filetype'], properties: { filetype: { type: 'string', const: 'csv' }, delimiter: { type: 'string', title: 'Delimiter', default: ',' } } },
                  { type: 'object', title: 'Jsonl Format', required: ['filetype'], properties: { filetype: { type: 'string', const: 'jsonl' } } },
                ],
              },
            },
          },
        },
      },
    },
  },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const list = canvas.getByRole('group', { name: /The list of streams to sync/ });
    await expect(within(list).getByText(/No items yet/)).toBeVisible();
    await userEvent.click(within(list).getByRole('button', { name: 'Add item' }));
    await userEvent.click(within(list).getByRole('button', { name: 'Add item' }));
    await expect(within(list).getByText('Item 2')).toBeVisible();
    await userEvent.click(within(list).getAllByRole('button', { name: 'Remove' })[1]!);
    await userEvent.type(canvas.getByLabelText(/Bucket/), 'logs');
    await userEvent.type(within(list).getByLabelText(/^Name/), 'orders');
    await userEvent.click(canvas.getByRole('button', { name: 'Connect' }));
    await expect(args.onSubmit).toHaveBeenCalledWith({ bucket: 'logs', streams: [{ name: 'orders', format: { filetype: 'csv' } }] });
  },
};

/** Optional fields opened: as wide as the required ones, never past the form's edge. */
export const OptionalFieldsOpen: Story = {
  args: {
    spec: {
      type: 'object',
      required: ['host'],
      properties: {
        host: { type: 'string', title: 'Host', order: 0 },
        lookback: { type: 'integer', title: 'Lookback window', description: 'How far back (in minutes) to re-fetch records.', default: 60, order: 1 },
        schemas: { type: 'array', title: 'Schemas', items: { type: 'string' }, order: 2 },
      },
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByText(/Optional fields/));
    const host = canvas.getByLabelText(/Host/);
    for (const input of [canvas.getByLabelText('Lookback window'), canvas.getByLabelText('Schemas')]) {
      const a = host.getBoundingClientRect();
      const b = input.closest('.aek-tags')?.getBoundingClientRect() ?? input.getBoundingClientRect();
      await expect(Math.round(b.right)).toBeLessThanOrEqual(Math.round(a.right));
      await expect(Math.round(input.getBoundingClientRect().height)).toBeLessThanOrEqual(Math.round(a.height));
    }
  },
};
