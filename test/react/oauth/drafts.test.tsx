/**
 * Form drafts: what a customer typed survives a reload (and the sign-in's redirect), never a
 * secret, and is gone once the source is connected.
 */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConnectWidget } from '../../../src/react/ConnectWidget.tsx';
import { freshEmbeddedStore } from '../../fixtures/stores.ts';
import { widgetHarness, preloadWidgetChunks } from '../widgetHarness.tsx';

beforeAll(() => Promise.all([freshEmbeddedStore(), preloadWidgetChunks()]), 60_000);
afterEach(cleanup);

describe('form drafts', () => {
  it('restores the non-secret values after a reload, keeps no secret in storage, and clears the draft once connected', async () => {
    const w = await widgetHarness();
    w.mount(<ConnectWidget />);
    await userEvent.click(await screen.findByRole('button', { name: /Stripe/ }));
    await userEvent.type(await screen.findByLabelText(/Account ID/), 'acct_draft_1');
    await userEvent.type(screen.getByLabelText(/Secret Key/), 'sk_live_never_stored');
    // Saved a moment after typing stops (and the typed text reached the form): wait for that save.
    await waitFor(() => expect(JSON.stringify(Object.values(sessionStorage))).toContain('acct_draft_1'), { timeout: 5000 });
    expect(JSON.stringify(Object.values(sessionStorage))).not.toContain('sk_live_never_stored');
    cleanup();

    // "Reload": a new widget in the same tab.
    w.mount(<ConnectWidget />);
    await userEvent.click(await screen.findByRole('button', { name: /Stripe/ }));
    expect(((await screen.findByLabelText(/Account ID/)) as HTMLInputElement).value).toBe('acct_draft_1');
    expect((screen.getByLabelText(/Secret Key/) as HTMLInputElement).value).toBe('');
    await userEvent.type(screen.getByLabelText(/Secret Key/), 'sk_test_2');
    await userEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByRole('heading', { name: /Stripe is connected/ }, { timeout: 8000 })).toBeTruthy();
    expect(Object.keys(sessionStorage).filter((k) => k.startsWith('aek-draft:'))).toEqual([]);
  }, 30_000);

  it('asks before leaving a form with typed values (Back, or Escape in the dialog), and not before leaving an untouched one', async () => {
    const w = await widgetHarness();
    const onExit = vi.fn();
    w.mount(<ConnectWidget modal open onExit={onExit} />);
    const dialog = await screen.findByRole('dialog', { name: 'Connect a data source' });
    await userEvent.click(await within(dialog).findByRole('button', { name: /Stripe/ }));
    await screen.findByLabelText(/Account ID/);
    // Untouched: straight back.
    await userEvent.click(screen.getByRole('button', { name: /All connectors/ }));
    await userEvent.click(await screen.findByRole('button', { name: /Stripe/ }));
    await userEvent.type(await screen.findByLabelText(/Account ID/), 'acct_typed');
    // Text reaches the form after a short pause in typing (DeferredInput).
    await new Promise((r) => setTimeout(r, 300));

    await userEvent.click(screen.getByRole('button', { name: /All connectors/ }));
    const ask = await screen.findByRole('alertdialog', { name: 'Leave this form?' });
    await userEvent.click(within(ask).getByRole('button', { name: 'Stay' }));
    expect((screen.getByLabelText(/Account ID/) as HTMLInputElement).value).toBe('acct_typed');

    fireEvent(screen.getByRole('dialog', { name: /Connect Stripe/ }), new Event('cancel', { cancelable: true }));
    const again = await screen.findByRole('alertdialog', { name: 'Leave this form?' });
    expect(onExit).not.toHaveBeenCalled();
    await userEvent.click(within(again).getByRole('button', { name: 'Leave' }));
    expect(onExit).toHaveBeenCalledWith(expect.objectContaining({ reason: 'escape' }));
  }, 30_000);
});
