/**
 * Form drafts: what a customer typed survives a reload (and the sign-in's redirect), never a
 * secret, and is gone once the source is connected.
 */
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectWidget } from '../../../src/react/ConnectWidget.tsx';
import { freshEmbeddedStore } from '../../fixtures/stores.ts';
import { widgetHarness } from '../widgetHarness.tsx';

beforeAll(() => Promise.all([freshEmbeddedStore(), import('../../../src/react/form/SourceForm.tsx')]), 60_000);
afterEach(cleanup);

describe('form drafts', () => {
  it('restores the non-secret values after a reload, keeps no secret in storage, and clears the draft once connected', async () => {
    const w = await widgetHarness();
    w.mount(<ConnectWidget />);
    await userEvent.click(await screen.findByRole('button', { name: /Stripe/ }));
    await userEvent.type(await screen.findByLabelText(/Account ID/), 'acct_draft_1');
    await userEvent.type(screen.getByLabelText(/Secret Key/), 'sk_live_never_stored');
    await waitFor(() => expect(Object.keys(sessionStorage).some((k) => k.startsWith('aek-draft:'))).toBe(true), { timeout: 3000 });
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
});
