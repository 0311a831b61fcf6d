/**
 * A host page for test/e2e/csp.test.ts: the widget as a host app would bundle it, served under a
 * strict Content-Security-Policy with Trusted Types. No inline script or style anywhere.
 */
import { createRoot } from 'react-dom/client';
import { AirbyteEmbedProvider, ConnectWidget } from 'airbyte-embed-kit';
import 'airbyte-embed-kit/styles.css';

async function getSessionToken(): Promise<string> {
  const res = await fetch('/host/session', { method: 'POST' });
  if (!res.ok) throw new Error(`Could not start a session (${res.status}).`);
  return ((await res.json()) as { token: string }).token;
}

createRoot(document.getElementById('root')!).render(
  <AirbyteEmbedProvider baseUrl="/api/embed" getSessionToken={getSessionToken}>
    <ConnectWidget />
  </AirbyteEmbedProvider>,
);
