/**
 * Server rendering (Next.js and the like): importing the package and rendering the widget on the
 * server touches no browser global. This runs in plain Node (no DOM).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createElement as h } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { builtinEnvironments } from 'vitest/runtime';
import { SHARED_SPECS } from '../fixtures/sharedSpecs.ts';

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

/**
 * A real spec's form rendered on the server (no DOM) and hydrated in a browser document (jsdom)
 * gives React nothing to correct: descriptions, titles and hints render as the same elements on
 * both sides (no HTML strings, no `window` checks).
 */
describe('server rendering, then hydration', () => {
  const specs = ['source-postgres', 'source-facebook-marketing', 'source-github'];
  it.skipIf(!SHARED_SPECS).each(specs)('%s: the form hydrates with no mismatch or warning', async (name) => {
    const spec = JSON.parse(readFileSync(path.join(SHARED_SPECS!, 'sources', `${name}.json`), 'utf8')).connectionSpecification;
    const { SourceForm } = await import('../../src/form.ts');
    const form = () => h(SourceForm, { spec, onSubmit: () => undefined });
    expect(typeof window).toBe('undefined');
    const html = renderToString(form());
    // Rich text was rendered on the server as elements, not as plain text.
    expect(html).toMatch(/<code>|<a href="https:[^"]+" target="_blank" rel="noopener noreferrer">/);

    // Now a browser document (Vitest's own jsdom environment, installed for this test and removed after).
    const env = await builtinEnvironments.jsdom.setup(globalThis, { jsdom: { url: 'http://localhost/', pretendToBeVisual: true } });
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
    document.body.innerHTML = `<div id="root">${html}</div>`;
    const problems: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void problems.push(args.map(String).join(' ')));
    try {
      const { hydrateRoot } = await import('react-dom/client');
      const { act } = await import('react');
      const container = document.getElementById('root')!;
      const serverNode = container.querySelector('.aek-description code, .aek-description a[target="_blank"]');
      expect(serverNode).not.toBeNull();
      let root: { unmount(): void } | undefined;
      await act(async () => {
        root = hydrateRoot(container, form(), { onRecoverableError: (error) => void problems.push(`recoverable: ${String(error)}`) });
      });
      expect(problems).toEqual([]);
      // The server's nodes stayed: React adopted its markup rather than rendering anew.
      expect(serverNode!.isConnected).toBe(true);
      await act(async () => root?.unmount());
    } finally {
      spy.mockRestore();
      delete (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT;
      await env.teardown(globalThis);
    }
  });
});
