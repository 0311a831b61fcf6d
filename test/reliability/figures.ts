/**
 * Reliability figures: each scenario records rows (what was tried, what held), printed as it
 * finishes and written to test-results/reliability/<scenario>.json for the combined table
 * (`npm run test:reliability` prints it at the end).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `RELIABILITY=full` runs the full counts; `npm test` runs the same code with small ones. */
export const FULL = process.env.RELIABILITY === 'full';
export const size = (short: number, full: number) => (FULL ? full : short);

export interface FigureRow {
  scenario: string;
  check: string;
  tried: number;
  held: number;
  note?: string;
}

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results/reliability');

export function report(scenario: string, rows: FigureRow[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${scenario.replace(/\W+/g, '-')}.json`), JSON.stringify({ mode: FULL ? 'full' : 'short', rows }, null, 1));
  console.info(rows.map((r) => `[reliability] ${r.scenario} | ${r.check}: ${r.held}/${r.tried}${r.note ? ` (${r.note})` : ''}`).join('\n'));
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
