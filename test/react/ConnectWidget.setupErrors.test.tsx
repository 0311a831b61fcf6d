/**
 * A host whose token route fails: the customer is told the page could not start a session, and
 * the developer, in development, reads in the console which setup step failed and how.
 */
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AirbyteEmbedProvider } from '../../src/react/EmbedProvider.tsx';
import { ConnectWidget } from '../../src/react/ConnectWidget.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('ConnectWidget when the host is not set up', () => {
  it('a getSessionToken that throws: a general message on screen, the reason once in the development console', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const onError = vi.fn();
    render(
      <AirbyteEmbedProvider
        baseUrl="/api/embed"
        getSessionToken={() => {
          throw new Error('POST /session answered 502');
        }}
      >
        <ConnectWidget onError={onError} />
      </AirbyteEmbedProvider>,
    );
    expect((await screen.findByRole('alert')).textContent).toMatch(/could not start a session with the data service/);
    expect(screen.queryByText(/not valid/)).toBeNull();
    await vi.waitFor(() => expect(onError).toHaveBeenCalled());
    const messages = warn.mock.calls.map(([m]) => String(m)).filter((m) => m.startsWith('airbyte-embed-kit: session_unavailable'));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/getSessionToken failed: POST \/session answered 502\. Is the host's token route up/);
  });

  /** The widget over a fetch that answers every call with `answer`; what the screen and the development console say. */
  async function shown(answer: () => Response | Promise<Response>, getSessionToken: () => string | Promise<string> = () => 'a-token') {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    render(
      <AirbyteEmbedProvider baseUrl="/api/embed" getSessionToken={getSessionToken} fetch={async () => answer()}>
        <ConnectWidget />
      </AirbyteEmbedProvider>,
    );
    const alert = (await screen.findByRole('alert')).textContent ?? '';
    await vi.waitFor(() => expect(warn.mock.calls.some(([m]) => String(m).startsWith('airbyte-embed-kit: '))).toBe(true));
    return { alert, console: warn.mock.calls.map(([m]) => String(m)).filter((m) => m.startsWith('airbyte-embed-kit: ')) };
  }
  const proxyError = (status: number, code: string, message: string) => new Response(JSON.stringify({ error: { code, message } }), { status, headers: { 'content-type': 'application/json' } });

  it("a baseUrl the host's own router answers with a JSON 404: the page is not set up, not 'this item no longer exists'", async () => {
    const { alert, console } = await shown(() => new Response(JSON.stringify({ error: 'not found' }), { status: 404, headers: { 'content-type': 'application/json' } }));
    expect(alert).toMatch(/not set up correctly/);
    expect(alert).not.toMatch(/no longer exists/);
    expect(console.join('\n')).toMatch(/host_misconfigured: The proxy URL \/api\/embed\/templates answered 404 with JSON that is not the proxy's \(\{"error":"not found"\}\): the request did not reach the proxy\. Check baseUrl/);
  });

  it('a token the proxy refuses (another secret): the customer sees the session message, the console says which secret to align', async () => {
    const message = "The session token's signature does not match this proxy's sessionSecret: the route that mints tokens (createSessionToken({ secret })) must use the same secret as createEmbedProxy({ sessionSecret }).";
    const { alert, console } = await shown(() => proxyError(401, 'unauthorized', message));
    expect(alert).toMatch(/session is not valid/);
    expect(console).toEqual([`airbyte-embed-kit: unauthorized: ${message} (Shown in development only.)`]);
  });

  it('a token still expired after the refresh: the console says getSessionToken({ refresh: true }) returned an expired one', async () => {
    const tokens: boolean[] = [];
    const { console } = await shown(
      () => proxyError(401, 'session_expired', 'The session has expired. Ask the host app for a new session token.'),
      () => (tokens.push(true), 'the-same-old-token'),
    );
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    expect(console.join('\n')).toMatch(/session_expired: The session has expired\. .* The token getSessionToken\(\{ refresh: true \}\) returned had expired too: mint a new one on every call/);
  });

  it('a proxy the browser cannot reach at all: the customer may retry, the console says what to check', async () => {
    const { alert, console } = await shown(() => Promise.reject(new TypeError('Failed to fetch')));
    expect(alert).toMatch(/Could not reach|not responding|connection/i);
    expect(console.join('\n')).toMatch(/upstream_unavailable: /);
  });
});
