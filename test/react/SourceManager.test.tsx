import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EmbedEvent } from '../../src/react/events.ts';
import { SourceManager } from '../../src/react/SourceManager.tsx';
import { freshEmbeddedStore } from '../fixtures/stores.ts';
import { widgetHarness, preloadWidgetChunks } from './widgetHarness.tsx';

// PGlite takes seconds to start, and the form's code (a lazy chunk, as in the browser) seconds to
// transform the first time: both once per file, outside any test's time budget.
beforeAll(() => Promise.all([freshEmbeddedStore(), preloadWidgetChunks()]), 60_000);
afterEach(cleanup);

const STRIPE_SECRET = 'sk_live_manage_canary_77';

async function setup() {
  const patches: Array<Record<string, unknown>> = [];
  const w = await widgetHarness({
    intercept: async (req) => {
      if (req.method === 'PATCH' && new URL(req.url).pathname.includes('/sources/')) patches.push((await req.json()) as Record<string, unknown>);
      return undefined;
    },
  });
  w.h.clock.now = Date.now();
  const stripe = await w.onboard('stripe', { account_id: 'acct_old', client_secret: STRIPE_SECRET });
  const faker = await w.onboard('faker', { count: 300 });
  const events: EmbedEvent[] = [];
  const onError = vi.fn();
  const bodies: string[] = [];
  const fetch = w.client['options'].fetch!;
  // Record what the browser would receive.
  w.client['options'].fetch = async (input, init) => {
    const res = await fetch(input, init);
    bodies.push(await res.clone().text());
    return res;
  };
  w.mount(<SourceManager onEvent={(e) => events.push(e)} onError={onError} />);
  const card = async (name: string) => (await screen.findByRole('heading', { name, level: 3 })).closest('li') as HTMLElement;
  return { ...w, stripe, faker, events, onError, bodies, card, patches };
}

describe('SourceManager', () => {
  it('lists every connected source with its state, last sync, schedule and next run', async () => {
    const w = await setup();
    const stripe = await w.card('Stripe');
    const faker = await w.card('Sample data (Faker)');
    expect(screen.getByText('2 data sources')).toBeTruthy();
    expect(within(stripe).getByText('Acme Analytics Lake (S3)')).toBeTruthy();
    expect(within(stripe).getByText('Every day at 02:15 UTC')).toBeTruthy();
    expect(within(stripe).getByText(/02:15 UTC \((in \d+ (seconds?|minutes?|hours?)|now)\)$/)).toBeTruthy();
    // The first syncs were just started.
    expect(within(stripe).getByText('Waiting to start')).toBeTruthy();
    expect(stripe.getAttribute('data-state')).toBe('running');
    w.h.clock.now += 20_000;
    await waitFor(() => expect(faker.getAttribute('data-state')).toBe('succeeded'), { timeout: 6000 });
    expect(within(faker).getAllByText(/^Synced$/)).toHaveLength(2); // the source's badge and its last sync
    expect(within(faker).getByText('300 rows · 56.1 kB')).toBeTruthy();
    expect(w.events[0]).toMatchObject({ type: 'open', view: 'manage' });
  }, 20_000);

  it('starts a sync with "Sync now", shows it running, and lists it in the sync history', async () => {
    const w = await setup();
    w.h.clock.now += 20_000; // first syncs done
    const faker = await w.card('Sample data (Faker)');
    await waitFor(() => expect(faker.getAttribute('data-state')).toBe('succeeded'), { timeout: 6000 });
    const syncNow = within(faker).getByRole('button', { name: 'Sync now' });
    await userEvent.click(syncNow);
    expect(await screen.findByText('A sync of Sample data (Faker) has started.')).toBeTruthy();
    await waitFor(() => expect(faker.getAttribute('data-state')).toBe('running'));
    // Still focusable, but refuses a second sync while one runs.
    const running = within(faker).getByRole('button', { name: 'Syncing' });
    expect(running.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(running);
    const started = w.events.find((e) => e.type === 'sync_started')!;
    expect(started).toMatchObject({ sourceId: w.faker.source.sourceId, connectionId: w.faker.connections[0]!.connection.connectionId });

    await userEvent.click(within(faker).getByRole('button', { name: 'Sync history' }));
    const table = await within(faker).findByRole('table', { name: 'Sync history of Sample data (Faker)' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByText(/Waiting to start|Syncing/)).toBeTruthy();
    expect(within(rows[1]!).getByText('Synced')).toBeTruthy();
    expect(within(rows[1]!).getByText('300')).toBeTruthy();
    expect(within(faker).getByRole('button', { name: 'Hide sync history' }).getAttribute('aria-expanded')).toBe('true');

    w.h.clock.now += 20_000;
    await waitFor(() => expect(w.events.find((e) => e.type === 'sync_finished')).toMatchObject({ jobId: started.jobId, status: 'succeeded' }), { timeout: 6000 });
  }, 20_000);

  it('edits a source with its secret masked: kept when untouched, the new value saved', async () => {
    const w = await setup();
    await userEvent.click(within(await w.card('Stripe')).getByRole('button', { name: 'Edit' }));
    expect(await screen.findByRole('heading', { name: 'Edit Stripe' })).toBeTruthy();
    const account = (await screen.findByLabelText(/Account ID/)) as HTMLInputElement;
    expect(account.value).toBe('acct_old');
    // The stored secret never reaches the browser: a masked "saved" field with Replace.
    expect((screen.getByLabelText(/Secret Key/) as HTMLInputElement).value).toBe('**********');
    expect(screen.getByRole('button', { name: 'Replace' })).toBeTruthy();
    expect(w.bodies.join('\n')).not.toContain(STRIPE_SECRET);

    await userEvent.clear(account);
    await userEvent.type(account, 'acct_new');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Your changes to Stripe are saved.')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Your data sources' })));
    // Airbyte got the mask for the untouched secret, which keeps its stored value, and the new account.
    expect(w.patches.at(-1)).toMatchObject({ configuration: { account_id: 'acct_new', client_secret: '**********', slice_range: 365 } });
    expect(w.events.find((e) => e.type === 'source_updated')).toMatchObject({ sourceId: w.stripe.source.sourceId });
    expect(JSON.stringify(w.events)).not.toContain(STRIPE_SECRET);
  });

  it('keeps the edited values and says what to fix when saving fails', async () => {
    const w = await setup();
    await userEvent.click(within(await w.card('Sample data (Faker)')).getByRole('button', { name: 'Edit' }));
    const count = await screen.findByLabelText(/Count/);
    await userEvent.clear(count);
    await userEvent.type(count, '0');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('must be at least 1')).toBeTruthy();
    expect((screen.getByLabelText(/Count/) as HTMLInputElement).value).toBe('0');
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(await screen.findByRole('heading', { name: 'Your data sources' })).toBeTruthy();
  });

  it('deletes a source only after confirmation, with focus kept sensible', async () => {
    const w = await setup();
    const deleteButton = within(await w.card('Stripe')).getByRole('button', { name: 'Delete' });
    await userEvent.click(deleteButton);
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete Stripe?' });
    expect(within(dialog).getByText(/syncs stop/)).toBeTruthy();
    // The safe choice has focus.
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(deleteButton);
    expect((await w.h.upstream('/sources')).data).toHaveLength(2);

    await userEvent.click(deleteButton);
    await userEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Delete source' }));
    expect(await screen.findByText('Stripe was deleted.')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Stripe', level: 3 })).toBeNull();
    expect(screen.getByText('1 data source')).toBeTruthy();
    expect((await w.h.upstream('/sources')).data.map((s: { name: string }) => s.name)).toEqual(['Sample data (Faker)']);
    expect((await w.h.upstream('/connections')).data).toHaveLength(1);
    expect(w.events.find((e) => e.type === 'source_deleted')).toMatchObject({ sourceId: w.stripe.source.sourceId });
  });

  it('says so when there is no source', async () => {
    const w = await widgetHarness();
    w.mount(<SourceManager />);
    expect(await screen.findByText('You have not connected any data source yet.')).toBeTruthy();
  });

  it('shows a load failure with a retry and reports it to the host', async () => {
    let down = true;
    const w = await widgetHarness({ intercept: () => (down ? Response.json({ title: 'unexpected-problem', status: 500 }, { status: 500 }) : undefined) });
    await w.h.store.setWorkspaceId('customer-a', 'ws-1');
    await w.h.store.recordSource({ sourceId: 's1', customerId: 'customer-a', templateId: 'faker', name: 'Faker', connectionIds: ['c1'], destinationNames: {}, createdAt: 1 });
    const onError = vi.fn();
    w.mount(<SourceManager onError={onError} />);
    const alert = await screen.findByRole('alert', {}, { timeout: 5000 });
    expect(alert.textContent).toContain('The data service is not responding right now.');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'upstream_unavailable' }), expect.objectContaining({ view: 'manage' }));
    down = false;
    await w.h.store.deleteSource('s1');
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('You have not connected any data source yet.')).toBeTruthy();
  });
});
