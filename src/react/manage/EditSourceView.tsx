import { useEffect, useRef } from 'react';
import type { ConnectorConfig, SourceOverview } from '../../shared/contract.ts';
import { BackButton } from '../BackButton.tsx';
import { ErrorBanner } from '../ErrorBanner.tsx';
import { useSource, useUpdateSource, type HookOptions } from '../hooks.ts';
import { useTranslator } from '../i18n.tsx';
import { LazySourceForm } from '../form/LazySourceForm.tsx';
import type { WidgetSession } from '../session.tsx';

export interface EditSourceViewProps extends HookOptions {
  source: SourceOverview;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
  headingId?: string | undefined;
  session: WidgetSession;
  /** Back to the list; `saved` says whether the changes were saved. */
  onDone: (saved: boolean) => void;
}

/**
 * A source's form filled with its saved values. Secrets arrive masked and show as "Saved" with a
 * Replace button; left as they are, the proxy keeps the stored value. A failed save keeps every value.
 */
export function EditSourceView({ source, headingRef, headingId, session, onDone, client }: EditSourceViewProps) {
  const tr = useTranslator();
  const detail = useSource(source.sourceId, { client });
  const update = useUpdateSource({ client });
  const reported = useRef<Error | null>(null);
  useEffect(() => {
    if (detail.error && reported.current !== detail.error) {
      reported.current = detail.error;
      session.reportError(detail.error, 'error', { sourceId: source.sourceId });
    }
  }, [detail.error, session, source.sourceId]);

  const submit = (config: ConnectorConfig) => {
    if (update.isPending) return;
    update.mutate(
      { sourceId: source.sourceId, config },
      {
        onSuccess: () => {
          session.emit('source_updated', { sourceId: source.sourceId, templateId: source.templateId });
          onDone(true);
        },
        onError: (error) => session.reportError(error, 'error', { sourceId: source.sourceId }),
      },
    );
  };
  return (
    <div className="aek-edit">
      <BackButton onClick={() => onDone(false)} disabled={update.isPending}>
        {tr.t('nav.manage')}
      </BackButton>
      <h2 className="aek-title" id={headingId} tabIndex={-1} ref={headingRef}>
        {tr.t('edit.title', { name: source.name })}
      </h2>
      {detail.isPending && (
        <p className="aek-loading" role="status">
          {tr.t('edit.loading')}
        </p>
      )}
      {detail.isError && <ErrorBanner error={detail.error} onRetry={() => void detail.refetch()} />}
      {update.error && !update.isPending && <ErrorBanner error={update.error} takeFocus />}
      {detail.data && (
        <>
          <p className="aek-hint">{tr.t('edit.secretsNote')}</p>
          <LazySourceForm
            loadingText={tr.t('edit.loading')}
            spec={detail.data.spec}
            formData={detail.data.config}
            onSubmit={submit}
            fieldErrors={update.isPending ? undefined : update.error?.fieldErrors}
            disabled={update.isPending}
            submitLabel={update.isPending ? tr.t('edit.saving') : tr.t('edit.save')}
          >
            <button type="button" className="aek-button aek-edit-cancel" onClick={() => onDone(false)} disabled={update.isPending}>
              {tr.t('edit.cancel')}
            </button>
          </LazySourceForm>
        </>
      )}
    </div>
  );
}
