import { lazy, Suspense } from 'react';
import { useTranslator } from '../i18n.tsx';
import type { SourceFormProps } from './SourceForm.tsx';

/** `SourceForm`'s props, plus the text shown while its code loads (default: "Loading the form…"). */
export type LazySourceFormProps = SourceFormProps & { loadingText?: string };

const loadForm = () => import('./SourceForm.tsx');
const Form = lazy(() => loadForm().then((m) => ({ default: m.SourceForm })));

/** Starts loading the form's code now (e.g. when a connector is picked), so it arrives while its spec does. */
export function preloadSourceForm(): void {
  void loadForm().catch(() => undefined);
}

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
