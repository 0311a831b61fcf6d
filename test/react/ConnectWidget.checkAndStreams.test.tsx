/**
 * The credentials check and the stream choice as a customer meets them in the widget: typing
 * into the form and clicking the visible controls, against the proxy and the emulator behaving
 * like Airbyte (a discover that fails for wrong credentials, or takes minutes).
 */
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import templatesJson from '../../demo/templates.json';
import { ConnectWidget } from '../../src/react/ConnectWidget.tsx';
import { SourceManager } from '../../src/react/SourceManager.tsx';
import { freshEmbeddedStore } from '../fixtures/stores.ts';
import { widgetHarness, preloadWidgetChunks } from './widgetHarness.tsx';

beforeAll(() => Promise.all([freshEmbeddedStore(), preloadWidgetChunks()]), 60_000);
afterEach(cleanup);

const postgres = {
  id: 'postgres',
  name: 'Postgres',
  actorDefinitionId: 'decd338e-5647-4c0b-adf4-da0e75f5a750',
  partialDefaultConfig: { port: 5432 },
  partialUserConfigSpec: {
    connectionSpecification: {
      type: 'object',
      required: ['host', 'database', 'username', 'password'],
      properties: {
        host: { type: 'string', title: 'Host', order: 0 },
        database: { type: 'string', title: 'Database', order: 1 },
        username: { type: 'string', title: 'Username', order: 2 },
        password: { type: 'string', title: 'Password', airbyte_secret: true, order: 3 },
      },
    },
  },
};
const templates = (connection: Record<string, unknown> = {}) => ({ sources: [postgres], connections: [{ ...templatesJson.connections[0], ...connection }] });

async function fillPostgres(password: string) {
  await userEvent.click(await screen.findByRole('button', { name: /Postgres/ }));
  await userEvent.type(await screen.findByLabelText(/^Host/), 'db.customer.example');
  await userEvent.type(screen.getByLabelText(/^Database/), 'shop');
  await userEvent.type(screen.getByLabelText(/^Username/), 'reader');
  await userEvent.type(screen.getByLabelText(/^Password/), password);
  await userEvent.click(screen.getByRole('button', { name: 'Connect' }));
}

describe('ConnectWidget: the credentials check', () => {
  it('shows the connector’s message next to the form with every value kept, and leaves nothing in Airbyte', async () => {
    const w = await widgetHarness({ templates: templates() });
    w.mount(<ConnectWidget />);
    await fillPostgres('wrong-secret');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The connector could not connect with these details. Check them and submit again.');
    expect(alert.querySelector('.aek-alert-detail')?.textContent).toMatch(/^Postgres did not accept these details: .+/);
    expect((screen.getByLabelText(/^Host/) as HTMLInputElement).value).toBe('db.customer.example');
    expect((screen.getByLabelText(/^Username/) as HTMLInputElement).value).toBe('reader');
    expect((await w.h.upstream('/sources')).data).toHaveLength(0);
    expect((await w.h.upstream('/connections')).data).toHaveLength(0);

    // Fixing the password connects, with one source in the end.
    const password = screen.getByLabelText(/^Password/);
    await userEvent.clear(password);
    await userEvent.type(password, 'right-secret');
    await userEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByRole('heading', { name: /Postgres is connected/ }, { timeout: 5000 })).toBeTruthy();
    expect((await w.h.upstream('/sources')).data).toHaveLength(1);
  }, 20_000);

  it('shows "Checking your details" through a two-minute discover (a controlled clock, no real wait), then connects', async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const w = await widgetHarness({ templates: templates(), emulator: { discoverMs: 120_000, sleep: () => slow }, proxy: { holdOnboardingMs: 30 } });
    w.mount(<ConnectWidget />);
    await fillPostgres('right-secret');
    const step = await screen.findByText('Checking your Postgres details… this can take a minute');
    await waitFor(() => expect(step.closest('[data-step="check"]')?.getAttribute('data-state')).toBe('active'), { timeout: 3000 });
    expect(screen.queryByRole('alert')).toBeNull();
    release();
    expect(await screen.findByRole('heading', { name: /Postgres is connected/ }, { timeout: 8000 })).toBeTruthy();
    expect((await w.h.upstream('/connections')).data).toHaveLength(1);
  }, 20_000);
});

describe('ConnectWidget: choose what to sync', () => {
  it('lists the tables after the check, refuses none, and syncs exactly the two picked; the manage view changes it later', async () => {
    const w = await widgetHarness({ templates: templates({ streams: 'choose' }) });
    w.mount(<ConnectWidget />);
    await fillPostgres('right-secret');
    const picker = await screen.findByRole('form', { name: 'Choose what to sync' }, { timeout: 5000 });
    expect(within(picker).getByRole('status').textContent).toBe('3 of 3 selected');

    await userEvent.click(within(picker).getByRole('checkbox', { name: 'Select all' }));
    expect(within(picker).getByRole('status').textContent).toBe('0 of 3 selected');
    await userEvent.click(within(picker).getByRole('button', { name: 'Sync these tables' }));
    expect(within(picker).getByRole('alert').textContent).toBe('Choose at least one table to sync.');
    expect((await w.h.upstream('/connections')).data).toHaveLength(0);

    await userEvent.type(within(picker).getByRole('searchbox', { name: 'Search tables' }), 'order');
    expect(within(picker).queryByRole('checkbox', { name: 'public.customers' })).toBeNull();
    await userEvent.click(within(picker).getByRole('checkbox', { name: 'public.orders' }));
    await userEvent.clear(within(picker).getByRole('searchbox', { name: 'Search tables' }));
    await userEvent.click(within(picker).getByRole('checkbox', { name: 'public.customers' }));
    expect(within(picker).getByRole('status').textContent).toBe('2 of 3 selected');
    await userEvent.click(within(picker).getByRole('button', { name: 'Sync these tables' }));
    expect(await screen.findByRole('heading', { name: /Postgres is connected/ }, { timeout: 5000 })).toBeTruthy();
    const [connection] = (await w.h.upstream('/connections')).data as Array<{ connectionId: string; configurations: { streams: Array<{ name: string }> } }>;
    expect(connection!.configurations.streams.map((s) => s.name).sort()).toEqual(['customers', 'orders']);
    expect((await w.h.upstream('/sources')).data).toHaveLength(1);
    cleanup();

    // Later, in the manage view: "Tables (2)" opens the same chooser on what is synced now.
    w.mount(<SourceManager />);
    await userEvent.click(await screen.findByRole('button', { name: 'Tables (2)' }));
    const editor = await screen.findByRole('form', { name: 'Choose what to sync' });
    await waitFor(() => expect(within(editor).getByRole('status').textContent).toBe('2 of 3 selected'));
    await userEvent.click(within(editor).getByRole('checkbox', { name: 'public.order_items' }));
    await userEvent.click(within(editor).getByRole('button', { name: 'Save tables' }));
    // The chooser restarts from what Airbyte now has, and says so.
    expect(await screen.findByText('Saved. The next sync copies these tables.')).toBeTruthy();
    const after = (await w.h.upstream(`/connections/${connection!.connectionId}`)).configurations.streams.map((s: { name: string }) => s.name).sort();
    expect(after).toEqual(['customers', 'order_items', 'orders']);
  }, 30_000);
});
