import { QueryClient, QueryClientContext, QueryClientProvider } from '@tanstack/react-query';
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { ProxyClient, type ProxyClientOptions } from '../client/proxyClient.ts';
import type { MessageOverrides } from '../shared/i18n/translator.ts';
import { LocaleDefaultsContext } from './i18n.tsx';
import type { Theme } from './WidgetRoot.tsx';

const ClientContext = createContext<ProxyClient | null>(null);

export type AirbyteEmbedProviderProps = {
  children: ReactNode;
  /**
   * Your own React Query client, to share its cache and devtools. Without it, the client of a
   * surrounding `QueryClientProvider` is used (your app's, so your queries below keep working and
   * there is one cache); with neither, the kit makes one. The kit's query keys all start with
   * `'airbyte-embed-kit'` (`embedKeys`), so they never collide with yours. Trap: the kit's
   * queries then follow your client's defaults (`retry`, `refetchOnWindowFocus`).
   */
  queryClient?: QueryClient | undefined;
  /** Default language of every kit component below (each can override it). */
  locale?: string | undefined;
  /** Default message overrides of every kit component below. */
  messages?: MessageOverrides | undefined;
  /** Default theme of every kit component below. */
  theme?: Theme | undefined;
} & ({ client: ProxyClient } | ({ client?: undefined } & ProxyClientOptions));

/**
 * Provides the proxy client (and a React Query client) to the kit's components and hooks.
 * Pass `baseUrl` + `getSessionToken`, or a ready `client`. Trap: `getSessionToken` is read once;
 * make it call your backend rather than closing over a token that will expire.
 */
export function AirbyteEmbedProvider(props: AirbyteEmbedProviderProps) {
  const [client] = useState(() => props.client ?? new ProxyClient({ baseUrl: props.baseUrl, getSessionToken: props.getSessionToken, fetch: props.fetch }));
  const surrounding = useContext(QueryClientContext);
  const [queryClient] = useState(
    () => props.queryClient ?? surrounding ?? new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } }),
  );
  const { locale, messages, theme } = props;
  const defaults = useMemo(() => ({ locale, messages, theme }), [locale, messages, theme]);
  return (
    <QueryClientProvider client={queryClient}>
      <ClientContext.Provider value={client}>
        <LocaleDefaultsContext.Provider value={defaults}>{props.children}</LocaleDefaultsContext.Provider>
      </ClientContext.Provider>
    </QueryClientProvider>
  );
}

/** The proxy client: the one given, else the provider's. Throws a clear error when neither exists. */
export function useProxyClient(client?: ProxyClient): ProxyClient {
  const fromContext = useContext(ClientContext);
  const resolved = client ?? fromContext;
  if (!resolved) throw new Error('airbyte-embed-kit: wrap your component in <AirbyteEmbedProvider baseUrl=… getSessionToken=…>, or pass a `client`.');
  return resolved;
}
