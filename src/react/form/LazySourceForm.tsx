import { lazy, Suspense } from 'react';
import { useTranslator } from '../i18n.tsx';
import type { SourceFormProps } from './SourceForm.tsx';

/** `SourceForm`'s props, plus the text shown while its code loads (default: "Loading the form…"). */
export type LazySourceFormProps = SourceFormProps & { loadingText?: string };

const Form = lazy(() => import('./SourceForm.tsx').then((m) => ({ default: m.SourceForm })));

/**
 * The connector config form, loaded on first use: RJSF and its validator are most of the kit's
 * weight, and a page showing only the catalog or the manage view never needs them. Shows
 * `loadingText` meanwhile. Same props as `SourceForm` from `airbyte-embed-kit/form`.
 */
export function LazySourceForm({ loadingText, ...props }: LazySourceFormProps) {
  const tr = useTranslator();
  return (
    <Suspense
      fallback={
        <p className="aek-loading" role="status">
          {loadingText ?? tr.t('configure.loading')}
        </p>
      }
    >
      <Form {...props} />
    </Suspense>
  );
}
