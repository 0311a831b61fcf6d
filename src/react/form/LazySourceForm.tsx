import { lazy, Suspense } from 'react';
import { useTranslator } from '../i18n.tsx';
import type { SourceFormProps } from './SourceForm.tsx';

/** `SourceForm`'s props, plus the text shown while its code loads (default: "Loading the form…"). */
export type LazySourceFormProps = SourceFormProps & { loadingText?: string };

type FormModule = typeof import('./SourceForm.tsx');
type LazyModule = { default: FormModule['SourceForm'] };
let loaded: FormModule | undefined;
const loadForm = () => import('./SourceForm.tsx').then((m) => (loaded = m));
// Code already loaded is handed to React synchronously (a thenable it reads at once, where a
// resolved Promise would still suspend for a tick): a form first rendered after its code arrived
// never shows the fallback, so a server's `renderToString` gives the form itself rather than a
// client-rendered boundary that React reports as a recoverable error on hydration.
const Form = lazy(() =>
  loaded
    ? ({ then: (resolve: (m: LazyModule) => void) => resolve({ default: loaded!.SourceForm }) } as unknown as Promise<LazyModule>)
    : loadForm().then((m) => ({ default: m.SourceForm })),
);

/**
 * Starts loading the form's code now (e.g. when a connector is picked), so it arrives while its
 * spec does. Resolves once it is in (never rejects: a failed load shows in the form's place).
 */
export function preloadSourceForm(): Promise<void> {
  return loadForm().then(
    () => undefined,
    () => undefined,
  );
}

// A server loads it as the entry loads (no bundle to keep small there), so the first request's
// render is the form. Trap: a render in the same tick as the import still gets the fallback; a
// server can `await preloadSourceForm()` at start-up to rule that out.
if (typeof window === 'undefined') void preloadSourceForm();

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
