/** Prints the combined table of the reliability scenarios' figures (test-results/reliability/*.json). */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test-results/reliability');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const rows: string[][] = [['scenario', 'check', 'held / tried', 'notes']];
for (const f of files) {
  const { mode, rows: data } = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { mode: string; rows: Array<{ scenario: string; check: string; tried: number; held: number; note?: string }> };
  for (const r of data) rows.push([`${r.scenario}${mode === 'full' ? '' : ' (short)'}`, r.check, `${r.held} / ${r.tried}`, r.note ?? '']);
}
const widths = rows[0]!.map((_, i) => Math.min(60, Math.max(...rows.map((r) => r[i]!.length))));
for (const [i, r] of rows.entries()) {
  console.log(r.map((c, j) => (j === 3 ? c : c.padEnd(widths[j]!))).join(' | '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
}
const failed = rows.slice(1).filter((r) => { const [h, t] = r[2]!.split(' / ').map(Number); return h !== t; });
console.log(`\n${rows.length - 1} checks, ${failed.length} not held`);
