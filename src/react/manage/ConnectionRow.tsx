import { lazy, Suspense, useId, useState } from 'react';
import { isTerminalJobStatus, type ConnectionSummary, type JobSummary } from '../../shared/contract.ts';
import { Fact, ScheduleFacts } from '../Facts.tsx';
import { ErrorBanner } from '../ErrorBanner.tsx';
import { useStartSync, type HookOptions } from '../hooks.ts';
import { useTranslator } from '../i18n.tsx';
import { JobStatusText } from '../JobStatusText.tsx';
import type { WidgetSession } from '../session.tsx';
import { JobHistory } from './JobHistory.tsx';
// The stream chooser loads when "Tables" is first opened.
const ConnectionStreamsEditor = lazy(() => import('../streams/ConnectionStreamsEditor.tsx').then((m) => ({ default: m.ConnectionStreamsEditor })));

export interface ConnectionRowProps extends HookOptions {
  sourceId: string;
  sourceName: string;
  connection: ConnectionSummary;
  lastJob: JobSummary | null;
  now: number;
  session: WidgetSession;
  /** A sync this row started (the manager reports it and watches it to the end). */
  onSyncStarted: (connectionId: string, job: JobSummary) => void;
}

/** One connection of a source: destination, schedule, last and next sync, "Sync now" and its history. */
export function ConnectionRow({ sourceId, connection, sourceName, lastJob, now, session, onSyncStarted, client }: ConnectionRowProps) {
  const tr = useTranslator();
  const sync = useStartSync({ client, onStarted: (job) => onSyncStarted(connection.connectionId, job) });
  const [showHistory, setShowHistory] = useState(false);
  const [showStreams, setShowStreams] = useState(false);
  const historyId = useId();
  const streamsId = useId();
  const running = Boolean(lastJob && !isTerminalJobStatus(lastJob.status));
  const lastAt = lastJob?.lastUpdatedAt ?? lastJob?.startTime;

  const syncNow = () => sync.mutate(connection.connectionId, { onError: (error) => session.reportError(error, 'error', { sourceId, connectionId: connection.connectionId }) });

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
        {connection.canChooseStreams && (
          <button type="button" className="aek-button aek-streams-toggle" aria-expanded={showStreams} aria-controls={showStreams ? streamsId : undefined} onClick={() => setShowStreams((s) => !s)}>
            {tr.t('streams.edit')} ({connection.streamCount ?? 0})
          </button>
        )}
      </div>
      {showHistory && <JobHistory id={historyId} connectionId={connection.connectionId} name={sourceName} client={client} />}
      {showStreams && (
        <Suspense fallback={<p className="aek-loading" role="status">{tr.t('streams.loading')}</p>}>
          <ConnectionStreamsEditor id={streamsId} connectionId={connection.connectionId} client={client} />
        </Suspense>
      )}
    </div>
  );
}
