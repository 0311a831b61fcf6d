import { lazy, Suspense, useId } from 'react';
import { isTerminalJobStatus, type JobSummary, type SourceOverview } from '../../shared/contract.ts';
import type { HookOptions } from '../hooks.ts';
import { useTranslator } from '../i18n.tsx';
import { isolatedMessage } from '../isolate.tsx';
import type { WidgetSession } from '../session.tsx';
import { ConnectionRow } from './ConnectionRow.tsx';
// Only unfinished setups show it (with the stream chooser): its code loads when one is listed.
const UnfinishedSetupPanel = lazy(() => import('./UnfinishedSetupPanel.tsx').then((m) => ({ default: m.UnfinishedSetupPanel })));
// Only sign-in sources show it: its code (the sign-in flow) loads when one is listed.
const ReconnectButton = lazy(() => import('../oauth/ReconnectButton.tsx').then((m) => ({ default: m.ReconnectButton })));

/**
 * A source's overall state: `removed` when Airbyte no longer has it, `unfinished`/`setting_up`
 * while its onboarding has not made its connections, `credentials_broken` when its last sync
 * failed because the source refused its saved details (until a reconnect, an edit or a sync that
 * succeeds clears it: a sync started meanwhile would fail the same way, so this wins over
 * `running`), else syncing if any connection syncs, else failed if any last sync failed.
 */
export function sourceState(source: SourceOverview): 'removed' | 'unfinished' | 'setting_up' | 'credentials_broken' | 'running' | 'failed' | 'succeeded' | 'none' {
  if (source.removedInAirbyte) return 'removed';
  if (source.setup) return source.setup.state === 'running' ? 'setting_up' : 'unfinished';
  if (source.credentialsBroken) return 'credentials_broken';
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
  /** Says what happened (setup finished, removed) in the manage view's status line. */
  onNotice: (text: string) => void;
}

const BADGES = {
  removed: 'manage.removedBadge',
  unfinished: 'manage.unfinished',
  setting_up: 'manage.settingUp',
  credentials_broken: 'manage.brokenBadgeDetails',
  none: 'job.none',
  running: 'job.running',
  failed: 'job.failed',
  succeeded: 'job.succeeded',
} as const;

/**
 * One connected source in the manage view: name, connector, state, its connections, Edit and
 * Delete (and Reconnect for a sign-in). Broken credentials say what happened and which of the
 * card's actions fixes it (Reconnect for a sign-in, else Edit), that action made primary.
 */
export function SourceCard({ source, now, session, onSyncStarted, onEdit, onDelete, onNotice, client }: SourceCardProps) {
  const tr = useTranslator();
  const titleId = useId();
  const hintId = useId();
  const state = sourceState(source);
  const broken = state === 'credentials_broken';
  const badge = broken && source.signIn ? 'manage.brokenBadgeSignIn' : BADGES[state];
  const settled = state !== 'removed' && state !== 'unfinished' && state !== 'setting_up';
  return (
    <li className="aek-source" data-source-id={source.sourceId} data-state={state}>
      <article aria-labelledby={titleId}>
        <header className="aek-source-header">
          <span className="aek-tile-icon" aria-hidden="true">
            {source.templateName.slice(0, 1)}
          </span>
          <div className="aek-source-title">
            <h3 id={titleId} className="aek-source-name">
              <bdi>{source.name}</bdi>
            </h3>
            <p className="aek-muted aek-source-meta">
              <bdi>{source.templateName}</bdi>
              {source.detail && (
                <>
                  {' · '}
                  <span className="aek-source-detail" dir="auto">
                    {source.detail}
                  </span>
                </>
              )}{' '}
              · {tr.t(source.setup ? 'manage.startedOn' : 'manage.connectedOn', { date: tr.dateTime(source.createdAt * 1000) })}
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
        {source.setup && !source.removedInAirbyte && (
          <Suspense fallback={null}>
            <UnfinishedSetupPanel source={source} setup={source.setup} session={session} onNotice={onNotice} client={client} />
          </Suspense>
        )}
        {state === 'removed' && (
          <>
            <p className="aek-hint aek-removed-hint">{tr.t('manage.removedHint')}</p>
            <div className="aek-actions aek-source-actions" role="group" aria-label={tr.t('manage.actions', { name: source.name })}>
              <button type="button" className="aek-button aek-button--danger-quiet" onClick={onDelete}>
                {tr.t('manage.removeFromList')}
              </button>
            </div>
          </>
        )}
        {broken && (
          <p id={hintId} className="aek-hint aek-broken-hint">
            {isolatedMessage(tr, source.signIn ? 'manage.brokenHintSignIn' : 'manage.brokenHintDetails', { name: source.templateName })}
          </p>
        )}
        {settled && (
        <div className="aek-actions aek-source-actions" role="group" aria-label={tr.t('manage.actions', { name: source.name })} aria-describedby={broken ? hintId : undefined}>
          {source.signIn && (
            <Suspense fallback={null}>
              <ReconnectButton source={source} failed={state === 'failed' || broken} client={client} />
            </Suspense>
          )}
          <button type="button" className={broken && !source.signIn ? 'aek-button aek-button--primary' : 'aek-button'} onClick={onEdit}>
            {tr.t('manage.edit')}
          </button>
          <button type="button" className="aek-button aek-button--danger-quiet" onClick={onDelete}>
            {tr.t('manage.delete')}
          </button>
        </div>
        )}
      </article>
    </li>
  );
}
