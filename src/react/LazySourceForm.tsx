import { lazy, Suspense } from 'react';
import type { SourceFormProps } from './SourceForm.tsx';

const Form = lazy(() => import('./SourceForm.tsx').then((m) => ({ default: m.SourceForm })));

/**
 * The form, loaded on first use: RJSF and its validator are most of the kit's weight, and a host
 * page showing the catalog or the manage view never needs them. Shows `loadingText` meanwhile.
 */
export function LazySourceForm({ loadingText, ...props }: SourceFormProps & { loadingText: string }) {
  return (
    <Suspense
      fallback={
        <p className="aek-loading" role="status">
          {loadingText}
        </p>
      }
    >
      <Form {...props} />
    </Suspense>
  );
}
