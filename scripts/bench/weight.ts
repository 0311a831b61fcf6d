/**
 * Weight: bytes of each entry point of the built package, and what a host page must load before
 * the catalog is interactive and once a form is open, against a baseline page (one plain RJSF form +
 * validator-ajv8 + React Query) built the same way. React itself is split into its own chunk and not
 * counted.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { transform } from 'esbuild';
import { build } from 'vite';
import type { Row } from './report.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');
const dist = path.join(root, 'dist');

export interface Size {
  min: number;
  gzip: number;
  brotli: number;
}

const zero = (): Size => ({ min: 0, gzip: 0, brotli: 0 });
const add = (a: Size, b: Size): Size => ({ min: a.min + b.min, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });

/** Bytes of one (already minified) file: raw, gzip -9 and brotli 11, each file compressed alone as a server would. */
export function sizeOf(code: string | Buffer): Size {
  const buf = typeof code === 'string' ? Buffer.from(code) : code;
  return {
    min: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** The package's own files an entry loads before any `import()`: the entry and its static chunk imports. */
function staticClosure(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  const out = [file];
  for (const m of code.matchAll(/(?:^|\n)\s*(?:import|export)\s*(?:[^'"();]*?from\s*)?['"](\.[^'"]+)['"]/g)) out.push(...staticClosure(path.resolve(path.dirname(file), m[1]!), seen));
  return out;
}

async function entrySize(entry: string): Promise<Size> {
  let total = zero();
  for (const file of staticClosure(path.join(dist, entry))) {
    const { code } = await transform(readFileSync(file, 'utf8'), { minify: true, format: 'esm', target: 'es2022' });
    total = add(total, sizeOf(code));
  }
  return total;
}

interface Manifest {
  [key: string]: { file: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[]; css?: string[]; name?: string };
}

/** Builds one host page for production (React in a chunk of its own) and returns its manifest. */
async function buildApp(name: string, outDir: string): Promise<Manifest> {
  await build({
    configFile: false,
    root: path.join(here, 'weight-apps', name),
    logLevel: 'error',
    // A production build whatever NODE_ENV the caller has (Vitest sets "test", and Vite would then
    // keep React Query's development-only code).
    mode: 'production',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    plugins: [react()],
    resolve: {
      alias: [
        // The host consumes the built package, as from npm.
        { find: /^airbyte-embed-kit\/styles\.css$/, replacement: path.join(dist, 'styles.css') },
        { find: /^airbyte-embed-kit$/, replacement: path.join(dist, 'index.js') },
        { find: /^airbyte-embed-kit\/form$/, replacement: path.join(dist, 'form.js') },
      ],
    },
    build: {
      outDir,
      emptyOutDir: true,
      manifest: true,
      rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ }] } } },
    },
  });
  return JSON.parse(readFileSync(path.join(outDir, '.vite/manifest.json'), 'utf8')) as Manifest;
}

/** Files loaded before anything lazy: the entry, its static imports (recursively) and their CSS. */
function initialFiles(manifest: Manifest): Set<string> {
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key]!;
    if (files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imp of chunk.imports ?? []) visit(imp);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  return files;
}

/** A lazy chunk's files (it and its static imports) that the page has not loaded already. */
function lazyFiles(manifest: Manifest, key: string, initial: Set<string>): string[] {
  const files = new Set<string>();
  const visit = (k: string) => {
    const chunk = manifest[k]!;
    if (files.has(chunk.file) || initial.has(chunk.file)) return;
    files.add(chunk.file);
    for (const imp of chunk.imports ?? []) visit(imp);
  };
  visit(key);
  return [...files];
}

function total(outDir: string, files: Iterable<string>, skip: (file: string) => boolean): Size {
  let sum = zero();
  for (const f of files) if (!skip(f)) sum = add(sum, sizeOf(readFileSync(path.join(outDir, f))));
  return sum;
}

/** What the weight section reports; the catalog-interactive figures are also the size budgets' reference. */
export async function measureWeight(log: (line: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  for (const entry of ['index.js', 'form.js', 'server.js', 'testing.js']) {
    const s = await entrySize(entry);
    rows.push({ section: 'weight', name: `entry ${entry.replace('.js', '')}: own code, minified (gzip / brotli in note)`, kit: s.min, baseline: Number.NaN, unit: 'B', ratio: Number.NaN, goal: '', met: true, note: `gzip ${s.gzip} B, brotli ${s.brotli} B; dependencies not included` });
  }
  const out = path.join(root, 'node_modules/.cache/aek-bench');
  const kitDir = path.join(out, 'weight-kit');
  const baseDir = path.join(out, 'weight-baseline');
  const kit = await buildApp('kit', kitDir);
  const base = await buildApp('baseline', baseDir);
  const isReact = (f: string) => /(^|\/)react-[\w-]+\.js$/.test(f);
  const initial = initialFiles(kit);
  const kitInitial = total(kitDir, initial, isReact);
  const baseInitial = total(baseDir, initialFiles(base), isReact);
  const react = total(kitDir, initial, (f) => !isReact(f));
  const dynamic = Object.entries(kit).filter(([, c]) => !c.isEntry && !initial.has(c.file) && Object.values(kit).some((o) => o.dynamicImports?.includes(Object.keys(kit).find((k) => kit[k] === c)!)));
  // A form open in the widget is the configure view (summary, stream chooser, sign-in) and the
  // form itself: both lazy chunks and what they import that the page does not have yet.
  const formKey = dynamic.find(([, c]) => /SourceForm/.test(c.file))?.[0];
  const viewKey = dynamic.find(([, c]) => /ConfigureView/.test(c.file))?.[0];
  if (!formKey || !viewKey) throw new Error('the kit page has no lazy form or configure-view chunk: they are in the initial bundle');
  const formFiles = [...new Set([...lazyFiles(kit, viewKey, initial), ...lazyFiles(kit, formKey, initial)])];
  const kitForm = total(kitDir, formFiles, isReact);
  const locales = dynamic.filter(([, c]) => /(^|\/)(de|fr|es|ja|ar)-[\w-]+\.js$/.test(c.file)).map(([k]) => total(kitDir, lazyFiles(kit, k, initial), () => false));
  log(`  kit page loads ${[...initial].filter((f) => !isReact(f)).join(', ')} first; a form adds ${formFiles.join(', ')}`);
  for (const kind of ['min', 'gzip', 'brotli'] as const) {
    const ratio = kitInitial[kind] / baseInitial[kind];
    rows.push({
      section: 'weight',
      name: `host page before the catalog is interactive, ${kind === 'min' ? 'minified' : kind} (React not counted)`,
      kit: kitInitial[kind],
      baseline: baseInitial[kind],
      unit: 'B',
      ratio,
      goal: '≤ 0.25× baseline',
      met: ratio <= 0.25,
      note: kind === 'gzip' ? `baseline: plain RJSF form + validator-ajv8 + React Query; React (${react.gzip} B gzip) left out of both` : '',
    });
  }
  // With a form open the kit page has loaded its catalog code and the form chunk; the baseline page
  // (one form, nothing lazy) has loaded everything it has.
  const kitWithForm = add(kitInitial, kitForm);
  const ratioWithForm = kitWithForm.gzip / baseInitial.gzip;
  rows.push({
    section: 'weight',
    name: 'host page with a form open, gzip (React not counted)',
    kit: kitWithForm.gzip,
    baseline: baseInitial.gzip,
    unit: 'B',
    ratio: ratioWithForm,
    goal: '≤ 1.0× baseline',
    met: ratioWithForm <= 1,
    note: `catalog code + configure view + form chunk vs the whole baseline page; minified ${kitWithForm.min} / ${baseInitial.min} B, brotli ${kitWithForm.brotli} / ${baseInitial.brotli} B`,
  });
  // The issue counts JavaScript: the same page without the kit's stylesheet (the baseline has none).
  const isCss = (f: string) => f.endsWith('.css');
  const kitWithFormJs = add(total(kitDir, initial, (f) => isReact(f) || isCss(f)), total(kitDir, formFiles, (f) => isReact(f) || isCss(f)));
  rows.push({
    section: 'weight',
    name: 'host page with a form open, JavaScript only, gzip (React not counted)',
    kit: kitWithFormJs.gzip,
    baseline: baseInitial.gzip,
    unit: 'B',
    ratio: kitWithFormJs.gzip / baseInitial.gzip,
    goal: '',
    met: true,
    note: `the row above without styles.css (${kitWithForm.gzip - kitWithFormJs.gzip} B gzip), which the plain RJSF page does not have`,
  });
  // The baseline's own page with the kit's SourceForm in place of plain RJSF + validator-ajv8:
  // what a host that renders only the form (no catalog, no widget) ships.
  const formOnlyDir = path.join(out, 'weight-form-only');
  const formOnly = total(formOnlyDir, initialFiles(await buildApp('form-only', formOnlyDir)), isReact);
  const ratioFormOnly = formOnly.gzip / baseInitial.gzip;
  rows.push({
    section: 'weight',
    name: 'host page with only SourceForm (airbyte-embed-kit/form), gzip (React not counted)',
    kit: formOnly.gzip,
    baseline: baseInitial.gzip,
    unit: 'B',
    ratio: ratioFormOnly,
    goal: '≤ 1.0× baseline',
    met: ratioFormOnly <= 1,
    note: `the baseline page with SourceForm in place of <Form validator={ajv8}>; minified ${formOnly.min} / ${baseInitial.min} B, brotli ${formOnly.brotli} / ${baseInitial.brotli} B`,
  });
  // Issue 18's own figure set the form chunk alone (155.7 KiB gzip then) against the whole baseline page.
  rows.push({ section: 'weight', name: 'added when a form opens (configure view, RJSF, validator, form code), gzip', kit: kitForm.gzip, baseline: baseInitial.gzip, unit: 'B', ratio: kitForm.gzip / baseInitial.gzip, goal: '', met: true, note: `the lazy chunks alone against the whole baseline page (issue 18 found this form chunk at 155.7 KiB gzip); minified ${kitForm.min} B, brotli ${kitForm.brotli} B` });
  if (locales.length) {
    const avg = locales.reduce((a, b) => a + b.gzip, 0) / locales.length;
    rows.push({ section: 'weight', name: 'added by a language other than English, gzip (average of 5)', kit: Math.round(avg), baseline: Number.NaN, unit: 'B', ratio: Number.NaN, goal: '', met: true });
  }
  return rows;
}
