import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectWidget } from '../../src/react/ConnectWidget.tsx';
import { HISTORY_STATE_KEY } from '../../src/react/viewHistory.ts';
import { freshEmbeddedStore } from '../fixtures/stores.ts';
import { widgetHarness, preloadWidgetChunks } from './widgetHarness.tsx';

beforeAll(() => Promise.all([freshEmbeddedStore(), preloadWidgetChunks()]), 60_000);
afterEach(async () => {
  cleanup();
  // Unmounting pops the widget's entries: let that traversal land before the next test.
  await new Promise((r) => setTimeout(r, 50));
});

/** The browser's Back or Forward, as the user presses it: resolves once the page got its popstate. */
async function browser(move: 'back' | 'forward') {
  const popped = new Promise((resolve) => window.addEventListener('popstate', resolve, { once: true }));
  await act(async () => {
    window.history[move]();
    await popped;
  });
}

/** `history` loads its code on demand: the flow says when it is on. */
const historyOn = () => waitFor(() => expect(document.querySelector('.aek-flow[data-history="on"]')).not.toBeNull());
const searchbox = () => screen.findByRole('searchbox', { name: 'Search connectors' });
const widgetMarks = () => (history.state as Record<string, unknown> | null)?.[HISTORY_STATE_KEY] as Record<string, number> | undefined;
/** How many entries deep into the widget's own the browser stands (one widget on the page). */
const depth = () => Math.max(0, ...Object.values(widgetMarks() ?? {}));

describe('ConnectWidget history', () => {
  it('leaves the browser’s history alone without `history`', async () => {
    const w = await widgetHarness();
    const before = history.length;
    w.mount(<ConnectWidget />);
    await userEvent.click(await screen.findByRole('button', { name: /Sample data \(Faker\)/ }));
    await screen.findByLabelText(/Count/);
    expect(history.length).toBe(before);
    expect(widgetMarks()).toBeUndefined();
  });

  it('walks back and forward between the catalog and the form, keeping the host’s history state', async () => {
    const w = await widgetHarness();
    // The host's router keeps its own state on the entry: every entry the widget adds carries it.
    history.replaceState({ idx: 7, usr: 'host' }, '');
    w.mount(<ConnectWidget history />);
    await historyOn();
    await userEvent.click(await screen.findByRole('button', { name: /Sample data \(Faker\)/ }));
    expect(await screen.findByRole('heading', { name: /Connect Sample data/ })).toBeTruthy();
    expect(depth()).toBe(1);
    expect(history.state).toMatchObject({ idx: 7, usr: 'host' });

    await browser('back');
    expect(await searchbox()).toBeTruthy();
    expect(screen.queryByRole('heading', { name: /Connect Sample data/ })).toBeNull();
    expect(history.state).toEqual({ idx: 7, usr: 'host' });

    await browser('forward');
    expect(await screen.findByRole('heading', { name: /Connect Sample data/ })).toBeTruthy();

    // The widget's own Back button goes back in the browser too, so no entry piles up.
    await userEvent.click(screen.getByRole('button', { name: /All connectors/ }));
    expect(await searchbox()).toBeTruthy();
    await waitFor(() => expect(history.state).toEqual({ idx: 7, usr: 'host' }));
  });

  it('asks before Back leaves a form with typed values; Stay keeps them and the form’s entry', async () => {
    const w = await widgetHarness();
    w.mount(<ConnectWidget history />);
    await historyOn();
    await userEvent.click(await screen.findByRole('button', { name: /Stripe/ }));
    await userEvent.type(await screen.findByLabelText(/Account ID/), 'acct_typed');
    // Text reaches the form after a short pause in typing (DeferredInput).
    await new Promise((r) => setTimeout(r, 300));
    const formEntry = history.state;

    await browser('back');
    const ask = await screen.findByRole('alertdialog', { name: 'Leave this form?' });
    await userEvent.click(within(ask).getByRole('button', { name: 'Stay' }));
    // The browser is put back on the form's entry, so the next Back asks again.
    await waitFor(() => expect(history.state).toEqual(formEntry));
    expect((screen.getByLabelText(/Account ID/) as HTMLInputElement).value).toBe('acct_typed');

    await browser('back');
    await userEvent.click(within(await screen.findByRole('alertdialog', { name: 'Leave this form?' })).getByRole('button', { name: 'Leave' }));
    expect(await searchbox()).toBeTruthy();
  });

  it('skips the spent form on Back after connecting', async () => {
    const w = await widgetHarness();
    w.h.clock.now = Date.now();
    w.mount(<ConnectWidget history />);
    await historyOn();
    await userEvent.click(await screen.findByRole('button', { name: /Sample data \(Faker\)/ }));
    await screen.findByLabelText(/Count/);
    await userEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByRole('heading', { name: /is connected/ })).toBeTruthy();
    await browser('back');
    expect(await searchbox()).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Connect' })).toBeNull();
  });

  it('walks into the manage view and back, and pops its entries when it unmounts', async () => {
    const w = await widgetHarness();
    history.replaceState({ host: true }, '');
    const view = w.mount(<ConnectWidget history />);
    await historyOn();
    await userEvent.click(await screen.findByRole('button', { name: 'Your data sources' }));
    expect(await screen.findByRole('heading', { name: 'Your data sources' })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Connect a source' }));
    expect(await searchbox()).toBeTruthy();
    expect(depth()).toBe(2);

    await browser('back');
    expect(await screen.findByRole('heading', { name: 'Your data sources' })).toBeTruthy();

    // The host removes the widget (a modal closed, a tab switched): its entries go with it, so the
    // host's next Back is the host's.
    const popped = new Promise((resolve) => window.addEventListener('popstate', resolve, { once: true }));
    view.unmount();
    await popped;
    expect(history.state).toEqual({ host: true });
  });

  it('gives the edit form an entry: Back asks (it cannot tell what was typed), Cancel takes the entry with it', async () => {
    const w = await widgetHarness();
    await w.onboard('faker', { count: 10 });
    w.mount(<ConnectWidget history initialView="manage" />);
    await historyOn();
    await userEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    expect(await screen.findByRole('heading', { name: /^Edit / })).toBeTruthy();
    expect(depth()).toBe(1);

    await browser('back');
    const ask = await screen.findByRole('alertdialog', { name: 'Leave this form?' });
    expect(within(ask).getByText('Changes you have not saved are lost.')).toBeTruthy();
    await userEvent.click(within(ask).getByRole('button', { name: 'Stay' }));
    await waitFor(() => expect(depth()).toBe(1));
    expect(screen.getByRole('heading', { name: /^Edit / })).toBeTruthy();

    await browser('back');
    await userEvent.click(within(await screen.findByRole('alertdialog', { name: 'Leave this form?' })).getByRole('button', { name: 'Leave' }));
    expect(await screen.findByRole('heading', { name: 'Your data sources' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: /^Edit / })).toBeNull();

    // Closed from inside (Cancel), the edit form's entry goes too: the next Back is the host's.
    await userEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    await waitFor(() => expect(depth()).toBe(1));
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(depth()).toBe(0));
    expect(await screen.findByRole('heading', { name: 'Your data sources' })).toBeTruthy();
  });

  it('stays on the connecting view when Back is pressed while a connect is under way', async () => {
    // Airbyte hangs on creating the connection: the connect stays under way.
    const w = await widgetHarness({ intercept: (r) => (r.method === 'POST' && new URL(r.url).pathname.endsWith('/connections') ? new Promise<Response>(() => undefined) : undefined) });
    const view = w.mount(<ConnectWidget history />);
    await historyOn();
    await userEvent.click(await screen.findByRole('button', { name: /Sample data \(Faker\)/ }));
    await screen.findByLabelText(/Count/);
    await userEvent.click(screen.getByRole('button', { name: 'Connect' }));
    const flow = view.container.querySelector('.aek-flow')!;
    await waitFor(() => expect(flow.getAttribute('data-view')).toBe('submitting'));

    await browser('back');
    await waitFor(() => expect(depth()).toBe(1));
    expect(flow.getAttribute('data-view')).toBe('submitting');
    expect(screen.queryByRole('searchbox', { name: 'Search connectors' })).toBeNull();
  });

  it('drops entries left by an earlier page (a reload deep in the widget), so Back is the host’s again', async () => {
    const w = await widgetHarness();
    history.replaceState({ host: 'page' }, '');
    // What a reload two views deep leaves: two entries marked by a widget that is gone.
    history.pushState({ host: 'page', [HISTORY_STATE_KEY]: { 'gone-widget': 1 } }, '');
    history.pushState({ host: 'page', [HISTORY_STATE_KEY]: { 'gone-widget': 2 } }, '');
    const popped = new Promise((resolve) => window.addEventListener('popstate', resolve, { once: true }));
    w.mount(<ConnectWidget history />);
    await historyOn();
    await popped;
    expect(history.state).toEqual({ host: 'page' });
    expect(await searchbox()).toBeTruthy();
  });
});
