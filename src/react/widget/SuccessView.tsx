import { useCallback, useEffect, useRef, useState } from 'react';
import { isTerminalJobStatus, type ConnectionSummary, type JobSummary, type OnboardingResult } from '../../shared/contract.ts';
import { ConnectionStatusView } from '../ConnectionStatusView.tsx';
import { ErrorBanner } from '../ErrorBanner.tsx';
import { useConnectionStatus, useStartSync, type HookOptions } from '../hooks.ts';
import { useTranslator } from '../i18n.tsx';
import { isolatedMessage } from '../isolate.tsx';

export interface SuccessViewProps extends HookOptions {
  result: OnboardingResult;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
  headingId?: string | undefined;
  onAnother: () => void;
  onManage: () => void;
  /** "Edit details" after a failed first sync: opens the source's edit form. */
  onEdit?: (() => void) | undefined;
  /** Shown as "Done" when the host handles exits. */
  onDone?: (() => void) | undefined;
  /** Called once per connection when the first sync the view is watching ends. */
  onSyncFinished: (connectionId: string, job: JobSummary) => void;
  /** A sync this view started ("Retry sync"). */
  onSyncStarted?: ((connectionId: string, job: JobSummary) => void) | undefined;
}

/** What went wrong with a failed first sync, and the actions the text names, side by side. */
function SyncFailure({ job, connectionId, onEdit, onSyncStarted, client }: HookOptions & { job: JobSummary; connectionId: string; onEdit?: () => void; onSyncStarted?: SuccessViewProps['onSyncStarted'] }) {
  const tr = useTranslator();
  const sync = useStartSync({ client, onStarted: (started) => onSyncStarted?.(connectionId, started) });
  return (
    <div className="aek-sync-failure">
      <p className="aek-hint" dir="auto">
        {job.failureReason ? tr.t('success.failedReason', { reason: job.failureReason }) : tr.t('success.failedNoReason')}
      </p>
      {sync.error && <ErrorBanner error={sync.error} />}
      <div className="aek-actions">
        <button type="button" className="aek-button aek-button--primary" onClick={() => !sync.isPending && sync.mutate(connectionId)} aria-disabled={sync.isPending || undefined}>
          {sync.isPending ? tr.t('manage.syncStarting') : tr.t('success.retrySync')}
        </button>
        {onEdit && (
          <button type="button" className="aek-button" onClick={onEdit}>
            {tr.t('success.editDetails')}
          </button>
        )}
      </div>
    </div>
  );
}

/** One connection of the new source, its first sync polled until it ends (and again after "Retry sync"). */
function LiveConnection({ connection, firstJob, onSyncFinished, onSyncStarted, onEdit, onStatus, client }: HookOptions & {
  connection: ConnectionSummary;
  firstJob: JobSummary | null;
  onSyncFinished: SuccessViewProps['onSyncFinished'];
  onSyncStarted?: SuccessViewProps['onSyncStarted'] | undefined;
  onEdit?: (() => void) | undefined;
  onStatus: (connectionId: string, status: JobSummary['status'] | 'none') => void;
}) {
  const status = useConnectionStatus(connection.connectionId, { client, pollMs: 1500 });
  const current = status.data ?? { connection, latestJob: firstJob };
  const finished = useRef<number | undefined>(undefined);
  const job = current.latestJob;
  useEffect(() => {
    onStatus(connection.connectionId, job?.status ?? 'none');
    if (job && isTerminalJobStatus(job.status) && finished.current !== job.jobId) {
      finished.current = job.jobId;
      onSyncFinished(connection.connectionId, job);
    }
  }, [job, connection.connectionId, onSyncFinished, onStatus]);
  return (
    <ConnectionStatusView
      status={current}
      failure={job?.status === 'failed' ? <SyncFailure job={job} connectionId={connection.connectionId} onEdit={onEdit} onSyncStarted={onSyncStarted} client={client} /> : undefined}
    />
  );
}

/**
 * The created source: each of its connections and their first syncs, live. Only what is true:
 * "is connected ✓" while the first sync runs or after it succeeded; after it failed, the heading
 * says so, with the reason when Airbyte gives one and "Retry sync" / "Edit details" right there.
 */
export function SuccessView({ result, headingRef, headingId, onAnother, onManage, onEdit, onDone, onSyncFinished, onSyncStarted, client }: SuccessViewProps) {
  const tr = useTranslator();
  const [statuses, setStatuses] = useState<Record<string, string>>({});
  const onStatus = useCallback((id: string, s: string) => setStatuses((prev) => (prev[id] === s ? prev : { ...prev, [id]: s })), []);
  const failed = Object.values(statuses).some((s) => s === 'failed' || s === 'cancelled');
  return (
    <div className="aek-success" data-outcome={failed ? 'sync_failed' : 'connected'}>
      <h2 className="aek-title" id={headingId} tabIndex={-1} ref={headingRef}>
        <span className={failed ? 'aek-warning-icon' : 'aek-success-icon'} aria-hidden="true" />{' '}
        {failed ? isolatedMessage(tr, 'success.syncFailedTitle', { name: result.source.name }) : isolatedMessage(tr, 'success.title', { name: result.source.name })}
      </h2>
      {result.connections.length ? (
        result.connections.map(({ connection, firstJob }) => (
          <LiveConnection key={connection.connectionId} connection={connection} firstJob={firstJob} onSyncFinished={onSyncFinished} onSyncStarted={onSyncStarted} onEdit={onEdit} onStatus={onStatus} client={client} />
        ))
      ) : (
        <p>{tr.t('success.noConnection')}</p>
      )}
      <div className="aek-actions">
        {onDone && (
          <button type="button" className="aek-button aek-button--primary" onClick={onDone}>
            {tr.t('success.done')}
          </button>
        )}
        <button type="button" className="aek-button" onClick={onManage}>
          {tr.t('success.manage')}
        </button>
        <button type="button" className="aek-button" onClick={onAnother}>
          {tr.t('success.another')}
        </button>
      </div>
    </div>
  );
}
