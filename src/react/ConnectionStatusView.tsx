import type { ReactNode } from 'react';
import type { ConnectionStatus } from '../shared/contract.ts';
import { Fact, ScheduleFacts } from './Facts.tsx';
import { useTranslator } from './i18n.tsx';
import { JobProgress } from './JobStatusText.tsx';
import { useNow } from './useNow.ts';

/**
 * A connection as the success view shows it: destination, schedule in words, next sync and the
 * first sync's live status (announced politely as it changes). `failure` replaces the generic
 * hint under a failed job (the success view puts the reason and "Retry sync" there).
 */
export function ConnectionStatusView({ status, failure }: { status: ConnectionStatus; failure?: ReactNode }) {
  const tr = useTranslator();
  const now = useNow();
  const { connection, latestJob } = status;
  return (
    <section className="aek-connection" aria-label={tr.t('connection.label', { name: connection.name })} data-job-status={latestJob?.status ?? 'none'}>
      <dl className="aek-facts">
        <Fact label={tr.t('connection.destination')} className="aek-destination">
          {connection.destinationName}
        </Fact>
        <ScheduleFacts schedule={connection.schedule} now={now} />
        <Fact label={tr.t('connection.firstSync')}>
          {/* Only the status is a live region: the counts change every poll and would be read out each time. */}
          <span className="aek-job" data-status={latestJob?.status ?? 'none'}>
            <span role="status">{tr.t(latestJob ? `job.${latestJob.status}` : 'job.none')}</span>
            <JobProgress job={latestJob} />
          </span>
        </Fact>
      </dl>
      {/* What went wrong and the actions it names, on this screen (never a hint to a button elsewhere). */}
      {latestJob?.status === 'failed' && (failure ?? <p className="aek-hint">{tr.t('job.failedHint')}</p>)}
    </section>
  );
}
