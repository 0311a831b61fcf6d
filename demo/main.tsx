import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AirbyteEmbedProvider, ConnectWidget } from 'airbyte-embed-kit';
import 'airbyte-embed-kit/styles.css';
import './demo.css';

/** The host's own backend mints the session token; the browser never sees Airbyte credentials. */
async function getSessionToken(): Promise<string> {
  const res = await fetch('/demo/session', { method: 'POST' });
  if (!res.ok) throw new Error(`Could not start a session (${res.status}).`);
  return ((await res.json()) as { token: string }).token;
}

function App() {
  return (
    <div className="demo-shell">
      <header className="demo-header">
        <strong>Acme Insights</strong>
        <nav>
          <span>Dashboards</span>
          <span aria-current="page">Data sources</span>
          <span>Settings</span>
        </nav>
      </header>
      <main className="demo-main">
        <h1>Bring your data into Acme Insights</h1>
        <p>Connect the tools your team already uses. We sync them to your analytics lake every night.</p>
        <AirbyteEmbedProvider baseUrl="/api/embed" getSessionToken={getSessionToken}>
          <ConnectWidget onSuccess={(result) => console.info('[host] source connected', result.source.sourceId)} />
        </AirbyteEmbedProvider>
      </main>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
