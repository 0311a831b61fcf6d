import { useEffect, useRef } from 'react';
import { isTerminalJobStatus, type JobSummary, type OnboardingResult } from '../../shared/contract.ts';
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
  /** Called once when the first sync the view is watching ends. */
  onSyncFinished: (connectionId: string, job: JobSummary) => void;
}

/** The created source: its connection and the first sync's live progress, polled until it ends. */
export function SuccessView({ result, headingRef, headingId, onAnother, onManage, onDone, onSyncFinished, client }: SuccessViewProps) {
  const tr = useTranslator();
  const first = result.connections[0];
  const status = useConnectionStatus(first?.connection.connectionId, { client, pollMs: 1500 });
  const current = status.data ?? (first ? { connection: first.connection, latestJob: first.firstJob } : undefined);
  const finished = useRef(false);
  useEffect(() => {
    const job = current?.latestJob;
    if (first && job && isTerminalJobStatus(job.status) && !finished.current) {
      finished.current = true;
      onSyncFinished(first.connection.connectionId, job);
    }
  }, [current?.latestJob, first, onSyncFinished]);
  return (
    <div className="aek-success">
      <h2 className="aek-title" id={headingId} tabIndex={-1} ref={headingRef}>
        <span className="aek-success-icon" aria-hidden="true" /> {tr.t('success.title', { name: result.source.name })}
      </h2>
      {current ? <ConnectionStatusView status={current} /> : <p>{tr.t('success.noConnection')}</p>}
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
