/**
 * Server rendering, then hydration, on every real connector spec (../shared/connector-specs):
 * each form is rendered with `renderToString` in plain Node (no window), then hydrated in a
 * browser document (Vitest's jsdom environment, installed per spec and removed after). React must
 * have nothing to correct: no console.error/warn, no recoverable/caught/uncaught error, and every
 * server element still in the page afterwards (none replaced by a client render).
 *
 * Variants per spec:
 *  - form:     `SourceForm` from `airbyte-embed-kit/form` (eager), English
 *  - root:     `SourceForm` from the root entry (lazy chunk already loaded; spec marked as the proxy serves it)
 *  - ar:       the eager form with `locale="ar"` (catalog loaded on both sides, as after a first visit)
 *  - formData: the eager form editing a valid config (json-schema-faker, seeded)
 *
 * `npm test` sweeps a seeded sample of 40 specs; SSR_SAMPLE=N another size (0: all 577, as
 * `npm run test:ssr-corpus` does, 41 s), SSR_SEED another sample, SSR_ONLY=name one spec.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createElement as h, type ReactElement } from 'react';
import { renderToString } from 'react-dom/server';
import { generateSync } from 'json-schema-faker';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { builtinEnvironments } from 'vitest/runtime';
import { SHARED_SPECS, specsMissingMessage } from '../fixtures/sharedSpecs.ts';
import type { JsonSchema } from '../../src/shared/contract.ts';

type Spec = { name: string; connectionSpecification: JsonSchema };
const files = SHARED_SPECS ? readdirSync(path.join(SHARED_SPECS, 'sources')).filter((f) => f.endsWith('.json')).sort() : [];

function sample<T>(all: T[], n: number, seed: number): T[] {
  if (!n || n >= all.length) return all;
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
  const copy = [...all];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n).sort();
}
const only = process.env.SSR_ONLY;
const chosen = only ? files.filter((f) => f === `${only}.json`) : sample(files, Number(process.env.SSR_SAMPLE ?? 40), Number(process.env.SSR_SEED ?? 20261201));
const readSpec = (file: string): Spec => JSON.parse(readFileSync(path.join(SHARED_SPECS!, 'sources', file), 'utf8')) as Spec;

type Kit = {
  EagerForm: typeof import('../../src/form.ts').SourceForm;
  RootForm: typeof import('../../src/index.ts').SourceForm;
  mark: (spec: JsonSchema) => JsonSchema;
  validConfig: (spec: JsonSchema) => Record<string, unknown> | undefined;
};
let kit: Kit;

beforeAll(async () => {
  const [form, root, locales, pattern, backtrack, cv] = await Promise.all([
    import('../../src/form.ts'),
    import('../../src/index.ts'),
    import('../../src/shared/i18n/locales.ts'),
    import('../../src/shared/pattern/browserPattern.ts'),
    import('../../src/shared/pattern/backtrackSafety.ts'),
    import('../../src/shared/configValidator.ts'),
  ]);
  await locales.loadMessages('ar');
  // The root entry's lazy chunk, which a server loads as the entry loads (ssr.cold.test.ts).
  await import('../../src/react/form/SourceForm.tsx');
  await new Promise((r) => setTimeout(r, 0));
  const validator = new cv.ConfigValidator();
  kit = {
    EagerForm: form.SourceForm,
    RootForm: root.SourceForm,
    mark: (spec) => pattern.markPatternSafety(spec, backtrack.safeToBacktrack),
    validConfig: (spec) => {
      const { $schema: _s, ...schema } = cv.patternOverFormat(spec) as JsonSchema;
      for (let seed = 1; seed <= 10; seed++) {
        let value: unknown;
        try {
          value = generateSync(schema as never, { seed, optionalsProbability: 0.5, useDefaultValue: seed % 2 === 0, maxItems: 3, maxLength: 40 } as never);
        } catch {
          continue;
        }
        if (value && typeof value === 'object' && !Array.isArray(value) && validator.validate(spec, value as Record<string, unknown>).length === 0) return value as Record<string, unknown>;
      }
      return undefined;
    },
  };
});

const failures: string[] = [];
const started = Date.now();
let hydrated = 0;
afterAll(() => {
  if (!chosen.length) return;
  console.info(`ssr corpus: ${chosen.length} specs, ${hydrated} forms hydrated, ${failures.length} failing, ${((Date.now() - started) / 1000).toFixed(1)} s` + (failures.length ? `\n  - ${failures.slice(0, 60).join('\n  - ')}` : ''));
});

/** Hydrates `html` in a fresh container with `element`; returns what React complained about. */
async function hydrate(html: string, element: ReactElement): Promise<string[]> {
  const { hydrateRoot } = await import('react-dom/client');
  const { act } = await import('react');
  const container = document.createElement('div');
  container.innerHTML = html;
  document.body.append(container);
  const before = Array.from(container.querySelectorAll('*'));
  const problems: string[] = [];
  const push = (kind: string) => (...args: unknown[]) => void problems.push(`${kind}: ${args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ').slice(0, 600)}`);
  const error = vi.spyOn(console, 'error').mockImplementation(push('console.error'));
  const warn = vi.spyOn(console, 'warn').mockImplementation(push('console.warn'));
  let root: { unmount(): void } | undefined;
  try {
    await act(async () => {
      root = hydrateRoot(container, element, {
        onRecoverableError: (e) => push('recoverable')(e),
        onCaughtError: (e) => push('caught')(e),
        onUncaughtError: (e) => push('uncaught')(e),
      });
    });
    const replaced = before.filter((el) => !el.isConnected).length;
    if (replaced) problems.push(`replaced: ${replaced} of ${before.length} server elements`);
    await act(async () => root?.unmount());
  } finally {
    error.mockRestore();
    warn.mockRestore();
    container.remove();
  }
  return problems;
}

describe.skipIf(!SHARED_SPECS)(`server rendering, then hydration, on real specs (${chosen.length} of ${files.length}, ${specsMissingMessage})`, () => {
  it.each(chosen)('%s', async (file) => {
    const name = file.replace(/\.json$/, '');
    const variants: Array<{ variant: string; make: (spec: JsonSchema, data?: Record<string, unknown>) => ReactElement; data?: Record<string, unknown> | undefined; mark?: boolean }> = [
      { variant: 'form', make: (spec) => h(kit.EagerForm, { spec, onSubmit: () => undefined }) },
      { variant: 'root', mark: true, make: (spec) => h(kit.RootForm, { spec, onSubmit: () => undefined }) },
      { variant: 'ar', make: (spec) => h(kit.EagerForm, { spec, locale: 'ar', onSubmit: () => undefined }) },
    ];
    const config = kit.validConfig(readSpec(file).connectionSpecification);
    if (config) variants.push({ variant: 'formData', data: config, make: (spec, data) => h(kit.EagerForm, { spec, formData: data as never, onSubmit: () => undefined }) });

    // The server: no browser globals; each side parses its own copy of the spec (as a page would).
    expect(typeof window).toBe('undefined');
    const rendered = variants.map((v) => {
      const spec = readSpec(file).connectionSpecification;
      return { ...v, html: renderToString(v.make(v.mark ? kit.mark(spec) : spec, v.data && structuredClone(v.data))) };
    });

    const env = await builtinEnvironments.jsdom.setup(globalThis, { jsdom: { url: 'http://localhost/', pretendToBeVisual: true } });
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
    // The page has the kit's stylesheet (its "styles not found" warning stays quiet).
    const style = document.createElement('style');
    style.textContent = '.aek-root { --aek-font: system-ui; }';
    document.head.append(style);
    const found: string[] = [];
    try {
      for (const v of rendered) {
        const spec = readSpec(file).connectionSpecification;
        const problems = await hydrate(v.html, v.make(v.mark ? kit.mark(spec) : spec, v.data && structuredClone(v.data)));
        hydrated++;
        for (const p of problems) found.push(`${name} [${v.variant}] ${p}`);
      }
    } finally {
      delete (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT;
      await env.teardown(globalThis);
    }
    failures.push(...found);
    expect(found).toEqual([]);
  });
});
