import { useEffect, useRef } from 'react';
import { isTerminalJobStatus, type ConnectionSummary, type JobSummary, type OnboardingResult } from '../../shared/contract.ts';
import { ConnectionStatusView } from '../ConnectionStatusView.tsx';
import { useConnectionStatus, type HookOptions } from '../hooks.ts';
import { useTranslator } from '../i18n.tsx';

export interface SuccessViewProps extends HookOptions {
  result: OnboardingResult;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
  headingId?: string;
  onAnother: () => void;
  onManage: () => void;
  /** Shown as "Done" when the host handles exits. */
  onDone?: () => void;
  /** Called once per connection when the first sync the view is watching ends. */
  onSyncFinished: (connectionId: string, job: JobSummary) => void;
}

/** One connection of the new source, its first sync polled until it ends. */
function LiveConnection({ connection, firstJob, onSyncFinished, client }: HookOptions & { connection: ConnectionSummary; firstJob: JobSummary | null; onSyncFinished: SuccessViewProps['onSyncFinished'] }) {
  const status = useConnectionStatus(connection.connectionId, { client, pollMs: 1500 });
  const current = status.data ?? { connection, latestJob: firstJob };
  const finished = useRef(false);
  useEffect(() => {
    const job = current.latestJob;
    if (job && isTerminalJobStatus(job.status) && !finished.current) {
      finished.current = true;
      onSyncFinished(connection.connectionId, job);
    }
  }, [current.latestJob, connection.connectionId, onSyncFinished]);
  return <ConnectionStatusView status={current} />;
}

/** The created source: each of its connections and their first syncs, live. */
export function SuccessView({ result, headingRef, headingId, onAnother, onManage, onDone, onSyncFinished, client }: SuccessViewProps) {
  const tr = useTranslator();
  return (
    <div className="aek-success">
      <h2 className="aek-title" id={headingId} tabIndex={-1} ref={headingRef}>
        <span className="aek-success-icon" aria-hidden="true" /> {tr.t('success.title', { name: result.source.name })}
      </h2>
      {result.connections.length ? (
        result.connections.map(({ connection, firstJob }) => (
          <LiveConnection key={connection.connectionId} connection={connection} firstJob={firstJob} onSyncFinished={onSyncFinished} client={client} />
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
