/**
 * The kit's components against the real proxy and emulator in process (only the network is
 * skipped): a ProxyClient whose fetch calls the harness proxy with the page's origin.
 */
import { render } from '@testing-library/react';
import { StrictMode, type ReactElement } from 'react';
import { vi } from 'vitest';
import { ProxyClient } from '../../src/client/proxyClient.ts';
import { AirbyteEmbedProvider } from '../../src/react/EmbedProvider.tsx';
import { harness, ORIGIN, type HarnessOptions } from '../server/harness.ts';

/**
 * Loads the widget's lazy chunks (the configure view, the form, the manage view) once per file, outside
 * any test's time budget: on a busy CI machine their first transform can take longer than a `findBy`.
 */
export function preloadWidgetChunks() {
  return Promise.all([
    import('../../src/react/widget/ConfigureView.tsx'),
    import('../../src/react/form/SourceForm.tsx'),
    import('../../src/react/manage/ManagerBody.tsx'),
  ]);
}

export async function widgetHarness(options: HarnessOptions = {}) {
  const h = await harness(options);
  const getSessionToken = vi.fn(() => h.token());
  const client = new ProxyClient({
    baseUrl: `${ORIGIN}/api/embed`,
    getSessionToken,
    fetch: async (input, init) => h.proxy(new Request(input, { ...init, headers: { ...(init?.headers as object), origin: ORIGIN } })),
  });
  /** Renders `ui` inside a provider with this client, in StrictMode (effects run twice, as in development). */
  const mount = (ui: ReactElement, providerProps: { locale?: string; theme?: 'light' | 'dark' | 'system' } = {}) => {
    const wrap = (node: ReactElement) => (
      <StrictMode>
        <AirbyteEmbedProvider client={client} {...providerProps}>
          {node}
        </AirbyteEmbedProvider>
      </StrictMode>
    );
    const result = render(wrap(ui));
    return { ...result, rerender: (next: ReactElement) => result.rerender(wrap(next)) };
  };
  /** Onboards a source straight through the proxy (as an earlier visit would have). */
  const onboard = async (templateId: string, config: Record<string, unknown>) => {
    const res = await h.call('POST', '/sources', { body: { templateId, config } });
    if (res.status !== 201) throw new Error(`onboarding failed: ${res.text}`);
    return res.json as { source: { sourceId: string }; connections: Array<{ connection: { connectionId: string } }> };
  };
  return { h, client, getSessionToken, mount, onboard };
}
