import type { ReactNode } from 'react';
import type { ScheduleInfo } from '../shared/contract.ts';
import { nextRunText, scheduleText } from '../shared/i18n/scheduleText.ts';
import { useTranslator } from './i18n.tsx';

/** One label/value pair of an `.aek-facts` list. */
export function Fact({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className={className}>{children}</dd>
    </div>
  );
}

/** A schedule in words and, when there is one, its next run ("Thu, Nov 26, 02:15 UTC (in 4 hours)"). */
export function ScheduleFacts({ schedule, now, manualText }: { schedule: ScheduleInfo; now: number; manualText?: string }) {
  const tr = useTranslator();
  const next = nextRunText(schedule, tr, now);
  return (
    <>
      <Fact label={tr.t('connection.schedule')} className="aek-schedule">
        {!schedule.cronExpression && manualText ? manualText : scheduleText(schedule, tr)}
      </Fact>
      {next && (
        <Fact label={tr.t('connection.nextRun')} className="aek-next-run">
          {next}
        </Fact>
      )}
    </>
  );
}
