/**
 * Form speed: the kit's SourceForm against plain RJSF <Form> with validator-ajv8, on the five
 * largest real connector specs, in headless Chromium at native speed and with the CPU throttled
 * 4× (DevTools Emulation.setCPUThrottlingRate). Both forms are production builds on one page.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { chromium, type Browser, type Page } from 'playwright-core';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../chromium.ts';
import { median, quantile, type Row } from './report.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');

/** The five largest real specs (by file size) in ../shared/connector-specs. */
export const FORM_SPECS = ['source-google-analytics-data-api', 'source-s3', 'source-azure-blob-storage', 'source-gcs', 'source-sftp-bulk'];

type Kind = 'kit' | 'plain';
type Spec = Record<string, unknown>;

interface Options {
  specsDir: string;
  /** Fresh page loads per "first" measurement (median taken). */
  runs: number;
  keystrokes: number;
  throttles: number[];
  log: (line: string) => void;
}

/** Paths of text inputs, deepest first: through object properties and each oneOf's first option. */
export function textFieldPaths(node: Spec, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  const props = node.properties as Record<string, Spec> | undefined;
  for (const [key, child] of Object.entries(props ?? {})) {
    const p = [...prefix, key];
    const type = Array.isArray(child.type) ? (child.type as string[]).find((t) => t !== 'null') : child.type;
    if (type === 'string' && !child.enum && !child.const && !child.format && !child.airbyte_secret && !child.airbyte_hidden && !child.multiline) out.push(p);
    if (child.properties) out.push(...textFieldPaths(child, p));
    const first = (child.oneOf as Spec[] | undefined)?.[0];
    if (first) out.push(...textFieldPaths(first, p));
  }
  return out.sort((a, b) => b.length - a.length);
}

async function buildPage(outDir: string) {
  await build({
    configFile: false,
    root: path.join(here, 'form-page'),
    logLevel: 'error',
    plugins: [react()],
    resolve: {
      alias: [
        { find: /^airbyte-embed-kit\/styles\.css$/, replacement: path.join(root, 'src/react/styles.css') },
        { find: /^airbyte-embed-kit\/form$/, replacement: path.join(root, 'src/form.ts') },
      ],
    },
    build: { outDir, emptyOutDir: true },
  });
}

interface Session {
  page: Page;
  /** How long a user looks at the form before acting: long enough for idle-time work to run. */
  idleMs: number;
  mount(kind: Kind, liveValidate?: boolean): Promise<number>;
}

/** A fresh page (no compiled validators, no caches) with the CPU throttled, the spec mounted. */
async function open(browser: Browser, url: string, spec: Spec, throttle: number): Promise<Session> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const cdp = await page.context().newCDPSession(page);
  await page.goto(url);
  await page.waitForFunction(() => 'bench' in window);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  return {
    page,
    idleMs: throttle === 1 ? 400 : 900,
    mount: (kind, liveValidate = false) => page.evaluate(([k, s, l]) => (window as any).bench.mount(k, s, l), [kind, spec, liveValidate] as const),
  };
}

const samples = (page: Page): Promise<number[]> => page.evaluate(() => (window as any).bench.takeSamples());
const settle = (page: Page, ms: number) => page.evaluate((t) => (window as any).bench.settle(t), ms);

/** What a user does first: look at the form for a second, then submit it empty. */
async function mountAndSubmit(s: Session, kind: Kind) {
  const mount = await s.mount(kind);
  await settle(s.page, s.idleMs);
  await s.page.locator('button[type="submit"]').first().click();
  await settle(s.page, 50);
  const [submit] = await samples(s.page);
  return { mount, submit: submit! };
}

async function firstLiveKeystroke(s: Session, kind: Kind, field: string[]) {
  await s.mount(kind, true);
  await s.page.evaluate(() => (window as any).bench.openAll());
  await settle(s.page, s.idleMs);
  const selector = await s.page.evaluate((p) => (window as any).bench.inputFor(p), field);
  if (!selector) throw new Error(`no input for ${field.join('.')} in the ${kind} form`);
  await s.page.focus(selector);
  await samples(s.page);
  await s.page.keyboard.press('a');
  await settle(s.page, 50);
  return (await samples(s.page))[0]!;
}

async function arrayAdd(s: Session, kind: Kind) {
  await s.mount(kind);
  await s.page.evaluate(() => (window as any).bench.openAll());
  await settle(s.page, s.idleMs);
  await samples(s.page);
  await s.page.locator('[id$="_custom_reports_array__add"]').click();
  await settle(s.page, 50);
  return (await samples(s.page)).at(-1)!;
}

async function keystrokes(s: Session, kind: Kind | 'bare', field: string[], count: number, seed: number): Promise<{ paint: number[]; busy: number[] }> {
  let selector = '#bare';
  if (kind === 'bare') await s.page.evaluate(() => (window as any).bench.mountBareInput());
  else {
    await s.mount(kind);
    await s.page.evaluate(() => (window as any).bench.openAll());
    await settle(s.page, s.idleMs);
    selector = (await s.page.evaluate((p) => (window as any).bench.inputFor(p), field))!;
  }
  await s.page.focus(selector);
  await samples(s.page);
  await s.page.evaluate(() => (window as any).bench.takeBusy());
  // Random pauses (10–60 ms) so keys do not land in step with the frame clock.
  const rng = xoroshiro128plus(seed);
  for (let i = 0; i < count; i++) {
    await s.page.keyboard.press(String.fromCharCode(97 + (i % 26)));
    await s.page.waitForTimeout(uniformInt(rng, 10, 60));
  }
  await settle(s.page, 100);
  return { paint: await samples(s.page), busy: await s.page.evaluate(() => (window as any).bench.takeBusy()) };
}

/** Runs every measurement; one row per metric, spec and throttle, kit beside plain RJSF. */
export async function measureFormSpeed(options: Options): Promise<Row[]> {
  const outDir = path.join(root, 'node_modules/.cache/aek-bench/form-page');
  await buildPage(outDir);
  const server = await preview({ configFile: false, root: path.join(here, 'form-page'), build: { outDir }, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
  const url = server.resolvedUrls!.local[0]!;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  const rows: Row[] = [];
  const floors = new Map<number, { paint: number[]; busy: number[] }>();
  try {
    // One untimed load first: the browser's first page pays for cold caches and code compilation.
    const warm = await open(browser, url, { type: 'object', properties: { a: { type: 'string' } } }, 1);
    await warm.mount('kit');
    await warm.mount('plain');
    await warm.page.close();
    for (const name of FORM_SPECS) {
      const spec = JSON.parse(readFileSync(path.join(options.specsDir, 'sources', `${name}.json`), 'utf8')).connectionSpecification as Spec;
      // The same deep field in both forms: the deepest text input both render.
      const field = await pickField(browser, url, spec);
      for (const throttle of options.throttles) {
        const label = `${name.replace(/^source-/, '')} ${throttle === 1 ? 'native' : `${throttle}× CPU`}`;
        const per: Record<Kind, { mount: number[]; submit: number[]; live: number[]; add: number[]; keys: { paint: number[]; busy: number[] } }> = {
          kit: { mount: [], submit: [], live: [], add: [], keys: { paint: [], busy: [] } },
          plain: { mount: [], submit: [], live: [], add: [], keys: { paint: [], busy: [] } },
        };
        for (let run = 0; run < options.runs; run++) {
          for (const kind of ['plain', 'kit'] as const) {
            const a = await open(browser, url, spec, throttle);
            const first = await mountAndSubmit(a, kind);
            per[kind].mount.push(first.mount);
            per[kind].submit.push(first.submit);
            await a.page.close();
            const b = await open(browser, url, spec, throttle);
            per[kind].live.push(await firstLiveKeystroke(b, kind, field));
            await b.page.close();
            if (name === 'source-google-analytics-data-api') {
              const c = await open(browser, url, spec, throttle);
              per[kind].add.push(await arrayAdd(c, kind));
              await c.page.close();
            }
          }
        }
        for (const kind of ['plain', 'kit'] as const) {
          const d = await open(browser, url, spec, throttle);
          per[kind].keys = await keystrokes(d, kind, field, options.keystrokes, 42);
          await d.page.close();
        }
        // The harness's floor, once per throttle: a bare <input> typed into the same way.
        if (!floors.has(throttle)) {
          const e = await open(browser, url, spec, throttle);
          floors.set(throttle, await keystrokes(e, 'bare', field, options.keystrokes, 42));
          await e.page.close();
        }
        const bare = floors.get(throttle)!;
        const row = (metric: string, kit: number, plain: number, goal: { maxRatio?: number; maxKitMs?: number }): Row => ({
          section: 'form',
          name: `${label}: ${metric}`,
          kit,
          baseline: plain,
          unit: 'ms',
          ratio: kit / plain,
          goal: [goal.maxRatio !== undefined ? `≤ ${goal.maxRatio}× plain` : '', goal.maxKitMs !== undefined ? `kit ≤ ${goal.maxKitMs} ms` : ''].filter(Boolean).join(', '),
          met: (goal.maxRatio === undefined || kit / plain <= goal.maxRatio) && (goal.maxKitMs === undefined || kit <= goal.maxKitMs),
        });
        rows.push(row('mount → first paint', median(per.kit.mount), median(per.plain.mount), { maxRatio: 0.5 }));
        rows.push(row('first submit → errors painted', median(per.kit.submit), median(per.plain.submit), { maxRatio: 0.5 }));
        rows.push(row('first keystroke, live validation', median(per.kit.live), median(per.plain.live), { maxRatio: 0.5 }));
        if (per.kit.add.length) rows.push(row('add a custom report (array of objects)', median(per.kit.add), median(per.plain.add), { maxRatio: 0.5 }));
        const keys = `${per.kit.keys.paint.length} keys in ${field.join('.')}`;
        const floor = `a bare <input>: ${quantile(bare.paint, 0.5).toFixed(0)}/${quantile(bare.paint, 0.95).toFixed(0)} ms`;
        rows.push({ ...row(`keystroke → paint p50`, quantile(per.kit.keys.paint, 0.5), quantile(per.plain.keys.paint, 0.5), { maxRatio: 1 }), note: `${keys}; ${floor}` });
        rows.push({ ...row('keystroke → paint p95', quantile(per.kit.keys.paint, 0.95), quantile(per.plain.keys.paint, 0.95), { maxRatio: 1 }), note: floor });
        rows.push({
          ...row('keystroke work p95', quantile(per.kit.keys.busy, 0.95), quantile(per.plain.keys.busy, 0.95), { maxRatio: 1, ...(throttle === 4 ? { maxKitMs: 16.7 } : {}) }),
          note: `event to end of its handlers + React render + commit; a bare <input>: ${quantile(bare.busy, 0.95).toFixed(1)} ms`,
        });
        options.log(rows.slice(-7).map((r) => `  ${r.name}: kit ${r.kit.toFixed(1)} ms, plain ${r.baseline.toFixed(1)} ms (${r.ratio.toFixed(2)}×)`).join('\n'));
      }
    }
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.httpServer.close(() => r()));
  }
  return rows;
}

async function pickField(browser: Browser, url: string, spec: Spec): Promise<string[]> {
  const found: Record<Kind, Set<string>> = { kit: new Set(), plain: new Set() };
  for (const kind of ['kit', 'plain'] as const) {
    const s = await open(browser, url, spec, 1);
    await s.mount(kind);
    await s.page.evaluate(() => (window as any).bench.openAll());
    await settle(s.page, 100);
    for (const p of textFieldPaths(spec)) if (await s.page.evaluate((q) => (window as any).bench.inputFor(q), p)) found[kind].add(p.join('.'));
    await s.page.close();
  }
  const both = textFieldPaths(spec).find((p) => found.kit.has(p.join('.')) && found.plain.has(p.join('.')));
  if (!both) throw new Error('no text field rendered by both forms');
  return both;
}
