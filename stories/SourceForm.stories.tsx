import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fireEvent, fn, userEvent, within } from 'storybook/test';
import { SourceForm } from '../src/form.ts'; // the eager entry, as a host rendering the form alone imports it
import type { JsonSchema } from '../src/shared/contract.ts';
import { optionalCredentialsSpec, pydanticStyleSpec } from '../test/fixtures/formTraps.ts';
import { fakerSpec, stripeSpec } from '../test/fixtures/proxyFixtures.ts';
import { realSpec } from './realSpecs.ts';
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
    // The new item starts from its defaults, as shown: globs `**`, CSV with its delimiter.
    await expect(args.onSubmit).toHaveBeenCalledWith({ bucket: 'logs', streams: [{ name: 'orders', globs: ['**'], format: { filetype: 'csv', delimiter: ',' } }] });
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

/** Renders the story's spec: the real connector's when ../shared/connector-specs is there (see `realSpec`). */
const withLoadedSpec: Story['render'] = (args, { loaded }) => <SourceForm {...args} spec={(loaded.spec as JsonSchema | undefined) ?? args.spec} />;

const submitButton = (canvas: ReturnType<typeof within>) => canvas.getByRole('button', { name: 'Connect' });

/** Trap: an optional choice (Mailchimp's credentials). The person picks "API Key", types it, and it submits with its hidden discriminator. */
export const OptionalChoice: Story = {
  args: { spec: optionalCredentialsSpec },
  loaders: [async () => ({ spec: await realSpec('source-mailchimp', {}).then((s) => (Object.keys(s).length ? s : undefined)) })],
  render: withLoadedSpec,
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.selectOptions(canvas.getByLabelText('Authentication'), 'API Key');
    await userEvent.type(canvas.getByLabelText(/^API Key/), 'key-us6');
    await userEvent.click(submitButton(canvas));
    await expect(args.onSubmit).toHaveBeenCalledWith(expect.objectContaining({ credentials: { auth_type: 'apikey', apikey: 'key-us6' } }));
  },
};

/** Trap: defaults are shown and sent (Chargebee's product catalog 2.0 is not its enum's first value; the number of workers is 3). */
export const ShownIsSentDefaults: Story = {
  args: {
    spec: {
      type: 'object',
      required: ['site'],
      properties: {
        site: { type: 'string', title: 'Site', order: 0 },
        product_catalog: { type: 'string', title: 'Product Catalog', enum: ['1.0', '2.0'], default: '2.0', order: 1 },
        num_workers: { type: 'integer', title: 'Number of concurrent workers', default: 3, order: 2 },
      },
    },
  },
  loaders: [async () => ({ spec: await realSpec('source-chargebee', {}).then((s) => (Object.keys(s).length ? s : undefined)) })],
  render: withLoadedSpec,
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    for (const label of [/^API Key/, /^Site/]) {
      const field = canvas.queryByLabelText(label);
      if (field) await userEvent.type(field, 'acme');
    }
    const start = canvas.queryByLabelText(/^Start Date/);
    if (start) fireEvent.change(start, { target: { value: '2024-01-01T00:00' } });
    await userEvent.click(canvas.getByText(/Optional fields/));
    await expect((canvas.getByLabelText('Product Catalog') as HTMLSelectElement).selectedOptions[0]!.text).toBe('2.0');
    await expect(canvas.getByLabelText('Number of concurrent workers')).toHaveValue(3);
    await userEvent.click(submitButton(canvas));
    await expect(args.onSubmit).toHaveBeenCalledWith(expect.objectContaining({ product_catalog: '2.0', num_workers: 3 }));
  },
};

/** Trap: a root-level `const` (Salesforce's `auth_type`): no input for it anywhere, and it is sent. */
export const RootConst: Story = {
  args: {
    spec: {
      type: 'object',
      required: ['client_id', 'client_secret', 'refresh_token'],
      properties: {
        auth_type: { type: 'string', const: 'Client' },
        client_id: { type: 'string', title: 'Client ID', order: 1 },
        client_secret: { type: 'string', title: 'Client Secret', airbyte_secret: true, order: 2 },
        refresh_token: { type: 'string', title: 'Refresh Token', airbyte_secret: true, order: 3 },
      },
    },
  },
  loaders: [async () => ({ spec: await realSpec('source-salesforce', {}).then((s) => (Object.keys(s).length ? s : undefined)) })],
  render: withLoadedSpec,
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.type(canvas.getByLabelText(/^Client ID/), 'id');
    await userEvent.type(canvas.getByLabelText(/^Client Secret/), 'secret');
    await userEvent.type(canvas.getByLabelText(/^Refresh Token/), 'refresh');
    await userEvent.click(canvas.getByText(/Optional fields/));
    await expect(canvas.queryByText(/auth.?type/i)).toBeNull();
    await userEvent.click(submitButton(canvas));
    await expect(args.onSubmit).toHaveBeenCalledWith(expect.objectContaining({ auth_type: 'Client', client_id: 'id' }));
  },
};

/** Trap: a pydantic-style spec (`$ref` into `definitions`, `allOf`, `anyOf` with null): the secret behind a `$ref` is a password, the tagged union a picker, the nullable note one input. No real connector spec has these yet; newer CDK ones do. */
export const RefSpec: Story = {
  args: { spec: { ...pydanticStyleSpec, properties: { ...(pydanticStyleSpec.properties as object), note: { anyOf: [{ type: 'string' }, { type: 'null' }], title: 'Note', default: null, always_show: true } } } },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByLabelText(/^API Token/)).toHaveAttribute('type', 'password');
    await userEvent.selectOptions(canvas.getByLabelText(/^Mode/), 'fast');
    await userEvent.type(canvas.getByLabelText(/^API Token/), 'tok');
    await userEvent.type(canvas.getByLabelText('Note'), 'hi');
    await userEvent.click(submitButton(canvas));
    await expect(args.onSubmit).toHaveBeenCalledWith({ credentials: { auth_type: 'token', token: 'tok' }, mode: 'fast', note: 'hi' });
  },
};

/** Trap: property names an object already answers to (`constructor`, `toString`, `__proto__`…) are ordinary fields. */
export const DangerousPropertyNames: Story = {
  args: {
    spec: JSON.parse(
      '{"type":"object","required":["constructor","__proto__"],"properties":{"constructor":{"type":"string","title":"Constructor"},"toString":{"type":"string","title":"To string","always_show":true},"valueOf":{"type":"integer","title":"Value of","always_show":true},"hasOwnProperty":{"type":"boolean","title":"Has own property"},"__proto__":{"type":"string","title":"Proto"}}}',
    ) as JsonSchema,
  },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.type(canvas.getByLabelText(/^Constructor/), 'c');
    await userEvent.type(canvas.getByLabelText(/^Proto/), 'p');
    await userEvent.type(canvas.getByLabelText('To string'), 't');
    await userEvent.type(canvas.getByLabelText('Value of'), '7');
    await userEvent.click(submitButton(canvas));
    const sent = (args.onSubmit as ReturnType<typeof fn>).mock.calls[0]![0] as Record<string, unknown>;
    await expect(JSON.parse(JSON.stringify(sent))).toEqual(JSON.parse('{"constructor":"c","toString":"t","valueOf":7,"hasOwnProperty":false,"__proto__":"p"}'));
  },
};
