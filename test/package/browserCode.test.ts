/**
 * The browser entries run under a strict Content-Security-Policy (no `'unsafe-eval'`): neither the
 * kit's built chunks nor the third-party code a page bundles with them generate code at run time.
 * Needs `npm run build` first (`npm test` does it). The CSP behaviour itself is tested in a real
 * browser by test/e2e/csp.test.ts.
 */
import { build, type Plugin } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'dist');
const ENTRIES = ['index.js', 'form.js'];
/** `new Function(…)` or a direct `eval(…)` (markdown-to-jsx's opt-in `(0, eval)(…)`, off by default, is not a call of this form). */
const CODE_GENERATION = /\bnew\s+Function\s*\(|(?<![\w$.])eval\s*\(/;

/** The kit's chunks an entry reaches (static and `import()`), and the bare packages they import. */
function reach(entry: string, chunks = new Set<string>(), bare = new Set<string>()) {
  if (chunks.has(entry)) return { chunks, bare };
  chunks.add(entry);
  for (const m of readFileSync(entry, 'utf8').matchAll(/(?:import|export)\s*(?:[^'"();]*?from\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const spec = m[1] ?? m[2]!;
    if (spec.startsWith('.')) reach(path.resolve(path.dirname(entry), spec), chunks, bare);
    else bare.add(spec);
  }
  return { chunks, bare };
}

/** A browser entry bundled with its dependencies as an app's bundler would (React left out). */
function bundle(entry: string, plugins: Plugin[] = []) {
  return build({
    entryPoints: [path.join(dist, entry)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    splitting: true,
    outdir: '/virtual',
    external: ['react', 'react-dom', 'react/*', 'react-dom/*'],
    logLevel: 'silent',
    plugins,
  });
}

beforeAll(() => {
  if (!existsSync(path.join(dist, 'form.js'))) throw new Error('dist/ is missing: run `npm run build` before these tests (`npm test` does).');
});

describe('browser code under a strict CSP', () => {
  it.each(ENTRIES)('no chunk %s reaches generates code at run time, and none imports Ajv', (entry) => {
    const { chunks, bare } = reach(path.join(dist, entry));
    expect(chunks.size).toBeGreaterThan(1);
    const offending = [...chunks].filter((file) => CODE_GENERATION.test(readFileSync(file, 'utf8'))).map((f) => path.relative(root, f));
    expect(offending).toEqual([]);
    expect([...bare].filter((s) => /^(ajv|ajv-formats|@rjsf\/validator-ajv8|marked|dompurify)(\/|$)/.test(s))).toEqual([]);
  });

  it.each(ENTRIES)('%s bundled with its dependencies (as an app would) has no code generation', async (entry) => {
    const result = await bundle(entry);
    const files = result.outputFiles.filter((f) => f.path.endsWith('.js'));
    expect(files.some((f) => f.text.includes('@cfworker') || f.text.includes('dereference'))).toBe(true);
    const offending = files.filter((f) => CODE_GENERATION.test(f.text)).map((f) => `${path.basename(f.path)}: ${f.text.match(CODE_GENERATION)![0]}`);
    expect(offending).toEqual([]);
  });
});

describe('a browser-only host, which has no Ajv installed', () => {
  // The kit does not depend on @rjsf/validator-ajv8 (nor ajv): a host's bundler must never have to
  // resolve them. @rjsf/core's index imports validator-ajv8 (for getTestRegistry) without
  // depending on it, so the kit imports RJSF's modules past that index (src/react/form/rjsfCore.ts).
  it.each(ENTRIES)('bundles %s with every other dependency, none of Ajv', async (entry) => {
    const asked: string[] = [];
    const result = await bundle(entry, [
      {
        name: 'not-installed',
        setup: (b) =>
          b.onResolve({ filter: /^(@rjsf\/validator-ajv8|ajv|ajv-formats)(\/|$)/ }, (args) => {
            asked.push(`${args.path} (from ${path.relative(root, args.importer)})`);
            return { errors: [{ text: `${args.path} is not installed` }] };
          }),
      },
    ]).catch((error: unknown) => error as Error);
    expect(asked).toEqual([]);
    expect(result).not.toBeInstanceOf(Error);
  });
});
