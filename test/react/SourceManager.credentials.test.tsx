/**
 * Broken credentials in the manage view, end to end in process: the emulator fails a sync with a
 * config error → its workspace notification reaches the proxy, which marks the source → the card
 * says so and offers the fix (Reconnect for a sign-in, Edit for a form) → after it, the card is
 * back to a plain failed sync.
 */
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SourceManager } from '../../src/react/SourceManager.tsx';
import { allowConsent, hubspotConnector, hubspotOAuthConfig, templatesWithHubspot } from '../fixtures/hubspotOAuth.ts';
import { freshEmbeddedStore } from '../fixtures/stores.ts';
import { ORIGIN } from '../server/harness.ts';
import { preloadWidgetChunks, widgetHarness } from './widgetHarness.tsx';

beforeAll(() => Promise.all([freshEmbeddedStore(), preloadWidgetChunks(), import('../../src/react/oauth/ReconnectButton.tsx')]), 60_000);
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** An element whose whole text is `text` (names inside it sit in their own `<bdi>`). */
const sentence = (text: string) => (_: string, el: Element | null) => el?.tagName === 'P' && el.textContent === text;

const CONFIG_ERROR = { failureOrigin: 'source', failureType: 'config_error', externalMessage: 'Invalid API key provided' } as const;

/** A widget whose proxy hears the emulator's notifications (sent when the test flushes them). */
async function setup() {
  const ref: { proxy?: (r: Request) => Promise<Response> } = {};
  const w = await widgetHarness({
    templates: templatesWithHubspot,
    emulator: { connectors: [hubspotConnector], oauthRedirectOrigins: [ORIGIN], notifications: { tickMs: 0, fetch: async (input, init) => ref.proxy!(new Request(input, init)) } },
    proxy: { configApi: true, webhooks: { worker: false, publicUrl: ORIGIN } },
  });
  ref.proxy = w.h.proxy;
  w.h.clock.now = Date.now();
  /** The first syncs end (failing as the emulator's faults say) and Airbyte's notifications reach the proxy. */
  const finishSyncs = async () => {
    w.h.clock.now += 11_000;
    await w.h.emulator.notifications.flush();
  };
  const card = async (name: string) => (await screen.findByRole('heading', { name, level: 3 })).closest('li') as HTMLElement;
  return { ...w, finishSyncs, card };
}

/**
 * The sign-in window as a browser runs it: the widget opens a blank popup and sends it to the
 * consent URL; "the customer" clicks Allow there, and the proxy's callback page posts its outcome
 * to the widget from the proxy's origin.
 */
function fakePopup(w: Awaited<ReturnType<typeof setup>>) {
  const popup = {
    closed: false,
    document: { title: '', body: { textContent: '' } },
    close() {
      popup.closed = true;
    },
    location: {
      set href(consentUrl: string) {
        void allowConsent(w.h.emulator.handle, w.h.proxy, consentUrl).then((outcome) => window.dispatchEvent(new MessageEvent('message', { data: outcome, origin: ORIGIN })));
      },
    },
  };
  vi.spyOn(window, 'open').mockImplementation(() => popup as unknown as Window);
  return popup;
}

describe('SourceManager: broken credentials', () => {
  it('a form source whose key Airbyte refused says so, offers Edit, and is back to normal after new details are saved', async () => {
    const w = await setup();
    w.h.emulator.faults.failJobs({ times: 1, failure: CONFIG_ERROR });
    await w.onboard('stripe', { account_id: 'acct_1', client_secret: 'sk_live_revoked' });
    await w.finishSyncs();
    w.mount(<SourceManager />);
    const stripe = await w.card('Stripe');
    expect(stripe.getAttribute('data-state')).toBe('credentials_broken');
    expect(within(stripe).getByText('Details need attention')).toBeTruthy();
    const hint = within(stripe).getByText(sentence('Airbyte could not sign in to Stripe with the saved details. Edit the details to fix them.'));
    const actions = within(stripe).getByRole('group', { name: 'Actions for Stripe' });
    expect(actions.getAttribute('aria-describedby')).toBe(hint.id);
    const edit = within(actions).getByRole('button', { name: 'Edit' });
    expect(edit.className).toContain('aek-button--primary');
    expect(within(stripe).queryByRole('button', { name: 'Reconnect' })).toBeNull();

    await userEvent.click(edit);
    expect(await screen.findByRole('heading', { name: 'Edit Stripe' })).toBeTruthy();
    await userEvent.click(await screen.findByRole('button', { name: 'Replace' }));
    await userEvent.type(screen.getByLabelText(/Secret Key/), 'sk_live_new_key');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Your changes to Stripe are saved.')).toBeTruthy();
    const fixed = await w.card('Stripe');
    // Its last sync still failed (that is true), but nothing says the details are wrong any more.
    await waitFor(() => expect(fixed.getAttribute('data-state')).toBe('failed'));
    expect(within(fixed).queryByText(/Airbyte could not sign in/)).toBeNull();
    expect(within(fixed).getByRole('button', { name: 'Edit' }).className).not.toContain('aek-button--primary');
  }, 30_000);

  it('a sign-in source whose sign-in broke offers Reconnect first; signing in again clears it', async () => {
    const w = await setup();
    w.h.emulator.faults.failJobs({ times: 1, failure: CONFIG_ERROR });
    const start = await w.h.call('POST', '/oauth/start', { body: { templateId: 'hubspot', inputs: {} } });
    expect(start.status, start.text).toBe(200);
    const { grantId } = await allowConsent(w.h.emulator.handle, w.h.proxy, start.json.consentUrl);
    expect((await w.h.call('POST', '/sources', { body: { templateId: 'hubspot', config: hubspotOAuthConfig, oauth: { grantId } } })).status).toBe(201);
    await w.onboard('faker', { count: 10 });
    await w.finishSyncs();
    w.mount(<SourceManager />);
    const hubspot = await w.card('HubSpot');
    expect(hubspot.getAttribute('data-state')).toBe('credentials_broken');
    expect(within(hubspot).getByText('Sign-in needs attention')).toBeTruthy();
    expect(within(hubspot).getByText(sentence('Airbyte could not sign in to HubSpot with the saved details. Reconnect to sign in again.'))).toBeTruthy();
    const reconnect = await within(hubspot).findByRole('button', { name: 'Reconnect' });
    expect(reconnect.className).toContain('aek-button--primary');
    expect(within(hubspot).getByRole('button', { name: 'Edit' }).className).not.toContain('aek-button--primary');
    // The other source synced fine: nothing about credentials there.
    expect((await w.card('Sample data (Faker)')).getAttribute('data-state')).toBe('succeeded');

    fakePopup(w);
    await userEvent.click(reconnect);
    expect(await within(hubspot).findByText('Reconnected. The next sync uses the new sign-in.')).toBeTruthy();
    await waitFor(() => expect(hubspot.getAttribute('data-state')).toBe('failed'));
    expect(within(hubspot).queryByText(/Airbyte could not sign in/)).toBeNull();
    expect(within(hubspot).queryByText('Sign-in needs attention')).toBeNull();
  }, 30_000);
});
