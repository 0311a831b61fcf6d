import { Cron } from 'croner';

/**
 * Airbyte's check of a Quartz expression on connection create/update: 6 or 7 fields, a trailing
 * " UTC" allowed, integer seconds and minutes (so nothing runs more often than hourly), and a
 * syntax Quartz accepts (checked by croner). Returns the normalized expression, or Airbyte's message.
 */
export function checkAirbyteCron(expression: string | undefined): { ok: true; cron: string } | { ok: false; message: string } {
  if (!expression || !expression.trim()) return { ok: false, message: 'Missing cron expression in the schedule.' };
  const cron = expression.trim().replace(/\s+UTC$/i, '');
  const invalid = {
    ok: false as const,
    message: `The cron expression ${cron} is not valid or is less than the one hour minimum. The seconds and minutes values cannot be \`*\`.`,
  };
  const fields = cron.split(/\s+/);
  if (fields.length < 6 || fields.length > 7) return invalid;
  const [sec, min] = fields as [string, string];
  if (!/^\d{1,2}$/.test(sec) || Number(sec) > 59 || !/^\d{1,2}$/.test(min) || Number(min) > 59) return invalid;
  try {
    new Cron(cron, { timezone: 'UTC', paused: true });
  } catch {
    return invalid;
  }
  return { ok: true, cron };
}

/**
 * The next `count` run times (ISO, UTC) of a valid Quartz expression after `from`. They stay the
 * same until the first of them passes, so they are computed once per expression until then (a
 * list of sources asks for the same few schedules on every request).
 */
export function nextRuns(cron: string, count: number, from: number = Date.now()): string[] {
  const key = `${cron}|${count}`;
  const cached = upcoming.get(key);
  if (cached && cached.from <= from && cached.firstAt > from) return cached.runs;
  const times = cronRunsBetween(cron, from, Number.POSITIVE_INFINITY, count);
  const runs = times.map((t) => new Date(t).toISOString().replace(/\.000Z$/, 'Z'));
  if (upcoming.size > 500) upcoming.clear();
  upcoming.set(key, { from, firstAt: times[0] ?? Number.POSITIVE_INFINITY, runs });
  return runs;
}

const upcoming = new Map<string, { from: number; firstAt: number; runs: string[] }>();
const parsed = new Map<string, Cron>();

/** Run times of a (valid) Quartz expression in (after, until], UTC, at most `limit` of them. */
export function cronRunsBetween(cron: string, after: number, until: number, limit = 1000): number[] {
  let job = parsed.get(cron);
  if (!job) {
    job = new Cron(cron, { timezone: 'UTC', paused: true });
    if (parsed.size > 500) parsed.clear();
    parsed.set(cron, job);
  }
  const runs: number[] = [];
  let cursor = new Date(after);
  while (runs.length < limit) {
    const next = job.nextRun(cursor);
    if (!next || next.getTime() > until) break;
    runs.push(next.getTime());
    cursor = next;
  }
  return runs;
}
