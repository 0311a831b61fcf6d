import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ProxyClient } from '../../src/client/proxyClient.ts';
import { AirbyteEmbedProvider } from '../../src/react/EmbedProvider.tsx';
import { ConnectWidget } from '../../src/react/ConnectWidget.tsx';
import type { EmbedEvent } from '../../src/react/events.ts';
import { de } from '../../src/shared/i18n/de.ts';
import { freshEmbeddedStore } from '../fixtures/stores.ts';
import { harness, ORIGIN } from '../server/harness.ts';
import { widgetHarness, preloadWidgetChunks } from './widgetHarness.tsx';

// PGlite takes seconds to start, and the form's code (a lazy chunk, as in the browser) seconds to
// transform the first time: both once per file, outside any test's time budget.
beforeAll(() => Promise.all([freshEmbeddedStore(), preloadWidgetChunks()]), 60_000);
afterEach(cleanup);

async function setup(options: Parameters<typeof widgetHarness>[0] = {}) {
  const w = await widgetHarness(options);
  // Next runs are computed by the proxy's clock and shown against the browser's: keep them together.
  w.h.clock.now = Date.now();
  const onSuccess = vi.fn();
  const onError = vi.fn();
  const onExit = vi.fn();
  const events: EmbedEvent[] = [];
  const onEvent = (e: EmbedEvent) => events.push(e);
  return { ...w, onSuccess, onError, onExit, events, onEvent };
}

const connectButton = () => screen.getByRole('button', { name: 'Connect' });

describe('ConnectWidget: onboarding', () => {
  it('goes catalog → form with a plain summary (destination, schedule in words, next run) → connected with live first-sync progress', async () => {
    const w = await setup();
    w.mount(<ConnectWidget onSuccess={w.onSuccess} onEvent={w.onEvent} />);
    await userEvent.click(await screen.findByRole('button', { name: /Sample data \(Faker\)/ }));
    expect(((await screen.findByLabelText(/Count/)) as HTMLInputElement).value).toBe('5000');

    const plan = screen.getByRole('region', { name: 'What happens when you connect' });
    expect(within(plan).getByText('Acme Analytics Lake (S3)')).toBeTruthy();
    expect(within(plan).getByText('Every day at 02:15 UTC')).toBeTruthy();
    expect(within(plan).getByText(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [A-Z][a-z]{2} \d{1,2}, 02:15 UTC \((in \d+ (seconds?|minutes?|hours?)|now)\)$/)).toBeTruthy();
    expect(within(plan).getByText('Starts right after you connect')).toBeTruthy();

    await userEvent.click(connectButton());
    expect(await screen.findByRole('heading', { name: /Sample data \(Faker\) is connected/ })).toBeTruthy();
    const connection = screen.getByRole('region', { name: /Connection Sample data \(Faker\) -> Acme Analytics Lake/ });
    expect(within(connection).getByText('Every day at 02:15 UTC')).toBeTruthy();
    // The status is announced; the counts beside it change every poll and are not.
    const job = () => connection.querySelector('.aek-job')!.textContent;
    expect(within(connection).getByRole('status').textContent).toBe('Waiting to start');

    // The first sync progresses without a reload: rows and bytes so far, then done.
    w.h.clock.now += 5000;
    await waitFor(() => expect(job()).toMatch(/^Syncing \d[\d,]* rows · [\d.]+ kB$/), { timeout: 5000 });
    expect(within(connection).getByRole('status').textContent).toBe('Syncing');
    w.h.clock.now += 6000;
    await waitFor(() => expect(job()).toBe('Synced 5,000 rows · 935 kB'), { timeout: 5000 });
    await waitFor(() => expect(w.events.map((e) => e.type)).toContain('sync_finished'));

    expect(w.onSuccess).toHaveBeenCalledTimes(1);
    expect((await w.h.upstream('/sources')).data).toHaveLength(1);
  }, 20_000);

  it('shows the onboarding steps from the proxy while connecting', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const w = await setup({
      intercept: async (req) => {
        if (req.method === 'POST' && new URL(req.url).pathname.endsWith('/connections')) await gate;
        return undefined;
      },
    });
    w.mount(<ConnectWidget onEvent={w.onEvent} />);
    await userEvent.click(await screen.findByRole('button', { name: /Sample data \(Faker\)/ }));
    await userEvent.click(await screen.findByRole('button', { name: 'Connect' }));

    const progress = await screen.findByRole('region', { name: 'Connecting Sample data (Faker)' });
    const state = (step: string) => progress.querySelector(`[data-step="${step}"]`)?.getAttribute('data-state');
    // The saga records each step; the widget polls them while the create call runs.
    await waitFor(() => expect(state('connection')).toBe('active'), { timeout: 5000 });
    expect([state('workspace'), state('source'), state('destination'), state('sync')]).toEqual(['done', 'done', 'done', 'pending']);
    expect(within(progress).getByRole('status').textContent).toBe('Creating the connection');
    // Busy but still focusable (a disabled button would drop keyboard focus to the page).
    expect(screen.getByRole('button', { name: 'Connecting…' }).getAttribute('aria-disabled')).toBe('true');
    expect(document.querySelector('.aek-flow')?.getAttribute('data-view')).toBe('submitting');
    release();
    expect(await screen.findByRole('heading', { name: /is connected/ })).toBeTruthy();
  });

  it('shows a clear error with the form and its values after a failed submit, and the retry creates one source', async () => {
    let failed = false;
    const w = await setup({
      intercept: (req) => {
        if (!failed && req.method === 'POST' && new URL(req.url).pathname.endsWith('/connections')) {
          failed = true;
          return Response.json({ title: 'unexpected-problem', status: 500 }, { status: 500 });
        }
        return undefined;
      },
    });
    w.mount(<ConnectWidget onSuccess={w.onSuccess} onError={w.onError} onEvent={w.onEvent} />);
    await userEvent.click(await screen.findByRole('button', { name: /Sample data \(Faker\)/ }));
    const count = await screen.findByLabelText(/Count/);
    await userEvent.clear(count);
    await userEvent.type(count, '250');
    await userEvent.click(connectButton());
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The data service is not responding right now. Your details are kept; try again in a moment.');
    await waitFor(() => expect(document.activeElement).toBe(alert));
    expect(alert.textContent).toMatch(/Reference: [\w-]+/);
    expect((screen.getByLabelText(/Count/) as HTMLInputElement).value).toBe('250');
    expect(w.onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'upstream_unavailable' }), expect.objectContaining({ view: expect.any(String) }));
    expect(w.events.find((e) => e.type === 'submit_error')).toMatchObject({ errorCode: 'upstream_unavailable', templateId: 'faker' });

    await userEvent.click(connectButton());
    expect(await screen.findByRole('heading', { name: /is connected/ })).toBeTruthy();
    expect((await w.h.upstream('/sources')).data).toHaveLength(1);
    expect((await w.h.upstream('/connections')).data).toHaveLength(1);
    expect(w.onSuccess).toHaveBeenCalledTimes(1);
  });

  it('shows the server’s field errors next to the field and keeps what the user typed', async () => {
    const w = await setup();
    w.mount(<ConnectWidget />);
    await userEvent.click(await screen.findByRole('button', { name: /Sample data \(Faker\)/ }));
    const count = await screen.findByLabelText(/Count/);
    await userEvent.clear(count);
    await userEvent.type(count, '0');
    await userEvent.click(connectButton());
    expect(await screen.findByText('must be at least 1')).toBeTruthy();
    expect((screen.getByLabelText(/Count/) as HTMLInputElement).value).toBe('0');
  });

  it('fires onSuccess and source_created exactly once for a double click under StrictMode', async () => {
    const w = await setup();
    w.mount(<ConnectWidget onSuccess={w.onSuccess} onEvent={w.onEvent} />);
    await userEvent.click(await screen.findByRole('button', { name: /Sample data \(Faker\)/ }));
    await screen.findByLabelText(/Count/);
    await userEvent.dblClick(connectButton());
    expect(await screen.findByRole('heading', { name: /is connected/ })).toBeTruthy();
    await new Promise((r) => setTimeout(r, 200));
    expect(w.onSuccess).toHaveBeenCalledTimes(1);
    expect(w.events.filter((e) => e.type === 'source_created')).toHaveLength(1);
    expect(w.events.filter((e) => e.type === 'open')).toHaveLength(1);
    expect((await w.h.upstream('/sources')).data).toHaveLength(1);
  });

  it('reports every step as an event with one session id, unique event ids and no form values', async () => {
    const w = await setup();
    w.mount(<ConnectWidget onEvent={w.onEvent} />);
    await userEvent.click(await screen.findByRole('button', { name: /Stripe/ }));
    await userEvent.type(await screen.findByLabelText(/Account ID/), 'acct_events');
    await userEvent.type(screen.getByLabelText(/Secret Key/), 'sk_live_event_canary');
    await userEvent.click(connectButton());
    await screen.findByRole('heading', { name: /Stripe is connected/ });
    // The "submitting" view is reported when the answer takes long enough to show it.
    await waitFor(() => expect(w.events.at(-1)).toMatchObject({ type: 'view', view: 'success' }));
    const steps = w.events.filter((e) => !(e.type === 'view' && e.view === 'submitting'));
    // The first sync the template starts on create is reported as started, with its job.
    expect(steps.map((e) => e.type)).toEqual(['open', 'template_selected', 'view', 'submit', 'source_created', 'sync_started', 'view']);
    expect(steps.map((e) => e.view)).toEqual(['catalog', 'catalog', 'configure', 'configure', expect.stringMatching(/configure|submitting/), expect.stringMatching(/configure|submitting/), 'success']);
    const created = steps.find((e) => e.type === 'source_created')!;
    expect(steps.find((e) => e.type === 'sync_started')).toMatchObject({ sourceId: created.sourceId, connectionId: created.connectionId, jobId: expect.any(Number) });
    expect(new Set(w.events.map((e) => e.sessionId)).size).toBe(1);
    expect(new Set(w.events.map((e) => e.eventId)).size).toBe(w.events.length);
    expect(w.events.every((e) => !Number.isNaN(Date.parse(e.timestamp)))).toBe(true);
    expect(JSON.stringify(w.events)).not.toMatch(/sk_live_event_canary|acct_events/);
  });
});

describe('ConnectWidget: catalog', () => {
  it('filters tiles as you type (case and accents ignored) and shows an empty state with a way back', async () => {
    const w = await setup();
    w.mount(<ConnectWidget onEvent={w.onEvent} />);
    const search = await screen.findByRole('searchbox', { name: 'Search connectors' });
    await userEvent.type(search, 'STRÎPE');
    expect(screen.getAllByRole('button', { name: /Stripe|Faker/ }).map((b) => b.textContent)).toEqual(['SStripe']);
    expect(screen.getByText('1 connector')).toBeTruthy();
    await userEvent.clear(search);
    await userEvent.type(search, 'hubspot');
    expect(screen.getByText('No connector matches “hubspot”.')).toBeTruthy();
    // The event says how the search went, never what was typed (people paste keys into search boxes).
    await waitFor(() => expect(w.events.find((e) => e.type === 'search')).toMatchObject({ queryLength: 7, resultCount: 0 }), { timeout: 2000 });
    expect(JSON.stringify(w.events)).not.toContain('hubspot');
    await userEvent.click(screen.getByRole('button', { name: 'Clear search' }));
    expect(screen.getAllByRole('button', { name: /Stripe|Faker/ })).toHaveLength(2);
    expect(document.activeElement).toBe(search);
  });

  it('moves between tiles with the arrow keys as one tab stop, and Enter picks', async () => {
    const w = await setup();
    w.mount(<ConnectWidget />);
    const search = await screen.findByRole('searchbox', { name: 'Search connectors' });
    const [faker, stripe] = screen.getAllByRole('button', { name: /Stripe|Faker/ });
    expect([faker!.tabIndex, stripe!.tabIndex]).toEqual([0, -1]);
    search.focus();
    await userEvent.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(faker);
    await userEvent.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(stripe);
    expect([faker!.tabIndex, stripe!.tabIndex]).toEqual([-1, 0]);
    await userEvent.keyboard('{Home}');
    expect(document.activeElement).toBe(faker);
    await userEvent.keyboard('{End}{Enter}');
    expect(await screen.findByRole('heading', { name: 'Connect Stripe' })).toBeTruthy();
    // The new view's heading takes focus, so keyboard and screen-reader users land on it.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Connect Stripe' })));
  });

  it('says so when no connector is available', async () => {
    const w = await setup({ templates: { sources: [], connections: [] } });
    w.mount(<ConnectWidget />);
    expect(await screen.findByText('No connectors are available yet.')).toBeTruthy();
  });
});

describe('ConnectWidget: session, modal and page', () => {
  it('asks the host for a new session token when the proxy says it expired, without showing an error', async () => {
    const h = await harness();
    const getSessionToken = vi.fn(({ refresh }: { refresh: boolean }) => (refresh ? h.token() : h.token('customer-a', ORIGIN, -5)));
    const client = new ProxyClient({
      baseUrl: `${ORIGIN}/api/embed`,
      getSessionToken,
      fetch: async (input, init) => h.proxy(new Request(input, { ...init, headers: { ...(init?.headers as object), origin: ORIGIN } })),
    });
    render(
      <AirbyteEmbedProvider client={client}>
        <ConnectWidget />
      </AirbyteEmbedProvider>,
    );
    expect(await screen.findByRole('button', { name: /Stripe/ })).toBeTruthy();
    expect(getSessionToken.mock.calls.map(([o]) => o.refresh)).toEqual([false, true]);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('as a modal: calls onExit on Escape and on the close button, and each opening is a new session', async () => {
    const w = await setup();
    const ui = (open: boolean) => <ConnectWidget modal open={open} onExit={w.onExit} onEvent={w.onEvent} />;
    const view = w.mount(ui(true));
    const dialog = await screen.findByRole('dialog', { name: 'Connect a data source' });
    await screen.findByRole('button', { name: /Stripe/ });
    fireEvent(dialog, new Event('cancel', { cancelable: true }));
    expect(w.onExit).toHaveBeenLastCalledWith(expect.objectContaining({ reason: 'escape', view: 'catalog' }));
    const first = w.events[0]!.sessionId;

    view.rerender(ui(false));
    expect(screen.queryByRole('dialog')).toBeNull();
    view.rerender(ui(true));
    await userEvent.click(await screen.findByRole('button', { name: 'Close' }));
    expect(w.onExit).toHaveBeenLastCalledWith(expect.objectContaining({ reason: 'close' }));
    const opens = w.events.filter((e) => e.type === 'open');
    expect(opens).toHaveLength(2);
    expect(opens[1]!.sessionId).not.toBe(first);
    expect(w.events.filter((e) => e.type === 'exit').map((e) => e.reason)).toEqual(['escape', 'close']);
  });

  it('offers "Done" after connecting when the host handles exits', async () => {
    const w = await setup();
    w.mount(<ConnectWidget onExit={w.onExit} />);
    await userEvent.click(await screen.findByRole('button', { name: /Sample data \(Faker\)/ }));
    await screen.findByLabelText(/Count/);
    await userEvent.click(connectButton());
    await userEvent.click(await screen.findByRole('button', { name: 'Done' }));
    expect(w.onExit).toHaveBeenCalledWith(expect.objectContaining({ reason: 'done', view: 'success' }));
  });

  it('keeps two widgets on one page apart: own state, own sessions, no shared element ids', async () => {
    const w = await setup();
    const events: EmbedEvent[] = [];
    w.mount(
      <>
        <ConnectWidget onEvent={(e) => events.push(e)} className="first" />
        <ConnectWidget onEvent={(e) => events.push(e)} className="second" />
      </>,
    );
    const [first, second] = [document.querySelector<HTMLElement>('.first')!, document.querySelector<HTMLElement>('.second')!];
    await userEvent.click(await within(first).findByRole('button', { name: /Stripe/ }));
    await within(first).findByLabelText(/Account ID/);
    expect(within(second).getByRole('searchbox')).toBeTruthy();
    expect(within(second).queryByLabelText(/Account ID/)).toBeNull();
    await userEvent.click(await within(second).findByRole('button', { name: /Stripe/ }));
    await within(second).findByLabelText(/Account ID/);
    const ids = [...document.querySelectorAll('[id]')].map((el) => el.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(new Set(events.filter((e) => e.type === 'open').map((e) => e.sessionId)).size).toBe(2);
  });
});

describe('ConnectWidget: look and language', () => {
  it('speaks German with locale="de": catalog, form, plan and validation', async () => {
    const w = await setup();
    w.mount(<ConnectWidget locale="de-DE" />);
    // The German catalog loads as its own chunk on first use.
    expect(await screen.findByRole('heading', { name: de['catalog.title'] }, { timeout: 5000 })).toBeTruthy();
    expect(await screen.findByRole('searchbox', { name: de['catalog.search'] })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: /Stripe/ }));
    expect(await screen.findByRole('heading', { name: de['configure.title'].replace('{name}', 'Stripe') })).toBeTruthy();
    expect(await screen.findByText(de['schedule.daily'].replace('{time}', '02:15'), {}, { timeout: 5000 })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: de['configure.submit'] }));
    expect((await screen.findAllByText(de['validation.required'])).length).toBe(2);
    expect(document.querySelector('.aek-root')?.getAttribute('lang')).toBe('de-DE');
  });

  it('lays out right to left in Arabic and takes any message from the host', async () => {
    const w = await setup();
    w.mount(<ConnectWidget locale="ar" messages={{ 'catalog.title': 'اربط مصدر بياناتك', 'catalog.search': 'ابحث' }} theme="dark" />);
    expect(await screen.findByRole('heading', { name: 'اربط مصدر بياناتك' }, { timeout: 5000 })).toBeTruthy();
    expect(await screen.findByRole('searchbox', { name: 'ابحث' })).toBeTruthy();
    const root = document.querySelector('.aek-root')!;
    expect([root.getAttribute('dir'), root.getAttribute('data-theme'), root.getAttribute('lang')]).toEqual(['rtl', 'dark', 'ar']);
  });

  it('overrides any English message from the host dictionary', async () => {
    const w = await setup();
    w.mount(<ConnectWidget messages={{ 'catalog.title': 'Plug in your tools', 'catalog.count': { one: 'One tool', other: '{count} tools' } }} />);
    expect(await screen.findByRole('heading', { name: 'Plug in your tools' })).toBeTruthy();
    await userEvent.type(await screen.findByRole('searchbox'), 'e');
    expect(screen.getByText('2 tools')).toBeTruthy();
  });

  it('says the page is English when the language asked for is not shipped and the host gave no full catalog', async () => {
    const w = await setup();
    w.mount(<ConnectWidget locale="pt-BR" />);
    await screen.findByRole('button', { name: /Stripe/ });
    const root = document.querySelector('.aek-root')!;
    expect([root.getAttribute('lang'), root.getAttribute('dir')]).toEqual(['en', 'ltr']);
    expect(screen.getByRole('heading', { name: 'Connect a data source' })).toBeTruthy();
  });

  it('takes the theme and language defaults from the provider', async () => {
    const w = await setup();
    w.mount(<ConnectWidget />, { locale: 'fr', theme: 'system' });
    await screen.findByRole('button', { name: /Stripe/ }, { timeout: 5000 });
    const root = document.querySelector('.aek-root')!;
    expect([root.getAttribute('lang'), root.getAttribute('data-theme')]).toEqual(['fr', 'system']);
  });
});

describe('ConnectWidget: manage view', () => {
  it('opens on the manage view and goes to the catalog from it', async () => {
    const w = await setup();
    await w.onboard('faker', { count: 10 });
    w.mount(<ConnectWidget initialView="manage" onEvent={w.onEvent} />);
    expect(await screen.findByRole('heading', { name: 'Sample data (Faker)', level: 3 })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Connect a source' }));
    expect(await screen.findByRole('searchbox', { name: 'Search connectors' })).toBeTruthy();
    await act(async () => undefined);
    expect(w.events.filter((e) => e.type === 'view').map((e) => e.view)).toEqual(['catalog']);
  });
});

describe('ConnectWidget: one query cache, two customers', () => {
  it('never shows one client’s data in a widget of another client', async () => {
    const a = await setup();
    await a.onboard('faker', { count: 3 });
    // A second customer, through its own client, on the same provider (and query cache).
    const token = await a.h.token('customer-b');
    const other = new ProxyClient({
      baseUrl: `${ORIGIN}/api/embed`,
      getSessionToken: () => token,
      fetch: async (input, init) => a.h.proxy(new Request(input, { ...init, headers: { ...(init?.headers as object), origin: ORIGIN } })),
    });
    a.mount(
      <>
        <ConnectWidget initialView="manage" className="mine" />
        <ConnectWidget initialView="manage" client={other} className="theirs" />
      </>,
    );
    const mine = document.querySelector<HTMLElement>('.mine')!;
    const theirs = document.querySelector<HTMLElement>('.theirs')!;
    expect(await within(mine).findByRole('heading', { name: 'Sample data (Faker)', level: 3 })).toBeTruthy();
    expect(await within(theirs).findByText('You have not connected any data source yet.')).toBeTruthy();
  });
});
