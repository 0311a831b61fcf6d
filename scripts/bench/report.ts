/** One benchmark figure: the kit's value beside its baseline's, measured in the same run. */
export interface Row {
  section: string;
  name: string;
  kit: number;
  baseline: number;
  unit: string;
  /** kit / baseline. */
  ratio: number;
  /** The goal in words, e.g. "≤ 0.5× plain". */
  goal: string;
  met: boolean;
  note?: string;
}

export function median(values: number[]): number {
  return quantile(values, 0.5);
}

/** Nearest-rank quantile (q in 0..1) of `values`. */
export function quantile(values: number[], q: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const fmt = (value: number, unit: string) => {
  if (unit === 'B') return value >= 1024 ? `${(value / 1024).toFixed(1)} KiB` : `${value} B`;
  if (unit === 'ms') return `${value.toFixed(value < 10 ? 1 : 0)} ms`;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
};

/** The rows as a fixed-width table: name, kit, baseline, ratio, goal, met. */
export function table(rows: Row[]): string {
  const cells = rows.map((r) => [r.section, r.name, fmt(r.kit, r.unit), Number.isFinite(r.baseline) ? fmt(r.baseline, r.unit) : '—', Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}×` : '—', r.goal, r.goal ? (r.met ? 'yes' : 'NO') : '', r.note ?? '']);
  const head = ['section', 'measure', 'kit', 'baseline', 'ratio', 'goal', 'met', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i]!)).join(' | ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}

const cell = (value: number, unit: string) => (Number.isFinite(value) ? fmt(value, unit) : '—');

/** The rows as Markdown tables, one per section, for docs/benchmarks.md. */
export function markdown(rows: Row[]): string {
  const sections = [...new Set(rows.map((r) => r.section))];
  return sections
    .map((section) => {
      const lines = rows
        .filter((r) => r.section === section)
        .map((r) => `| ${r.name} | ${cell(r.kit, r.unit)} | ${cell(r.baseline, r.unit)} | ${Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}×` : '—'} | ${r.goal} | ${r.goal ? (r.met ? 'yes' : '**no**') : ''} | ${r.note ?? ''} |`);
      return [`### ${section}`, '', '| measure | kit | baseline | ratio | goal | met | note |', '|---|---|---|---|---|---|---|', ...lines].join('\n');
    })
    .join('\n\n');
}
