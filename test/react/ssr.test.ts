/**
 * Server rendering (Next.js and the like): importing the package and rendering the widget on the
 * server touches no browser global. This runs in plain Node (no DOM).
 */
import { createElement as h } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

describe('server rendering', () => {
  it('imports and renders every top-level component with no window or document', async () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
    const kit = await import('../../src/index.ts');
    const provider = (child: ReturnType<typeof h>) => h(kit.AirbyteEmbedProvider, { baseUrl: '/api/embed', getSessionToken: () => 'token', children: child });
    const widget = renderToString(provider(h(kit.ConnectWidget, { theme: 'dark' })));
    expect(widget).toContain('class="aek-root aek-widget"');
    expect(widget).toContain('data-theme="dark"');
    expect(widget).toContain('Loading connectors…');
    expect(renderToString(provider(h(kit.ConnectWidget, { modal: true, open: false })))).toBe('');
    expect(renderToString(provider(h(kit.SourceManager, {})))).toContain('Loading your data sources…');
    // A language still loading renders an empty, busy root that the client fills in.
    expect(renderToString(provider(h(kit.ConnectWidget, { locale: 'ja' })))).toContain('aria-busy="true"');
  });
});
