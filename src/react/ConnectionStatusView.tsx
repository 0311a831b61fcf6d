import type { ConnectionStatus } from '../shared/contract.ts';
import { Fact, ScheduleFacts } from './Facts.tsx';
import { useTranslator } from './i18n.tsx';
import { JobStatusText } from './JobStatusText.tsx';
import { useNow } from './useNow.ts';

/**
 * A connection as the success view shows it: destination, schedule in words, next sync and the
 * first sync's live status (announced politely as it changes).
 */
export function ConnectionStatusView({ status }: { status: ConnectionStatus }) {
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
          <span className="aek-job" role="status" aria-live="polite" data-status={latestJob?.status ?? 'none'}>
            <JobStatusText job={latestJob} />
          </span>
        </Fact>
      </dl>
      {latestJob?.status === 'failed' && <p className="aek-hint">{tr.t('job.failedHint')}</p>}
    </section>
  );
}
