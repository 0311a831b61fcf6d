import { describe, expect, it } from 'vitest';
import { describeSchedule } from '../../src/shared/schedule.ts';

describe('describeSchedule', () => {
  it('describes a daily Quartz expression in words, in UTC', () => {
    expect(describeSchedule('0 15 2 * * ?', Date.parse('2026-11-23T06:00:00Z'))).toEqual({
      cronExpression: '0 15 2 * * ?',
      description: 'At 02:15 AM, every day (UTC)',
      nextRuns: ['2026-11-24T02:15:00Z', '2026-11-25T02:15:00Z', '2026-11-26T02:15:00Z'],
    });
  });
  it('strips the trailing UTC Airbyte accepts', () => {
    expect(describeSchedule('0 0 * * * ? UTC').cronExpression).toBe('0 0 * * * ?');
    expect(describeSchedule('0 0 * * * ? UTC').description).toMatch(/every hour/i);
  });
  it('describes a manual connection', () => {
    expect(describeSchedule(null)).toEqual({ cronExpression: null, description: 'Manually, when you start a sync', nextRuns: [] });
  });
});
