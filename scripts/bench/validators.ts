/**
 * The two ways to validate a form without `eval` in the browser, side by side with the Ajv
 * validator they replace (which needs `'unsafe-eval'`), on the five largest real specs, in Node:
 * - the kit's interpreter (`formValidator`, @cfworker/json-schema): nothing to ship per template;
 * - Ajv standalone code that a proxy would precompile per template and serve as a module
 *   (`ajv/dist/standalone`, written to a file and imported, as a browser would load it).
 * Figures: first validation (compile or import included) and a re-validation, median of 7 with a
 * fresh schema object each time; and the precompiled module's gzip size per template.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { customizeValidator } from '@rjsf/validator-ajv8';
import type { RJSFSchema } from '@rjsf/utils';
import { formValidator } from '../../src/react/form/validator.ts';
import { toFormSchema } from '../../src/shared/form/formSchema.ts';
import { initialValues } from '../../src/shared/form/formValues.ts';
import type { JsonSchema } from '../../src/shared/contract.ts';
import { median, type Row } from './report.ts';

const RUNS = 7;

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/**
 * Ajv's ESM standalone code still `require`s its runtime helpers (equal, ucs2length…): as a
 * module a page can import, those become imports (a proxy serving it would bundle them).
 */
function asModule(code: string): string {
  const imports: string[] = [];
  const body = code.replace(/require\("([^"]+)"\)/g, (_m, spec: string) => {
    imports.push(`import __r${imports.length} from ${JSON.stringify(`${spec}.js`)};`);
    return `__r${imports.length - 1}`;
  });
  return `${imports.join('\n')}\n${body.replace(/^"use strict";/, '')}`;
}

/** One spec's figures, all from fresh copies of its form schema. */
async function measure(spec: JsonSchema, dir: string, name: string) {
  const form = toFormSchema(spec).schema;
  const fresh = () => structuredClone(form) as RJSFSchema;
  const data = initialValues(form, {});
  const ajvForm = () => customizeValidator({ ajvOptionsOverrides: { strict: false, unicodeRegExp: false, validateSchema: false, code: { optimize: false } } });
  const interpreterFirst: number[] = [];
  const interpreterAgain: number[] = [];
  const ajvFirst: number[] = [];
  const ajvAgain: number[] = [];
  const precompiledFirst: number[] = [];
  const precompiledAgain: number[] = [];
  let moduleGzip = 0;
  for (let i = 0; i < RUNS; i++) {
    const a = fresh();
    interpreterFirst.push(time(() => formValidator.rawValidation(a, data)));
    interpreterAgain.push(time(() => formValidator.rawValidation(a, data)));
    const v = ajvForm();
    const b = fresh();
    ajvFirst.push(time(() => v.rawValidation(b, data)));
    ajvAgain.push(time(() => v.rawValidation(b, data)));
    // What the proxy would do once per template (not timed), then what the page does: import, validate.
    const ajv = new Ajv({ strict: false, unicodeRegExp: false, validateSchema: false, allErrors: true, code: { source: true, esm: true } });
    const code = asModule(standaloneCode(ajv, ajv.compile(fresh())));
    const file = path.join(dir, `${name}-${i}.mjs`);
    writeFileSync(file, code);
    moduleGzip = gzipSync(readFileSync(file)).length;
    const t0 = performance.now();
    const mod = (await import(pathToFileURL(file).href)) as { default: (d: unknown) => boolean };
    mod.default(data);
    precompiledFirst.push(performance.now() - t0);
    precompiledAgain.push(time(() => mod.default(data)));
  }
  return {
    interpreterFirst: median(interpreterFirst),
    interpreterAgain: median(interpreterAgain),
    ajvFirst: median(ajvFirst),
    ajvAgain: median(ajvAgain),
    precompiledFirst: median(precompiledFirst),
    precompiledAgain: median(precompiledAgain),
    moduleGzip,
  };
}

/** Rows for the `validators` section; `specsDir` is ../shared/connector-specs. */
export async function measureValidators(options: { specsDir: string; specs: string[]; log: (line: string) => void }): Promise<Row[]> {
  // Inside the repo, so the modules' imports of Ajv's runtime resolve.
  const cache = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(path.join(cache, 'aek-validators-'));
  const rows: Row[] = [];
  for (const name of options.specs) {
    const raw = JSON.parse(readFileSync(path.join(options.specsDir, 'sources', `${name}.json`), 'utf8')) as { connectionSpecification?: JsonSchema; spec?: { connectionSpecification?: JsonSchema } };
    const spec = raw.connectionSpecification ?? raw.spec?.connectionSpecification;
    if (!spec) continue;
    const m = await measure(spec, dir, name);
    const short = name.replace(/^source-/, '');
    rows.push({ section: 'validators', name: `${short}: first validation, eval-free interpreter vs Ajv compile (needs unsafe-eval)`, kit: m.interpreterFirst, baseline: m.ajvFirst, unit: 'ms', ratio: m.interpreterFirst / m.ajvFirst, goal: '', met: true, note: `re-validation ${m.interpreterAgain.toFixed(2)} vs ${m.ajvAgain.toFixed(2)} ms` });
    rows.push({ section: 'validators', name: `${short}: first validation, precompiled Ajv module (import + run) vs Ajv compile`, kit: m.precompiledFirst, baseline: m.ajvFirst, unit: 'ms', ratio: m.precompiledFirst / m.ajvFirst, goal: '', met: true, note: `module ${(m.moduleGzip / 1024).toFixed(1)} KiB gzip per template, served by the proxy; re-validation ${m.precompiledAgain.toFixed(2)} ms` });
    options.log(`  ${short}: interpreter ${m.interpreterFirst.toFixed(2)} ms, precompiled ${m.precompiledFirst.toFixed(2)} ms (${(m.moduleGzip / 1024).toFixed(1)} KiB gzip), Ajv compile ${m.ajvFirst.toFixed(1)} ms`);
  }
  return rows;
}
