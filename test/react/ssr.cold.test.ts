/**
 * A server process's first request (a serverless cold start): the root entry's `SourceForm` is a
 * lazy chunk in the browser, but on a server the entry loads it as it is imported, so the first
 * `renderToString` after start-up is the form itself, not the "Loading the form…" fallback inside a
 * client-rendered Suspense boundary (`<!--$!-->`), which React would report on hydration
 * ("The server used renderToString which does not support Suspense") and render anew. A file of
 * its own: nothing here has rendered the lazy form before.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createElement as h } from 'react';
import { renderToString } from 'react-dom/server';
import { expect, it, vi } from 'vitest';
import { builtinEnvironments } from 'vitest/runtime';
import { SHARED_SPECS, specsMissingMessage } from '../fixtures/sharedSpecs.ts';

it.skipIf(!SHARED_SPECS)(`the root entry's SourceForm: a server's first render is the form, which hydrates with nothing to correct (${specsMissingMessage})`, async () => {
  expect(typeof window).toBe('undefined');
  const { SourceForm } = await import('../../src/index.ts');
  const { markPatternSafety } = await import('../../src/shared/pattern/browserPattern.ts');
  const { safeToBacktrack } = await import('../../src/shared/pattern/backtrackSafety.ts');
  // Start-up work: the entry's own import of the form's code, and nothing asked of it by this test.
  await import('../../src/react/form/SourceForm.tsx');
  await new Promise((resolve) => setTimeout(resolve, 0));
  const raw = () => JSON.parse(readFileSync(path.join(SHARED_SPECS!, 'sources', 'source-github.json'), 'utf8')).connectionSpecification;
  // As the proxy serves it (patterns marked): no wait for the pattern judge either.
  const form = () => h(SourceForm, { spec: markPatternSafety(raw(), safeToBacktrack), onSubmit: () => undefined });
  const html = renderToString(form());
  expect(html).not.toContain('<!--$!-->');
  expect(html).not.toContain('Loading the form');
  expect(html).toContain('<form');

  const env = await builtinEnvironments.jsdom.setup(globalThis, { jsdom: { url: 'http://localhost/' } });
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  const problems: string[] = [];
  const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void problems.push(args.map(String).join(' ')));
  try {
    const { hydrateRoot } = await import('react-dom/client');
    const { act } = await import('react');
    const container = document.createElement('div');
    container.innerHTML = html;
    document.body.append(container);
    const serverNodes = Array.from(container.querySelectorAll('*'));
    let root: { unmount(): void } | undefined;
    await act(async () => void (root = hydrateRoot(container, form(), { onRecoverableError: (error) => void problems.push(`recoverable: ${String(error)}`) })));
    expect(problems).toEqual([]);
    // React adopted the server's markup rather than rendering the form anew.
    expect(serverNodes.filter((node) => !node.isConnected)).toEqual([]);
    await act(async () => root?.unmount());
  } finally {
    spy.mockRestore();
    delete (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT;
    await env.teardown(globalThis);
  }
});
