import type { ScheduleInfo } from '../contract.ts';
import type { Translator } from './translator.ts';

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const ANY = new Set(['*', '?']);

/** Quartz day-of-week (1–7 = Sunday–Saturday, or SUN–SAT; lists and ranges) → days 0–6, or undefined. */
function daysOfWeek(field: string): number[] | undefined {
  const day = (token: string): number | undefined => {
    const byName = DAY_NAMES.indexOf(token.toUpperCase());
    if (byName >= 0) return byName;
    return /^[1-7]$/.test(token) ? Number(token) - 1 : undefined;
  };
  const days = new Set<number>();
  for (const part of field.split(',')) {
    const [from, to] = part.split('-');
    const a = day(from ?? '');
    const b = to === undefined ? a : day(to);
    if (a === undefined || b === undefined || b < a) return undefined;
    for (let d = a; d <= b; d++) days.add(d);
  }
  return [...days].sort((x, y) => x - y);
}

const isInt = (s: string | undefined, max: number) => s !== undefined && /^\d{1,2}$/.test(s) && Number(s) <= max;

/**
 * A schedule in the reader's words: "Every day at 02:15 UTC", "Every Monday and Thursday at
 * 06:30 UTC", "Every 6 hours at 15 minutes past". Quartz shapes Airbyte allows (fixed seconds and
 * minutes) are phrased from the catalog; anything else falls back to the server's English
 * description in English and to the raw expression in other languages.
 */
export function scheduleText(schedule: Pick<ScheduleInfo, 'cronExpression' | 'description'>, tr: Translator): string {
  const cron = schedule.cronExpression;
  if (!cron) return tr.t('schedule.manual');
  const [sec, min, hour, dom, month, dow, year] = cron.trim().split(/\s+/);
  const fallback = () => (tr.locale.startsWith('en') && schedule.description ? schedule.description : tr.t('schedule.custom', { cron }));
  if (!isInt(sec, 59) || !isInt(min, 59) || hour === undefined || dom === undefined || dow === undefined) return fallback();
  if (month !== '*' || (year !== undefined && year !== '*')) return fallback();
  const minute = Number(min);
  const everyDay = ANY.has(dom) && ANY.has(dow);
  const step = /^(?:\*|0)\/(\d{1,2})$/.exec(hour);
  if (hour === '*' && everyDay) return tr.t('schedule.hourly', { minute });
  if (step && everyDay) return tr.t('schedule.everyHours', { count: Number(step[1]), minute });
  if (!isInt(hour, 23)) return fallback();
  const time = tr.time(Number(hour), minute);
  if (everyDay) return tr.t('schedule.daily', { time });
  if (ANY.has(dom)) {
    const days = daysOfWeek(dow);
    if (!days) return fallback();
    if (days.join() === '1,2,3,4,5') return tr.t('schedule.weekdays', { time });
    return tr.t('schedule.weekly', { days: tr.list(days.map((d) => tr.weekday(d))), time });
  }
  if (ANY.has(dow) && isInt(dom, 31) && Number(dom) >= 1) return tr.t('schedule.monthly', { day: Number(dom), time });
  return fallback();
}

/** The next run as "Wed, Nov 26, 02:15 UTC (in 4 hours)", or undefined for manual schedules. */
export function nextRunText(schedule: Pick<ScheduleInfo, 'nextRuns'>, tr: Translator, now: number): string | undefined {
  const next = schedule.nextRuns?.find((iso) => Date.parse(iso) > now);
  if (!next) return undefined;
  return tr.t('schedule.inTime', { date: tr.dateTime(next), relative: tr.relative(next, now) });
}
