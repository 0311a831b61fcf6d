/**
 * `npm run bench`: every figure of the kit beside its baseline, measured in this one run (these
 * machines are noisy, so only same-run ratios mean anything), printed as a table and written to
 * docs/benchmarks.json. Sections: weight, upstream calls, proxy, fairness, end to end, form speed,
 * validators (the eval-free interpreter and precompiled modules beside Ajv).
 * `BENCH_ONLY=weight,form` runs some sections and replaces only their rows in docs/benchmarks.json
 * (the page names the sections measured since the full run); the form section needs ../shared/connector-specs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureEndToEnd } from './endToEnd.ts';
import { measureFairness } from './fairness.ts';
import { FORM_SPECS, measureFormSpeed } from './formSpeed.ts';
import { measureProxyLoad } from './proxyLoad.ts';
import { markdown, table, type Row } from './report.ts';
import { measureUpstreamCalls } from './upstreamCalls.ts';
import { measureValidators } from './validators.ts';
import { measureWeight } from './weight.ts';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const specsDir = path.resolve(root, '../shared/connector-specs');
const only = process.env.BENCH_ONLY?.split(',');
const wanted = (section: string) => !only || only.includes(section);
const log = (line: string) => console.log(line);
const started = Date.now();
const rows: Row[] = [];
const skipped: string[] = [];

async function section(name: string, run: () => Promise<Row[]>) {
  if (!wanted(name)) return;
  const t0 = Date.now();
  log(`\n▸ ${name}`);
  const result = await run();
  rows.push(...result);
  log(table(result));
  log(`  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}

log(`airbyte-embed-kit benchmarks — ${new Date().toISOString()} — ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}`);
if (wanted('weight')) {
  log('building the package (tsdown)…');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'ignore' });
}
await section('weight', () => measureWeight(log));
await section('calls', () => measureUpstreamCalls());
await section('proxy', () => measureProxyLoad({ durationSeconds: 3, connections: [1, 16, 64], memoryRequests: 10_000, latenciesMs: [0, 50], log }));
await section('fairness', () => measureFairness({ burst: 60, reads: 40, latencyMs: 50, log }));
await section('e2e', () => measureEndToEnd({ latencyMs: 80, runs: 3, log }));
if (wanted('form')) {
  if (existsSync(path.join(specsDir, 'sources', `${FORM_SPECS[0]}.json`))) {
    await section('form', () => measureFormSpeed({ specsDir, runs: 3, keystrokes: 50, throttles: [1, 4], log }));
  } else {
    skipped.push(`form: ${specsDir} not found (the five largest real specs are read from there)`);
    log(`\nSKIPPED form speed: ${specsDir} not found`);
  }
}

if (wanted('validators')) {
  if (existsSync(path.join(specsDir, 'sources', `${FORM_SPECS[0]}.json`))) {
    await section('validators', () => measureValidators({ specsDir, specs: FORM_SPECS, log }));
  } else {
    skipped.push(`validators: ${specsDir} not found`);
    log(`\nSKIPPED validators: ${specsDir} not found`);
  }
}

const seconds = (Date.now() - started) / 1000;
const goals = rows.filter((r) => r.goal);
log(`\n${table(rows)}`);
log(`\n${goals.filter((r) => r.met).length} of ${goals.length} goals met; ${seconds.toFixed(0)} s in all.${skipped.length ? ` Skipped: ${skipped.join('; ')}` : ''}`);
const out = path.join(root, 'docs/benchmarks.json');
const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model.trim(), memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
const today = new Date().toISOString();
// A run of some sections (BENCH_ONLY) replaces only their rows in docs/benchmarks.json: the other
// sections keep the figures of the last run that measured them, and the page says which is which.
interface Saved {
  date: string;
  machine: typeof machine;
  seconds: number;
  skipped: string[];
  rows: Row[];
  reruns?: Record<string, string>;
}
const previous = only && existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Saved) : undefined;
const ranSections = [...new Set(rows.map((r) => r.section))];
const order = ['weight', 'calls', 'proxy', 'fairness', 'e2e', 'form', 'validators'];
const rank = (r: Row) => (order.indexOf(r.section) + order.length + 1) % (order.length + 1);
const saved: Saved = previous
  ? {
      ...previous,
      rows: [...previous.rows.filter((r) => !ranSections.includes(r.section)), ...rows].sort((a, b) => rank(a) - rank(b)),
      reruns: { ...previous.reruns, ...Object.fromEntries(ranSections.map((name) => [name, `${today.slice(0, 10)} (${machine.cpus} × ${machine.model}, Node ${machine.node}, ${seconds.toFixed(0)} s)`])) },
    }
  : { date: today, machine, seconds: Math.round(seconds), skipped, rows };
writeFileSync(out, `${JSON.stringify(saved, null, 2)}\n`);
const savedGoals = saved.rows.filter((r) => r.goal);
const reruns = Object.entries(saved.reruns ?? {});
writeFileSync(
  path.join(root, 'docs/benchmarks.md'),
  [
    `# Benchmarks\n\n\`npm run bench\`, ${saved.date.slice(0, 10)}, ${saved.machine.cpus} × ${saved.machine.model}, Node ${saved.machine.node}, ${saved.seconds} s.`,
    saved.skipped.length ? ` Skipped: ${saved.skipped.join('; ')}.` : '',
    reruns.length ? ` Sections measured again since, alone (\`BENCH_ONLY\`): ${reruns.map(([name, when]) => `${name} ${when}`).join('; ')}.` : '',
    ` ${savedGoals.filter((r) => r.met).length} of ${savedGoals.length} goals met. Generated from docs/benchmarks.json; see the README's Performance section for how each figure is measured.\n\n${markdown(saved.rows)}\n`,
  ].join(''),
);
log(`written to ${path.relative(root, out)} and docs/benchmarks.md`);
