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
});
