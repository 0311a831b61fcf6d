import { useEffect, useId, useState } from 'react';
import type { ConnectionPlan, OnboardingProgress, OnboardingStep } from '../../shared/contract.ts';
import { useTranslator } from '../i18n.tsx';
import { isolatedMessage } from '../isolate.tsx';

/** The steps before the proxy has reported any: what the plan implies. */
export function plannedSteps(plans: ConnectionPlan[]): OnboardingProgress['steps'] {
  const steps: OnboardingStep[] = ['workspace', 'source', 'check'];
  if (plans.some((p) => p.streams === 'choose')) steps.push('streams');
  if (plans.length) steps.push('destination', 'connection');
  if (plans.some((p) => p.syncOnCreate)) steps.push('sync');
  return steps.map((step, i) => ({ step, state: i === 0 ? 'active' : 'pending' }));
}

/**
 * The onboarding's steps while "Connect" runs, from the proxy's saga record: done, in progress,
 * waiting. The step in progress is announced to screen readers as it changes. `stopped`: it
 * stopped on a failure; the steps done stay and the one it stopped at says so.
 */
export function OnboardingProgressView({ name, plans, progress, stopped }: { name: string; plans: ConnectionPlan[]; progress: OnboardingProgress | undefined; stopped?: boolean }) {
  const tr = useTranslator();
  const headingId = useId();
  const reported = progress?.steps.length ? progress.steps : plannedSteps(plans);
  const steps = stopped ? reported.map((s) => (s.state === 'active' ? { ...s, state: 'stopped' as const } : s)) : reported;
  const label = (step: OnboardingStep) => tr.t(`progress.${step}`, { name });
  const current = steps.find((s) => s.state === 'active' || s.state === 'stopped');
  // The live region mounts empty and then says each step, so every step is announced.
  const [spoken, setSpoken] = useState('');
  const currentLabel = current ? `${label(current.step)}${current.state === 'stopped' ? ` (${tr.t('progress.stopped')})` : ''}` : '';
  useEffect(() => setSpoken(currentLabel), [currentLabel]);
  return (
    <section className="aek-progress" aria-labelledby={headingId}>
      <h3 id={headingId} className="aek-progress-heading">
        {isolatedMessage(tr, 'progress.heading', { name })}
      </h3>
      <ol className="aek-steps">
        {steps.map((s) => (
          <li key={s.step} className="aek-step" data-step={s.step} data-state={s.state} aria-current={s.state === 'active' || s.state === 'stopped' ? 'step' : undefined}>
            <span className="aek-step-icon" aria-hidden="true" />
            <span className="aek-step-label">{label(s.step)}</span>
            <span className="aek-visually-hidden"> ({tr.t(`progress.${s.state}`)})</span>
          </li>
        ))}
      </ol>
      <p className="aek-visually-hidden" role="status" aria-live="polite">
        {spoken}
      </p>
    </section>
  );
}
