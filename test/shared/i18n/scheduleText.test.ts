import { describe, expect, it } from 'vitest';
import { de } from '../../../src/shared/i18n/de.ts';
import { ja } from '../../../src/shared/i18n/ja.ts';
import { nextRunText, scheduleText } from '../../../src/shared/i18n/scheduleText.ts';
import { createTranslator } from '../../../src/shared/i18n/translator.ts';

const en = createTranslator('en');
const say = (cronExpression: string | null, description = 'server words') => scheduleText({ cronExpression, description }, en);

describe('scheduleText', () => {
  it('says the schedules Airbyte allows in words, in UTC', () => {
    expect(say('0 15 2 * * ?')).toBe('Every day at 02:15 UTC');
    expect(say('0 0 * * * ?')).toBe('Every hour, at minute 0');
    expect(say('0 30 */6 * * ?')).toBe('Every 6 hours, at minute 30');
    expect(say('0 30 6 ? * MON-FRI')).toBe('Every weekday (Monday to Friday) at 06:30 UTC');
    expect(say('0 0 18 ? * 2,4')).toBe('Every Monday and Wednesday at 18:00 UTC');
    expect(say('0 0 9 ? * SUN')).toBe('Every Sunday at 09:00 UTC');
    expect(say('0 45 23 1 * ?')).toBe('On day 1 of every month at 23:45 UTC');
    expect(say(null)).toBe('Only when you start a sync');
  });

  it('falls back to the server’s description in English and the expression elsewhere', () => {
    expect(say('0 0 12 L * ?', 'At 12:00 PM, on the last day of the month (UTC)')).toBe('At 12:00 PM, on the last day of the month (UTC)');
    expect(scheduleText({ cronExpression: '0 0 12 L * ?', description: 'x' }, createTranslator('de', de))).toBe('Nach einem eigenen Zeitplan (0 0 12 L * ?, UTC)'.replace('Nach einem eigenen Zeitplan', de['schedule.custom'].split(' (')[0]!));
  });

  it('uses the locale’s words for days and times', () => {
    const tr = createTranslator('de', de);
    expect(scheduleText({ cronExpression: '0 0 18 ? * 2,4', description: '' }, tr)).toBe(de['schedule.weekly'].replace('{days}', 'Montag und Mittwoch').replace('{time}', '18:00'));
    expect(scheduleText({ cronExpression: '0 15 2 * * ?', description: '' }, createTranslator('ja', ja))).toBe(ja['schedule.daily'].replace('{time}', '02:15'));
  });

  it('gives the next run after now with how far away it is', () => {
    const now = Date.parse('2026-11-25T22:00:00Z');
    const runs = ['2026-11-25T02:15:00Z', '2026-11-26T02:15:00Z'];
    expect(nextRunText({ nextRuns: runs }, en, now)).toBe('Thu, Nov 26, 02:15 UTC (in 4 hours)');
    expect(nextRunText({ nextRuns: [] }, en, now)).toBeUndefined();
  });
});
