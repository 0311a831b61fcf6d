import { useEffect, useRef } from 'react';
import { EmbedError } from '../shared/errors.ts';
import type { MessageKey, Translator } from '../shared/i18n/translator.ts';
import { useTranslator } from './i18n.tsx';

/**
 * What to tell the user about an error, in their language: the message for its code (which says
 * what to do next). The proxy's English message stays on the error for the host's logs.
 */
export function errorText(error: Error, tr: Translator): string {
  if (!(error instanceof EmbedError)) return tr.t('error.internal_error');
  return tr.t(`error.${error.code}` as MessageKey, { count: error.fieldErrors.length });
}

/**
 * An error the user should see now (announced by screen readers), with an optional retry. With
 * `takeFocus`, focus moves to it when it appears (after a failed submit the button that had
 * focus is gone or busy, and keyboard users should land on what went wrong).
 */
export function ErrorBanner({ error, onRetry, takeFocus }: { error: Error; onRetry?: () => void; takeFocus?: boolean }) {
  const tr = useTranslator();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (takeFocus) ref.current?.focus();
  }, [error, takeFocus]);
  const requestId = error instanceof EmbedError ? error.requestId : undefined;
  return (
    <div ref={ref} tabIndex={takeFocus ? -1 : undefined} className="aek-alert" role="alert" data-code={error instanceof EmbedError ? error.code : 'internal_error'}>
      <p className="aek-alert-message">{errorText(error, tr)}</p>
      {/* The connector's own words (in its language, usually English): what exactly it refused. */}
      {error instanceof EmbedError && error.code === 'check_failed' && <p className="aek-alert-detail">{error.message}</p>}
      {requestId && <p className="aek-alert-reference">{tr.t('common.requestId', { requestId })}</p>}
      {onRetry && (
        <button type="button" className="aek-button" onClick={onRetry}>
          {tr.t('common.retry')}
        </button>
      )}
    </div>
  );
}
