import { useState } from 'react';
import { isOnboardingPending, type OnboardingPending, type SourceOverview, type StreamRef, type UnfinishedSetup } from '../../shared/contract.ts';
import { ErrorBanner } from '../ErrorBanner.tsx';
import { useRemoveOnboarding, useResumeOnboarding, type HookOptions } from '../hooks.ts';
import { useTranslator } from '../i18n.tsx';
import { reportConnected } from '../reportConnected.ts';
import type { WidgetSession } from '../session.tsx';
import { StreamPicker } from '../streams/StreamPicker.tsx';

export interface UnfinishedSetupPanelProps extends HookOptions {
  source: SourceOverview;
  setup: UnfinishedSetup;
  session: WidgetSession;
  /** Says what happened in the manage view's status line. */
  onNotice: (text: string) => void;
}

/**
 * The part of a source card whose onboarding stopped midway: where it stopped and why, "Finish
 * setup" (resumed server side from the saga's record: the browser needs nothing it typed) and
 * "Remove" (deletes what was made). A setup waiting for the stream choice shows the chooser here.
 * Trap: a setup another request is still running (`state: 'running'`) offers neither action; the
 * list polls until it ends.
 */
export function UnfinishedSetupPanel({ source, setup, session, onNotice, client }: UnfinishedSetupPanelProps) {
  const tr = useTranslator();
  const resume = useResumeOnboarding({ client });
  const remove = useRemoveOnboarding({ client });
  const [asked, setAsked] = useState<OnboardingPending | undefined>(undefined);
  const busy = resume.isPending || remove.isPending;

  const finish = (streams?: StreamRef[]) => {
    if (busy) return;
    resume.mutate(
      { onboardingKey: setup.onboardingKey, ...(streams ? { streams } : {}) },
      {
        onSuccess: (outcome) => {
          if (isOnboardingPending(outcome)) return setAsked(outcome);
          setAsked(undefined);
          onNotice(tr.t('manage.setupFinished', { name: source.name }));
          reportConnected(session, outcome);
        },
        onError: (error) => session.reportError(error, 'error', { sourceId: source.sourceId }),
      },
    );
  };
  const drop = () => {
    if (busy) return;
    remove.mutate(
      { onboardingKey: setup.onboardingKey, sourceId: source.sourceId },
      {
        onSuccess: () => {
          onNotice(tr.t('manage.setupRemoved', { name: source.name }));
          session.emit('source_deleted', { sourceId: source.sourceId, templateId: source.templateId });
        },
        onError: (error) => session.reportError(error, 'error', { sourceId: source.sourceId }),
      },
    );
  };

  if (setup.state === 'running') {
    return (
      <p className="aek-hint aek-setup-hint" role="status">
        {tr.t('manage.runningHint')}
      </p>
    );
  }
  const choosing = asked?.streams;
  const error = resume.error ?? remove.error;
  return (
    <div className="aek-setup" data-setup-state={setup.state} data-step={setup.step}>
      <p className="aek-hint aek-setup-hint">
        {setup.state === 'needs_streams' ? tr.t('manage.needsStreamsHint') : tr.t('manage.unfinishedHint', { step: tr.t(`progress.${setup.step}`, { name: source.templateName }) })}
      </p>
      {error && <ErrorBanner error={error} />}
      {choosing ? (
        <StreamPicker
          streams={choosing}
          intro={tr.t('streams.intro', { name: source.templateName })}
          submitLabel={resume.isPending ? tr.t('manage.finishing') : tr.t('streams.submit')}
          onSubmit={(streams) => finish(streams)}
          disabled={busy}
        >
          <button type="button" className="aek-button aek-button--danger-quiet" onClick={drop} aria-disabled={busy || undefined}>
            {remove.isPending ? tr.t('manage.removing') : tr.t('manage.remove')}
          </button>
        </StreamPicker>
      ) : (
        <div className="aek-actions" role="group" aria-label={tr.t('manage.actions', { name: source.name })}>
          <button type="button" className="aek-button aek-button--primary" onClick={() => finish()} aria-disabled={busy || undefined}>
            {resume.isPending ? tr.t('manage.finishing') : tr.t('manage.finish')}
          </button>
          <button type="button" className="aek-button aek-button--danger-quiet" onClick={drop} aria-disabled={busy || undefined}>
            {remove.isPending ? tr.t('manage.removing') : tr.t('manage.remove')}
          </button>
        </div>
      )}
    </div>
  );
}
