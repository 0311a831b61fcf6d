import { useCallback, useEffect, useRef, useState } from 'react';
import { isTerminalJobStatus, type JobSummary, type SourceOverview } from '../../shared/contract.ts';
import { ErrorBanner } from '../ErrorBanner.tsx';
import type { WidgetView } from '../events.ts';
import { useDeleteSource, useSources, type HookOptions } from '../hooks.ts';
import { useTranslator } from '../i18n.tsx';
import type { WidgetSession } from '../session.tsx';
import { useNow } from '../useNow.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { EditSourceView } from './EditSourceView.tsx';
import { SourceCard } from './SourceCard.tsx';

export interface ManagerBodyProps extends HookOptions {
  session: WidgetSession;
  onConnect?: (() => void) | undefined;
  onViewChange: (view: Extract<WidgetView, 'manage' | 'edit'>) => void;
  /** Focus the heading when shown (true when the user navigated here, not on page load). */
  focusOnMount: boolean;
  /** Id for the current heading (names the modal dialog). */
  headingId?: string | undefined;
  /** Open this source's edit form once the list has loaded ("Edit details" from the success view). */
  editSourceId?: string | undefined;
}

/** The manage view's content, shared by `SourceManager` and `ConnectWidget`. */
export function ManagerBody({ session, onConnect, onViewChange, focusOnMount, headingId, editSourceId, client }: ManagerBodyProps) {
  const tr = useTranslator();
  const sources = useSources({ client });
  const remove = useDeleteSource({ client });
  // Re-rendered by every poll too; the tick keeps relative times true between polls.
  const now = Math.max(useNow(), Date.now());
  const [editing, setEditing] = useState<SourceOverview | null>(null);
  const [deleting, setDeleting] = useState<SourceOverview | null>(null);
  const [notice, setNotice] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  const editHeading = useRef<HTMLHeadingElement>(null);
  const focusNext = useRef<'list' | 'edit' | null>(focusOnMount ? 'list' : null);
  const reported = useRef<Error | null>(null);

  useEffect(() => {
    if (focusNext.current === 'list') heading.current?.focus();
    if (focusNext.current === 'edit') editHeading.current?.focus();
    focusNext.current = null;
  });
  useEffect(() => {
    if (sources.error && reported.current !== sources.error) {
      reported.current = sources.error;
      session.reportError(sources.error);
    }
  }, [sources.error, session]);

  // Syncs started here, watched to their end (in this component, which outlives the row that
  // started them, e.g. while a source is edited).
  const watched = useRef(new Map<string, { jobId: number; sourceId: string }>());
  const latest = useRef(sources.data);
  latest.current = sources.data;
  const onSyncStarted = useCallback(
    (connectionId: string, job: JobSummary) => {
      const source = latest.current?.find((s) => s.connections.some((c) => c.connection.connectionId === connectionId));
      const sourceId = source?.sourceId ?? '';
      watched.current.set(connectionId, { jobId: job.jobId, sourceId });
      setNotice(tr.t('manage.syncStarted', { name: source?.name ?? '' }));
      session.emit('sync_started', { sourceId, connectionId, jobId: job.jobId });
    },
    [session, tr],
  );
  useEffect(() => {
    for (const s of sources.data ?? []) {
      for (const { connection, lastJob } of s.connections) {
        const w = watched.current.get(connection.connectionId);
        if (w && lastJob?.jobId === w.jobId && isTerminalJobStatus(lastJob.status)) {
          watched.current.delete(connection.connectionId);
          session.emit('sync_finished', { sourceId: w.sourceId, connectionId: connection.connectionId, jobId: lastJob.jobId, status: lastJob.status });
        }
      }
    }
  }, [sources.data, session]);

  const openEdit = (source: SourceOverview) => {
    setNotice('');
    setEditing(source);
    focusNext.current = 'edit';
    onViewChange('edit');
  };
  const openedFirst = useRef(false);
  useEffect(() => {
    const target = editSourceId && sources.data?.find((s) => s.sourceId === editSourceId);
    if (!target || openedFirst.current) return;
    openedFirst.current = true;
    openEdit(target);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [editSourceId, sources.data]);
  const closeEdit = (saved: boolean) => {
    if (saved && editing) setNotice(tr.t('edit.saved', { name: editing.name }));
    setEditing(null);
    focusNext.current = 'list';
    onViewChange('manage');
  };
  const confirmDelete = () => {
    const target = deleting;
    if (!target) return;
    remove.mutate(target.sourceId, {
      onSuccess: () => {
        session.emit('source_deleted', { sourceId: target.sourceId, templateId: target.templateId });
        setDeleting(null);
        setNotice(tr.t('delete.done', { name: target.name }));
        focusNext.current = 'list';
      },
      onError: (error) => session.reportError(error, 'error', { sourceId: target.sourceId }),
    });
  };

  // The status line stays mounted across the list and the edit form, so what it says is announced.
  const status = (
    <p className="aek-notice" role="status" aria-live="polite">
      {notice}
    </p>
  );
  if (editing) {
    return (
      <>
        {status}
        <EditSourceView source={editing} headingRef={editHeading} headingId={headingId} session={session} onDone={closeEdit} client={client} />
      </>
    );
  }

  return (
    <>
    {status}
    <div className="aek-manage">
      <div className="aek-manage-header">
        <h2 className="aek-title" id={headingId} tabIndex={-1} ref={heading}>
          {tr.t('manage.title')}
        </h2>
        {onConnect && (
          <button type="button" className="aek-button aek-button--primary" onClick={onConnect}>
            {tr.t('nav.connect')}
          </button>
        )}
      </div>
      {sources.isPending && (
        <p className="aek-loading" role="status">
          {tr.t('manage.loading')}
        </p>
      )}
      {sources.isError && <ErrorBanner error={sources.error} onRetry={() => void sources.refetch()} />}
      {sources.data && sources.data.length === 0 && (
        <div className="aek-empty" data-empty="sources">
          <p className="aek-empty-title">{tr.t('manage.empty')}</p>
        </div>
      )}
      {sources.data && sources.data.length > 0 && (
        <>
          <p className="aek-muted aek-manage-count">{tr.t('manage.count', { count: sources.data.length })}</p>
          <ul className="aek-sources" aria-label={tr.t('manage.title')}>
            {sources.data.map((source) => (
              <SourceCard
                key={source.sourceId}
                source={source}
                now={now}
                session={session}
                onSyncStarted={onSyncStarted}
                onEdit={() => openEdit(source)}
                onDelete={() => {
                  remove.reset();
                  setDeleting(source);
                }}
                onNotice={(text) => {
                  setNotice(text);
                  focusNext.current = 'list';
                }}
                client={client}
              />
            ))}
          </ul>
        </>
      )}
      <ConfirmDialog
        open={deleting !== null}
        title={tr.t('delete.title', { name: deleting?.name ?? '' })}
        body={<p>{tr.t('delete.body')}</p>}
        confirmLabel={remove.isPending ? tr.t('delete.deleting') : tr.t('delete.confirm')}
        cancelLabel={tr.t('delete.cancel')}
        busy={remove.isPending}
        onConfirm={confirmDelete}
        onCancel={() => setDeleting(null)}
      >
        {remove.error && <ErrorBanner error={remove.error} />}
      </ConfirmDialog>
    </div>
    </>
  );
}
