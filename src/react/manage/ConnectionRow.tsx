import { useEffect, useId, useState } from 'react';
import { isTerminalJobStatus, type ConnectionSummary, type JobSummary } from '../../shared/contract.ts';
import { Fact, ScheduleFacts } from '../Facts.tsx';
import { ErrorBanner } from '../ErrorBanner.tsx';
import { useStartSync, type HookOptions } from '../hooks.ts';
import { useTranslator } from '../i18n.tsx';
import { JobStatusText } from '../JobStatusText.tsx';
import type { WidgetSession } from '../session.tsx';
import { JobHistory } from './JobHistory.tsx';

export interface ConnectionRowProps extends HookOptions {
  sourceId: string;
  sourceName: string;
  connection: ConnectionSummary;
  lastJob: JobSummary | null;
  now: number;
  session: WidgetSession;
  /** Says something to screen readers (and shows it) in the manager's status line. */
  announce: (text: string) => void;
}

/** One connection of a source: destination, schedule, last and next sync, "Sync now" and its history. */
export function ConnectionRow({ sourceId, sourceName, connection, lastJob, now, session, announce, client }: ConnectionRowProps) {
  const tr = useTranslator();
  const sync = useStartSync({ client });
  const [showHistory, setShowHistory] = useState(false);
  const [watching, setWatching] = useState<number | undefined>(undefined);
  const historyId = useId();
  const running = Boolean(lastJob && !isTerminalJobStatus(lastJob.status));
  const lastAt = lastJob?.lastUpdatedAt ?? lastJob?.startTime;

  // Report the end of a sync this row started, once.
  useEffect(() => {
    if (watching !== undefined && lastJob?.jobId === watching && isTerminalJobStatus(lastJob.status)) {
      setWatching(undefined);
      session.emit('sync_finished', { sourceId, connectionId: connection.connectionId, jobId: lastJob.jobId, status: lastJob.status });
    }
  }, [watching, lastJob, session, sourceId, connection.connectionId]);

  const syncNow = () =>
    sync.mutate(connection.connectionId, {
      onSuccess: (job) => {
        setWatching(job.jobId);
        announce(tr.t('manage.syncStarted', { name: sourceName }));
        session.emit('sync_started', { sourceId, connectionId: connection.connectionId, jobId: job.jobId });
      },
      onError: (error) => session.reportError(error, 'error', { sourceId, connectionId: connection.connectionId }),
    });

  return (
    <div className="aek-connection-row" data-connection-id={connection.connectionId} data-job-status={lastJob?.status ?? 'none'}>
      <dl className="aek-facts">
        <Fact label={tr.t('connection.destination')} className="aek-destination">
          {connection.destinationName}
        </Fact>
        <ScheduleFacts schedule={connection.schedule} now={now} manualText={tr.t('manage.noSchedule')} />
        <Fact label={tr.t('connection.lastSync')} className="aek-last-sync">
          {lastJob ? (
            <>
              <JobStatusText job={lastJob} />
              {/* A past event: never "in 3 seconds" when this clock lags the server's. */}
              {lastAt && <span className="aek-muted"> · {tr.relative(Math.min(Date.parse(lastAt), now), now)}</span>}
            </>
          ) : (
            tr.t('manage.never')
          )}
        </Fact>
      </dl>
      {sync.error && <ErrorBanner error={sync.error} />}
      <div className="aek-actions">
        {/* aria-disabled, not disabled: the button keeps keyboard focus while the sync runs. */}
        <button type="button" className="aek-button" onClick={() => !running && !sync.isPending && syncNow()} aria-disabled={running || sync.isPending || undefined}>
          {sync.isPending ? tr.t('manage.syncStarting') : running ? tr.t('job.running') : tr.t('manage.syncNow')}
        </button>
        <button type="button" className="aek-button" aria-expanded={showHistory} aria-controls={showHistory ? historyId : undefined} onClick={() => setShowHistory((s) => !s)}>
          {showHistory ? tr.t('manage.hideHistory') : tr.t('manage.history')}
        </button>
      </div>
      {showHistory && <JobHistory id={historyId} connectionId={connection.connectionId} name={sourceName} client={client} />}
    </div>
  );
}
