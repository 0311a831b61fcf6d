import cronstrue from 'cronstrue';
import type { ScheduleInfo } from './contract.ts';
import { nextRuns } from './quartzCron.ts';

/** Airbyte accepts a trailing " UTC" on Quartz expressions and always runs them in UTC. */
export function normalizeCron(expression: string): string {
  return expression.trim().replace(/\s+UTC$/i, '');
}

/**
 * Describes a Quartz cron expression in words, in UTC (e.g. "At 02:15 AM (UTC)").
 * Trap: cronstrue understands Quartz's 6/7 fields and `?`, but it does not validate frequency;
 * validation against Airbyte's hourly minimum is the proxy's and the emulator's job.
 */
export function describeSchedule(cronExpression: string | null | undefined, now: number = Date.now()): ScheduleInfo {
  if (!cronExpression) return { cronExpression: null, description: 'Manually, when you start a sync', nextRuns: [] };
  const expr = normalizeCron(cronExpression);
  let description = descriptions.get(expr);
  if (description === undefined) {
    description = describeInWords(expr);
    if (descriptions.size > 500) descriptions.clear();
    descriptions.set(expr, description);
  }
  let runs: string[] = [];
  try {
    runs = nextRuns(expr, 3, now);
  } catch {
    runs = [];
  }
  return { cronExpression: expr, description, nextRuns: runs };
}

/** Sentences by expression: a list of sources describes the same few schedules again and again. */
const descriptions = new Map<string, string>();

function describeInWords(expr: string): string {
  let description: string;
  try {
    const [, , , dom, month, dow] = expr.split(/\s+/);
    const daily = [dom, month, dow].every((f) => f === '*' || f === '?');
    const text = cronstrue.toString(expr, { verbose: false, use24HourTimeFormat: false });
    // cronstrue leaves "every day" implicit ("At 02:15 AM"); say it, as users read it.
    description = `${text}${daily && !/every|minute|hour/i.test(text) ? ', every day' : ''} (UTC)`;
  } catch {
    description = `On the schedule "${expr}" (UTC)`;
  }
  return description;
}
