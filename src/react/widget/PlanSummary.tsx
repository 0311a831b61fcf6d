import { useId } from 'react';
import type { ConnectionPlan } from '../../shared/contract.ts';
import { Fact, ScheduleFacts } from '../Facts.tsx';
import { useTranslator } from '../i18n.tsx';
import { useNow } from '../useNow.ts';

/**
 * What connecting will do, from the connection templates, in plain words: where the data goes,
 * when it syncs ("Every day at 02:15 UTC") with the next run, and whether a first sync starts now.
 */
export function PlanSummary({ plans }: { plans: ConnectionPlan[] }) {
  const tr = useTranslator();
  const now = useNow();
  const headingId = useId();
  return (
    <section className="aek-plan" aria-labelledby={headingId}>
      <h3 id={headingId} className="aek-plan-heading">{tr.t('plan.heading')}</h3>
      {plans.length === 0 && <p>{tr.t('plan.none')}</p>}
      {plans.map((plan) => (
        <dl key={plan.destinationName} className="aek-facts" data-destination={plan.destinationName}>
          <Fact label={tr.t('plan.destination')} className="aek-destination">
            {plan.destinationName}
          </Fact>
          <ScheduleFacts schedule={plan.schedule} now={now} />
          <Fact label={tr.t('plan.firstSync')}>{plan.syncOnCreate ? tr.t('plan.firstSyncNow') : tr.t('plan.firstSyncLater')}</Fact>
        </dl>
      ))}
    </section>
  );
}
