import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import type { HookOptions } from './hooks.ts';
import { useTranslator } from './i18n.tsx';
import { SessionScope, useParentSession, useWidgetSession, type EventProps } from './session.tsx';
import { WidgetRoot, type AppearanceProps } from './WidgetRoot.tsx';

/** The manage view's code (cards, history, edit, delete), loaded when a manage view first shows. */
export const loadManagerBody = () => import('./manage/ManagerBody.tsx');
const ManagerBody = lazy(() => loadManagerBody().then((m) => ({ default: m.ManagerBody })));

/** What shows while the manage view's code loads: the same words as while the list loads. */
export function ManagerLoading() {
  const tr = useTranslator();
  return (
    <p className="aek-loading" role="status">
      {tr.t('manage.loading')}
    </p>
  );
}

/** The manage view's content (see `manage/ManagerBody.tsx`), its code loaded on first use. */
export function LazyManagerBody(props: import('./manage/ManagerBody.tsx').ManagerBodyProps) {
  return (
    <Suspense fallback={<ManagerLoading />}>
      <ManagerBody {...props} />
    </Suspense>
  );
}

export interface SourceManagerProps extends HookOptions, AppearanceProps, EventProps {
  /** Shows a "Connect a source" button that calls this (e.g. to open the connect widget). */
  onConnect?: (() => void) | undefined;
  /** Called when the manager switches between its list and a source's edit form. */
  onViewChange?: ((view: 'manage' | 'edit') => void) | undefined;
}

/**
 * The customer's connected sources: state, last sync, next run, "Sync now", sync history, edit
 * (secrets masked) and delete with a confirmation. Usable alone or inside `ConnectWidget`.
 */
export function SourceManager({ locale, messages, theme, dir, className, ...props }: SourceManagerProps) {
  return (
    <WidgetRoot locale={locale} messages={messages} theme={theme} dir={dir} className={className} data={{ 'data-view': 'manage' }}>
      <StandaloneSession {...props} />
    </WidgetRoot>
  );
}

function StandaloneSession(props: Omit<SourceManagerProps, keyof AppearanceProps>) {
  const parent = useParentSession();
  const [view, setView] = useState<'manage' | 'edit'>('manage');
  const own = useWidgetSession(props, view);
  const session = parent ?? own;
  const opened = useRef(false);
  useEffect(() => {
    if (parent || opened.current) return;
    opened.current = true;
    own.emit('open');
  }, [parent, own]);
  const onViewChange = props.onViewChange;
  const changeView = useCallback(
    (next: 'manage' | 'edit') => {
      setView(next);
      onViewChange?.(next);
    },
    [onViewChange],
  );
  return (
    <SessionScope session={session}>
      <LazyManagerBody {...props} session={session} onViewChange={changeView} focusOnMount={false} />
    </SessionScope>
  );
}

