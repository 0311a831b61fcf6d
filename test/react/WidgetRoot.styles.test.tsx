/**
 * A host that forgot `import 'airbyte-embed-kit/styles.css'` is told so once, in development: the
 * real stylesheet on the page keeps it quiet, and a production build never checks.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';

// The file the package ships as dist/styles.css (Vitest would hand an import of it back empty).
const stylesheet = readFileSync(path.resolve(import.meta.dirname, '../../src/react/styles.css'), 'utf8');

let warn: MockInstance<typeof console.warn>;
beforeEach(() => {
  // Each test is a fresh page: the check runs once per page (module).
  vi.resetModules();
  document.querySelector('style[data-aek-styles-marker]')?.remove();
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => {
  cleanup();
  document.querySelectorAll('style[data-test-styles]').forEach((s) => s.remove());
  warn.mockRestore();
  vi.unstubAllEnvs();
});

async function mountTwoRoots() {
  const { WidgetRoot } = await import('../../src/react/WidgetRoot.tsx');
  render(
    <>
      <WidgetRoot locale="en">first widget</WidgetRoot>
      <WidgetRoot locale="en">second widget</WidgetRoot>
    </>,
  );
  await screen.findByText('second widget');
  // The check runs just after mount (the page has loaded): give it its turn.
  await new Promise((r) => setTimeout(r, 20));
}

const stylesWarnings = () => warn.mock.calls.filter(([message]) => String(message).includes('styles not found'));

describe('styles.css missing (development warning)', () => {
  it('warns once, naming the import to add, when the stylesheet is not loaded', async () => {
    await mountTwoRoots();
    expect(stylesWarnings()).toHaveLength(1);
    expect(String(stylesWarnings()[0]![0])).toContain("import 'airbyte-embed-kit/styles.css'");
  });

  it('stays quiet with the kit’s real stylesheet on the page', async () => {
    const style = document.createElement('style');
    style.dataset.testStyles = '';
    style.textContent = stylesheet;
    document.head.append(style);
    await mountTwoRoots();
    expect(stylesWarnings()).toEqual([]);
  });

  it('never checks in a production build', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    await mountTwoRoots();
    expect(stylesWarnings()).toEqual([]);
  });
});
