import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { AirbyteEmbedProvider, ConnectWidget } from 'airbyte-embed-kit';
import 'airbyte-embed-kit/styles.css';

// The host's own React Query client, made before the kit is involved; the kit's queries join its cache.
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
declare global {
  interface Window { hostQueryClient: QueryClient }
}
window.hostQueryClient = queryClient;

async function getSessionToken(): Promise<string> {
  const res = await fetch('/my-backend/airbyte-session', { method: 'POST' });
  if (!res.ok) throw new Error(`POST /my-backend/airbyte-session answered ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

// The host's own query, on its own provider.
function SignedInAs() {
  const me = useQuery({
    queryKey: ['host', 'me'],
    queryFn: async () => ((await (await fetch('/my-backend/me')).json()) as { name: string }).name,
  });
  return <p data-testid="host-me">{me.data ? `Signed in as ${me.data}` : 'Loading…'}</p>;
}

function App() {
  const [connected, setConnected] = useState<string[]>([]);
  return (
    <QueryClientProvider client={queryClient}>
      <SignedInAs />
      <AirbyteEmbedProvider baseUrl="/api/embed" getSessionToken={getSessionToken} queryClient={queryClient}>
        <ConnectWidget onSuccess={(result) => setConnected((ids) => [...ids, result.source.sourceId])} />
        {connected.length ? <p data-testid="host-connected">Host saw source {connected.join(', ')}</p> : null}
      </AirbyteEmbedProvider>
    </QueryClientProvider>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(<App />);
