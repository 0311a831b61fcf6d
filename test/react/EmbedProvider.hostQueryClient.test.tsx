/**
 * A host already on React Query: its own `QueryClientProvider` around the kit. The kit's hooks and
 * the host's own queries run side by side on one cache, whether the host passes its client to
 * `AirbyteEmbedProvider` or only wraps it in its provider (the real proxy and emulator answer).
 */
import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { embedKeys } from '../../src/client/queryKeys.ts';
import { AirbyteEmbedProvider } from '../../src/react/EmbedProvider.tsx';
import { useTemplates } from '../../src/react/hooks.ts';
import { widgetHarness } from './widgetHarness.tsx';

afterEach(cleanup);
// The first embedded store of a file compiles PGlite's WebAssembly: outside any test's time budget.
beforeAll(() => widgetHarness(), 60_000);

/** The host's own data, fetched with the host's own query. */
function HostProfile() {
  const profile = useQuery({ queryKey: ['host', 'profile'], queryFn: async () => ({ name: 'Ada' }) });
  return <p>Signed in as {profile.data?.name ?? '…'}</p>;
}

/** The kit's hook, beside it. */
function KitCatalog() {
  const templates = useTemplates();
  const client = useQueryClient();
  return (
    <p data-testid="kit" data-same-client={String(client === hostClient)}>
      {templates.data ? `${templates.data.length} connectors` : 'loading connectors'}
    </p>
  );
}

let hostClient: QueryClient;

describe('AirbyteEmbedProvider under the host app’s own QueryClientProvider', () => {
  it.each([
    ['passes its client as `queryClient`', true],
    ['only wraps the kit in its provider', false],
  ])('the host %s: kit hooks and host queries share one cache', async (_label, passClient) => {
    const { client } = await widgetHarness();
    hostClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <StrictMode>
        <QueryClientProvider client={hostClient}>
          <AirbyteEmbedProvider client={client} queryClient={passClient ? hostClient : undefined}>
            <HostProfile />
            <KitCatalog />
          </AirbyteEmbedProvider>
        </QueryClientProvider>
      </StrictMode>,
    );
    expect(await screen.findByText('Signed in as Ada')).toBeTruthy();
    expect(await screen.findByText(/^\d+ connectors$/)).toBeTruthy();
    expect(screen.getByTestId('kit').dataset.sameClient).toBe('true');
    // One cache: the host sees the kit's query (by its documented key prefix) beside its own.
    const keys = hostClient.getQueryCache().getAll().map((q) => q.queryKey);
    expect(keys).toContainEqual(['host', 'profile']);
    expect(keys.some((k) => k[0] === embedKeys.all[0] && k[1] === 'templates')).toBe(true);
    // …and can invalidate it like any of its own.
    await hostClient.invalidateQueries({ queryKey: embedKeys.templates() });
  });

  it('without any provider around it, the kit makes its own client (the host app needs no React Query)', async () => {
    const { client } = await widgetHarness();
    hostClient = new QueryClient();
    render(
      <AirbyteEmbedProvider client={client}>
        <KitCatalog />
      </AirbyteEmbedProvider>,
    );
    expect(await screen.findByText(/^\d+ connectors$/)).toBeTruthy();
    expect(screen.getByTestId('kit').dataset.sameClient).toBe('false');
  });
});
