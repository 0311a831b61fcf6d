/**
 * `npm run bench`: every figure of the kit beside its baseline, measured in this one run (these
 * machines are noisy, so only same-run ratios mean anything), printed as a table and written to
 * docs/benchmarks.json. Sections: weight, upstream calls, proxy, fairness, end to end, form speed,
 * validators (the eval-free interpreter and precompiled modules beside Ajv).
 * `BENCH_ONLY=weight,form` runs some sections; the form section needs ../shared/connector-specs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
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
writeFileSync(
  out,
  `${JSON.stringify({ date: new Date().toISOString(), machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model.trim(), memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version }, seconds: Math.round(seconds), skipped, rows }, null, 2)}\n`,
);
writeFileSync(
  path.join(root, 'docs/benchmarks.md'),
  `# Benchmarks\n\n\`npm run bench\`, ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}: ${goals.filter((r) => r.met).length} of ${goals.length} goals met, ${seconds.toFixed(0)} s.${skipped.length ? ` Skipped: ${skipped.join('; ')}.` : ''} Generated from docs/benchmarks.json; see the README's Performance section for how each figure is measured.\n\n${markdown(rows)}\n`,
);
log(`written to ${path.relative(root, out)} and docs/benchmarks.md`);
