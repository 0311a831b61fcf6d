import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import type { StreamOption } from '../src/shared/contract.ts';
import { StreamPicker } from '../src/react/streams/StreamPicker.tsx';
import { WidgetRoot } from '../src/react/WidgetRoot.tsx';
import { withProvider } from './withProvider.tsx';

/** What the emulator's Postgres discovers (three tables in `public`), and a larger database. */
const tables = (names: string[], selected = true): StreamOption[] => names.map((name) => ({ name, namespace: 'public', suggested: false, required: false, selected }));
const postgres = tables(['customers', 'orders', 'order_items']);
const warehouse = tables(Array.from({ length: 40 }, (_, i) => `events_2026_${String(i + 1).padStart(2, '0')}`), false);

const meta = {
  title: 'StreamPicker',
  component: StreamPicker,
  args: { streams: postgres, submitLabel: 'Sync these tables', onSubmit: fn(), intro: 'Your Postgres details work. Pick the tables to copy; you can change this later.' },
  decorators: [(Story) => <WidgetRoot>{Story()}</WidgetRoot>, withProvider],
} satisfies Meta<typeof StreamPicker>;
export default meta;
type Story = StoryObj<typeof meta>;

/** After the check: every table preselected (the connector suggests none). */
export const AllPreselected: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('status')).toHaveTextContent('3 of 3 selected');
    await userEvent.click(canvas.getByRole('button', { name: 'Sync these tables' }));
    await expect(args.onSubmit).toHaveBeenCalledWith([
      { name: 'customers', namespace: 'public' },
      { name: 'orders', namespace: 'public' },
      { name: 'order_items', namespace: 'public' },
    ]);
  },
};

/** A table the site always syncs: checked, and cannot be unchecked. */
export const WithRequiredTable: Story = {
  args: { streams: postgres.map((s) => (s.name === 'orders' ? { ...s, required: true } : s)) },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('checkbox', { name: /public\.orders/ })).toBeDisabled();
    await expect(canvas.getByText('always synced')).toBeVisible();
  },
};

/** Nothing chosen: submitting says so, and nothing is sent. */
export const NoneChosen: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('checkbox', { name: 'Select all' }));
    await userEvent.click(canvas.getByRole('button', { name: 'Sync these tables' }));
    await expect(canvas.getByRole('alert')).toHaveTextContent('Choose at least one table to sync.');
    await expect(args.onSubmit).not.toHaveBeenCalled();
  },
};

/** Forty tables: search narrows the list; "Select all" picks what is shown. */
export const ManyTablesSearched: Story = {
  args: { streams: warehouse },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.type(canvas.getByRole('searchbox', { name: 'Search tables' }), '2026_1');
    await userEvent.click(canvas.getByRole('checkbox', { name: 'Select all' }));
    await expect(canvas.getByRole('status')).toHaveTextContent('10 of 40 selected');
  },
};

/** While the choice is sent: every control is disabled. */
export const Sending: Story = {
  args: { disabled: true, submitLabel: 'Connecting…' },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('button', { name: 'Connecting…' })).toBeDisabled();
  },
};
