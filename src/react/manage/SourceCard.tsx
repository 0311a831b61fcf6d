import { lazy, Suspense, useId } from 'react';
import { isTerminalJobStatus, type JobSummary, type SourceOverview } from '../../shared/contract.ts';
import type { HookOptions } from '../hooks.ts';
import { useTranslator } from '../i18n.tsx';
import type { WidgetSession } from '../session.tsx';
import { ConnectionRow } from './ConnectionRow.tsx';
// Only sign-in sources show it: its code (the sign-in flow) loads when one is listed.
const ReconnectButton = lazy(() => import('../oauth/ReconnectButton.tsx').then((m) => ({ default: m.ReconnectButton })));

/** A source's overall state: syncing if any connection syncs, else failed if any last sync failed. */
export function sourceState(source: SourceOverview): 'running' | 'failed' | 'succeeded' | 'none' {
  const jobs = source.connections.map((c) => c.lastJob).filter((j) => j !== null);
  if (jobs.some((j) => !isTerminalJobStatus(j.status))) return 'running';
  if (jobs.some((j) => j.status === 'failed' || j.status === 'cancelled')) return 'failed';
  return jobs.length ? 'succeeded' : 'none';
}

export interface SourceCardProps extends HookOptions {
  source: SourceOverview;
  now: number;
  session: WidgetSession;
  onSyncStarted: (connectionId: string, job: JobSummary) => void;
  onEdit: () => void;
  onDelete: () => void;
}

/** One connected source in the manage view: name, connector, state, its connections, Edit and Delete. */
export function SourceCard({ source, now, session, onSyncStarted, onEdit, onDelete, client }: SourceCardProps) {
  const tr = useTranslator();
  const titleId = useId();
  const state = sourceState(source);
  const badge = state === 'none' ? 'job.none' : state === 'running' ? 'job.running' : state === 'failed' ? 'job.failed' : 'job.succeeded';
  return (
    <li className="aek-source" data-source-id={source.sourceId} data-state={state}>
      <article aria-labelledby={titleId}>
        <header className="aek-source-header">
          <span className="aek-tile-icon" aria-hidden="true">
            {source.templateName.slice(0, 1)}
          </span>
          <div className="aek-source-title">
            <h3 id={titleId} className="aek-source-name">
              {source.name}
            </h3>
            <p className="aek-muted aek-source-meta">
              {source.templateName}
              {source.detail && (
                <>
                  {' · '}
                  <span className="aek-source-detail" dir="auto">
                    {source.detail}
                  </span>
                </>
              )}{' '}
              · {tr.t('manage.connectedOn', { date: tr.dateTime(source.createdAt * 1000) })}
            </p>
          </div>
          <span className="aek-badge" data-status={state}>
            {tr.t(badge)}
          </span>
        </header>
        {source.connections.map(({ connection, lastJob }) => (
          <ConnectionRow
            key={connection.connectionId}
            sourceId={source.sourceId}
            sourceName={source.name}
            connection={connection}
            lastJob={lastJob}
            now={now}
            session={session}
            onSyncStarted={onSyncStarted}
            client={client}
          />
        ))}
        <div className="aek-actions aek-source-actions" role="group" aria-label={tr.t('manage.actions', { name: source.name })}>
          {source.signIn && (
            <Suspense fallback={null}>
              <ReconnectButton source={source} failed={state === 'failed'} client={client} />
            </Suspense>
          )}
          <button type="button" className="aek-button" onClick={onEdit}>
            {tr.t('manage.edit')}
          </button>
          <button type="button" className="aek-button aek-button--danger-quiet" onClick={onDelete}>
            {tr.t('manage.delete')}
          </button>
        </div>
      </article>
    </li>
  );
}
