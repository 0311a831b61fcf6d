import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { StrictMode } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ProxyClient } from '../../src/client/proxyClient.ts';
import { AirbyteEmbedProvider } from '../../src/react/EmbedProvider.tsx';
import { ConnectWidget } from '../../src/react/ConnectWidget.tsx';
import { harness, ORIGIN } from '../server/harness.ts';
import { freshEmbeddedStore } from '../fixtures/stores.ts';

// PGlite takes a few seconds to start: once per file, outside any test's time budget.
beforeAll(() => freshEmbeddedStore(), 60_000);

afterEach(cleanup);

/** The widget against the real proxy and emulator, in process: only the network is skipped. */
async function setup(options: Parameters<typeof harness>[0] = {}) {
  const h = await harness(options);
  const getSessionToken = vi.fn(() => h.token());
  const client = new ProxyClient({
    baseUrl: `${ORIGIN}/api/embed`,
    getSessionToken,
    fetch: async (input, init) => h.proxy(new Request(input, { ...init, headers: { ...(init?.headers as object), origin: ORIGIN } })),
  });
  const onSuccess = vi.fn();
  render(
    <StrictMode>
      <AirbyteEmbedProvider client={client}>
        <ConnectWidget onSuccess={onSuccess} />
      </AirbyteEmbedProvider>
    </StrictMode>,
  );
  return { h, onSuccess, getSessionToken };
}

describe('ConnectWidget', () => {
  it('goes from catalog to form to a created connection with its schedule, once', async () => {
    const { h, onSuccess } = await setup();
    await userEvent.click(await screen.findByRole('button', { name: /Sample data \(Faker\)/ }));
    const count = await screen.findByLabelText(/Count/);
    expect((count as HTMLInputElement).value).toBe('5000');
    await userEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByText('Sample data (Faker) is connected')).toBeTruthy();
    expect(screen.getByText('At 02:15 AM, every day (UTC)')).toBeTruthy();
    expect(screen.getByText('Acme Analytics Lake (S3)')).toBeTruthy();
    expect(onSuccess).toHaveBeenCalledTimes(1);
    expect((await h.upstream('/sources')).data).toHaveLength(1);
  });

  it('shows the server’s field errors next to the field and keeps what the user typed', async () => {
    await setup();
    await userEvent.click(await screen.findByRole('button', { name: /Sample data \(Faker\)/ }));
    const count = await screen.findByLabelText(/Count/);
    await userEvent.clear(count);
    await userEvent.type(count, '0');
    await userEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByText('must be at least 1')).toBeTruthy();
    expect((screen.getByLabelText(/Count/) as HTMLInputElement).value).toBe('0');
  });

  it('retries a failed submit with the same idempotency key: one source in the end, values kept', async () => {
    let failed = false;
    const { h, onSuccess } = await setup({
      intercept: (req) => {
        if (!failed && req.method === 'POST' && new URL(req.url).pathname.endsWith('/connections')) {
          failed = true;
          return Response.json({ title: 'unexpected-problem', status: 500 }, { status: 500 });
        }
        return undefined;
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: /Sample data \(Faker\)/ }));
    await userEvent.click(await screen.findByRole('button', { name: 'Connect' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Your details are kept');
    expect((screen.getByLabelText(/Count/) as HTMLInputElement).value).toBe('5000');
    await userEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByText('Sample data (Faker) is connected')).toBeTruthy();
    expect((await h.upstream('/sources')).data).toHaveLength(1);
    expect((await h.upstream('/connections')).data).toHaveLength(1);
    expect(onSuccess).toHaveBeenCalledTimes(1);
  });

  it('asks the host for a new session token when the proxy says it expired, without showing an error', async () => {
    const h = await harness();
    let calls = 0;
    const client = new ProxyClient({
      baseUrl: `${ORIGIN}/api/embed`,
      getSessionToken: ({ refresh }) => (calls++, refresh ? h.token() : h.token('customer-a', ORIGIN, -5)),
      fetch: async (input, init) => h.proxy(new Request(input, { ...init, headers: { ...(init?.headers as object), origin: ORIGIN } })),
    });
    render(
      <AirbyteEmbedProvider client={client}>
        <ConnectWidget />
      </AirbyteEmbedProvider>,
    );
    expect(await screen.findByRole('button', { name: /Stripe/ })).toBeTruthy();
    expect(calls).toBe(2);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
