import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { AirbyteEmbedProvider, ConnectWidget, type EmbedEvent, type Theme } from 'airbyte-embed-kit';
import 'airbyte-embed-kit/styles.css';
import './demo.css';

/** The host's own backend mints the session token; the browser never sees Airbyte credentials. */
async function getSessionToken(): Promise<string> {
  const res = await fetch('/demo/session', { method: 'POST' });
  if (!res.ok) throw new Error(`Could not start a session (${res.status}).`);
  return ((await res.json()) as { token: string }).token;
}

const LANGUAGES = { en: 'English', de: 'Deutsch', fr: 'Français', es: 'Español', ja: '日本語', ar: 'العربية' };

/** What a host typically does with the widget's events: forward them to its analytics. */
const track = (event: EmbedEvent) => console.info('[host analytics]', event.type, event.view, event.sessionId);

function App() {
  const params = new URLSearchParams(location.search);
  const [theme, setTheme] = useState<Theme>((params.get('theme') as Theme | null) ?? 'light');
  const [locale, setLocale] = useState(params.get('lang') ?? 'en');
  const [dialogOpen, setDialogOpen] = useState(false);
  return (
    <div className="demo-shell" data-theme={theme}>
      <header className="demo-header">
        <strong>Acme Insights</strong>
        <nav aria-label="Acme Insights">
          <span>Dashboards</span>
          <span aria-current="page">Data sources</span>
          <span>Settings</span>
        </nav>
        <div className="demo-controls">
          <label>
            Theme{' '}
            <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
              <option value="system">System</option>
            </select>
          </label>
          <label>
            Language{' '}
            <select value={locale} onChange={(e) => setLocale(e.target.value)}>
              {Object.entries(LANGUAGES).map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        </div>
      </header>
      <main className="demo-main">
        <h1>Bring your data into Acme Insights</h1>
        <p>
          Connect the tools your team already uses. We sync them to your analytics lake every night.{' '}
          <button type="button" className="demo-open" onClick={() => setDialogOpen(true)}>
            Open as a dialog
          </button>
        </p>
        <AirbyteEmbedProvider baseUrl="/api/embed" getSessionToken={getSessionToken} locale={locale} theme={theme}>
          <ConnectWidget onSuccess={(result) => console.info('[host] source connected', result.source.sourceId)} onEvent={track} />
          <ConnectWidget modal open={dialogOpen} onExit={() => setDialogOpen(false)} onEvent={track} />
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
