// The widget page of the Vite and webpack hosts (copied to their src/main.tsx by `npm run test:hosts`
// when their package.json says "aekHost": { "sharedPage": true }): the provider, ConnectWidget and
// the stylesheet, as the README's quick start has them.
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { AirbyteEmbedProvider, ConnectWidget } from 'airbyte-embed-kit';
import 'airbyte-embed-kit/styles.css';

// The host's backend mints a session token for the signed-in customer (server.ts).
async function getSessionToken(): Promise<string> {
  const res = await fetch('/my-backend/airbyte-session', { method: 'POST' });
  if (!res.ok) throw new Error(`POST /my-backend/airbyte-session answered ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

function App() {
  // Every source onSuccess reported: exactly one after one Connect, also under StrictMode.
  const [connected, setConnected] = useState<string[]>([]);
  return (
    <AirbyteEmbedProvider baseUrl="/api/embed" getSessionToken={getSessionToken}>
      <ConnectWidget onSuccess={(result) => setConnected((ids) => [...ids, result.source.sourceId])} onError={(error) => console.warn(error.code, error.message)} />
      {connected.length ? <p data-testid="host-connected">Host saw source {connected.join(', ')}</p> : null}
    </AirbyteEmbedProvider>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(<App />);
