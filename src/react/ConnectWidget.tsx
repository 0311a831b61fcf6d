import { lazy, Suspense, useCallback, useEffect, useId, useRef, useState } from 'react';
import type { JobSummary, OnboardingResult, TemplateSummary } from '../shared/contract.ts';
import type { EmbedError } from '../shared/errors.ts';
import type { WidgetView } from './events.ts';
import type { HookOptions } from './hooks.ts';
import { useTranslator } from './i18n.tsx';
import { ModalDialog } from './ModalDialog.tsx';
import { reportConnected } from './reportConnected.ts';
import { SessionScope, useWidgetSession, type EventProps } from './session.tsx';
import { LazyManagerBody, loadManagerBody } from './SourceManager.tsx';
import { Catalog } from './widget/Catalog.tsx';
import { returnedFlow } from './oauth/drafts.ts';
import { preloadSourceForm } from './form/LazySourceForm.tsx';
import { ConfirmDialog } from './manage/ConfirmDialog.tsx';
import { SuccessView } from './widget/SuccessView.tsx';
import { WidgetRoot, type AppearanceProps } from './WidgetRoot.tsx';
import type { LeaveDecision, ViewHistory } from './viewHistory.ts';

// The form view (stream chooser, sign-in, drafts) loads beside the form's own chunk, fetched in
// idle time once the widget shows, so opening a connector waits for nothing more.
const loadConfigureView = () => import('./widget/ConfigureView.tsx');
const ConfigureView = lazy(() => loadConfigureView().then((m) => ({ default: m.ConfigureView })));

/** Why the widget was left, passed to `onExit`. */
export interface ExitDetails {
  reason: 'close' | 'escape' | 'done';
  view: WidgetView;
  sessionId: string;
}

export interface ConnectWidgetProps extends HookOptions, AppearanceProps, EventProps {
  /**
   * Called once per created source, with the source and its connections, even if the user
   * double-clicks or React runs effects twice (StrictMode).
   */
  onSuccess?: ((result: OnboardingResult, details: { sessionId: string }) => void) | undefined;
  /** The user left: the modal's close button or Escape, or "Done" after connecting (shown only when this is set). */
  onExit?: ((details: ExitDetails) => void) | undefined;
  /** Render as a modal dialog (`open` controls it) instead of inline in the page. */
  modal?: boolean | undefined;
  /** With `modal`: whether the dialog is open. Each opening is a new session. */
  open?: boolean | undefined;
  /** The first view: the catalog (default) or the customer's connected sources. */
  initialView?: 'catalog' | 'manage' | undefined;
  /**
   * Let the browser's Back (and Forward) walk the widget's views instead of leaving the page:
   * catalog → form → connected, the manage view and its edit form. Off by default, because it
   * writes to the page's history, which belongs to the host (its router).
   *
   * Each forward view change adds one history entry on the same URL: the host's `history.state`
   * is copied onto it, with the widget's marker added under `__aekViews`, so a router sees its own
   * state on every entry. Back shows the view before; leaving a form with typed values asks first,
   * as the widget's own Back button does; while a connect is under way Back stays. A finished
   * onboarding takes its form's entry, so Back from "connected" does not reopen a spent form.
   * Traps: on unmount (a modal closed, the widget removed) the widget pops the entries it added, and
   * at mount it drops entries left by a reload; but if the host navigates (pushState) while the
   * widget is views deep, those entries stay behind the new page, and each Back into them shows
   * the widget's page unchanged. The edit form cannot tell whether anything was typed: Back there
   * always asks. Its code loads on demand: `.aek-flow` has `data-history="on"` once Back is the widget's.
   */
  history?: boolean | undefined;
}

type Step =
  | { view: 'catalog' }
  | { view: 'configure'; template: TemplateSummary }
  | { view: 'success'; result: OnboardingResult }
  | { view: 'manage'; editSourceId?: string };

/** A browser history entry of the widget: a step, or the manage view's edit form (reached, never reopened, by Back/Forward). */
type HistoryEntry = Step | { view: 'edit' };

/**
 * The complete onboarding flow: catalog → form (with what will happen) → live steps → connected
 * with the first sync's progress, plus the manage view (sync now, history, edit, delete). Inline
 * by default, or a modal with `modal` + `open`. Render inside `<AirbyteEmbedProvider>` or pass
 * `client`. Styling: `airbyte-embed-kit/styles.css`, CSS variables on `.aek-root`, stable `aek-*`
 * classes and `data-view` on the root.
 */
export function ConnectWidget(props: ConnectWidgetProps) {
  const titleId = useId();
  // The dialog's Escape goes to the flow's exit (which knows the session and the view).
  const exitRef = useRef<(reason: ExitDetails['reason']) => void>(() => undefined);
  if (!props.modal) return <WidgetShell {...props} />;
  // The content mounts on each opening, so each opening is a new session.
  return (
    <ModalDialog open={props.open ?? false} onClose={(reason) => exitRef.current(reason)} labelledBy={titleId} className="aek-modal" initialFocus={['.aek-title']}>
      <WidgetShell {...props} titleId={titleId} exitRef={exitRef} />
    </ModalDialog>
  );
}

type ShellProps = ConnectWidgetProps & { titleId?: string; exitRef?: React.RefObject<(reason: ExitDetails['reason']) => void> };

function WidgetShell(props: ShellProps) {
  const { locale, messages, theme, dir, className } = props;
  return (
    <WidgetRoot locale={locale} messages={messages} theme={theme} dir={dir} className={['aek-widget', props.modal ? 'aek-widget--modal' : '', className].filter(Boolean).join(' ')}>
      <Flow {...props} />
    </WidgetRoot>
  );
}

const preloadManage = () => void loadManagerBody().catch(() => undefined);

function Flow(props: ShellProps) {
  const tr = useTranslator();
  const { client, onSuccess, onExit, modal, titleId, exitRef } = props;
  // Back from a full-page sign-in (popup blocked): the same connector's form, restored, signed in.
  const [returned] = useState(() => returnedFlow());
  const [step, setStep] = useState<Step>(returned ? { view: 'configure', template: returned.template } : props.initialView === 'manage' ? { view: 'manage' } : { view: 'catalog' });
  const [submitting, setSubmitting] = useState(false);
  const [manageView, setManageView] = useState<'manage' | 'edit'>('manage');
  // Read synchronously by Back (before a re-render), so kept beside the state.
  const manageViewNow = useRef<'manage' | 'edit'>('manage');
  // A new key remounts the manage view: how Back closes its edit form.
  const [manageKey, setManageKey] = useState(0);
  const view: WidgetView = step.view === 'configure' && submitting ? 'submitting' : step.view === 'manage' ? manageView : step.view;
  const session = useWidgetSession(props, view);
  const heading = useRef<HTMLHeadingElement>(null);
  const navigated = useRef(false);
  const reportedSources = useRef(new Set<string>());
  const opened = useRef(false);

  useEffect(() => {
    const idle = (globalThis as { requestIdleCallback?: (cb: () => void) => number }).requestIdleCallback ?? ((cb: () => void) => setTimeout(cb, 200));
    // Only the form view, the likely next step; the manage view loads when its link is pointed at.
    idle(() => void loadConfigureView().catch(() => undefined));
  }, []);

  // `open` once per session, even when React runs effects twice.
  useEffect(() => {
    if (opened.current) return;
    opened.current = true;
    session.emit('open');
  }, [session]);

  // Moving between views puts focus on the new view's heading; on first render only in the
  // modal (an inline widget must not steal focus from the page). The modal's content can appear
  // after the dialog opened (a language still loading), so it takes focus itself.
  useEffect(() => {
    if (!navigated.current && !modal) return;
    heading.current?.focus();
  }, [step, modal]);

  // Leaving a form with typed values asks first (Back, Escape); the draft keeps them either way.
  const dirty = useRef<(() => boolean) | undefined>(undefined);
  const [leaving, setLeaving] = useState<{ then: () => void; cancel?: () => void; body?: string } | undefined>(undefined);
  const guarded = (then: () => void) => (dirty.current?.() ? setLeaving({ then }) : then());

  const show = (next: Step) => {
    navigated.current = true;
    setSubmitting(false);
    if (manageViewNow.current === 'edit') {
      manageViewNow.current = 'manage';
      setManageView('manage');
      setManageKey((k) => k + 1);
    }
    // Back to the manage view never reopens the edit form it was opened with (from "connected").
    setStep(next.view === 'manage' && next.editSourceId ? { view: 'manage' } : next);
  };
  // With `history`, the browser's Back walks the views (viewHistory.ts, loaded only then).
  const moves = {
    show: (entry: HistoryEntry) => {
      if (entry.view !== 'edit') show(entry);
    },
    leaving: (from: HistoryEntry, to: HistoryEntry): LeaveDecision => {
      if (to.view === 'edit') return 'stay'; // Forward into a closed edit form: it cannot be reopened
      if (from.view === 'edit') return 'ask';
      if (from.view === 'configure') return submitting ? 'stay' : dirty.current?.() ? 'ask' : 'go';
      return 'go';
    },
    ask: (answer: ((leave: boolean) => void) | undefined) =>
      setLeaving(answer && { then: () => answer(true), cancel: () => answer(false), ...(manageViewNow.current === 'edit' ? { body: tr.t('leave.editBody') } : {}) }),
  };
  const movesNow = useRef(moves);
  movesNow.current = moves;
  const stepNow = useRef(step);
  stepNow.current = step;
  const historyNow = useRef<ViewHistory<HistoryEntry> | undefined>(undefined);
  const [historyReady, setHistoryReady] = useState(false);
  useEffect(() => {
    if (props.history !== true || typeof window === 'undefined') return;
    let live = true;
    void import('./viewHistory.ts').then(({ createViewHistory }) => {
      if (!live) return;
      historyNow.current = createViewHistory<HistoryEntry>({
        initial: manageViewNow.current === 'edit' ? { view: 'edit' } : stepNow.current,
        show: (entry) => movesNow.current.show(entry),
        leaving: (from, to) => movesNow.current.leaving(from, to),
        ask: (answer) => movesNow.current.ask(answer),
      });
      setHistoryReady(true);
    }, () => undefined); // its chunk did not load: Back stays the page's
    return () => {
      live = false;
      historyNow.current?.dispose();
      historyNow.current = undefined;
      setHistoryReady(false);
    };
  }, [props.history]);

  const go = useCallback((next: Step, entry: 'push' | 'replace' = 'push') => {
    navigated.current = true;
    setSubmitting(false);
    setStep(next);
    historyNow.current?.[entry](next);
  }, []);
  const manageViewChange = (next: 'manage' | 'edit') => {
    const was = manageViewNow.current;
    manageViewNow.current = next;
    setManageView(next);
    if (was === next) return;
    if (next === 'edit') historyNow.current?.push({ view: 'edit' });
    // The edit form closed itself (saved or cancelled): its entry goes too.
    else historyNow.current?.back((previous) => previous.view === 'manage');
  };
  // `view` after the change, so the event carries the new view.
  const lastView = useRef(view);
  useEffect(() => {
    if (lastView.current === view) return;
    lastView.current = view;
    session.emit('view');
  }, [view, session]);

  const exit = (reason: ExitDetails['reason']) => {
    const leave = () => {
      session.emit('exit', { reason });
      onExit?.({ reason, view, sessionId: session.sessionId });
    };
    if (reason === 'escape' && step.view === 'configure') guarded(leave);
    else leave();
  };
  if (exitRef) exitRef.current = exit;

  const created = useCallback(
    (result: OnboardingResult) => {
      // Once per source: a double submit or a replayed answer brings the same source again.
      if (!reportedSources.current.has(result.source.sourceId)) {
        reportedSources.current.add(result.source.sourceId);
        reportConnected(session, result);
        onSuccess?.(result, { sessionId: session.sessionId });
      }
      // The spent form's history entry becomes this view: Back from here skips the form.
      go({ view: 'success', result }, 'replace');
    },
    [go, onSuccess, session],
  );
  const successSourceId = step.view === 'success' ? step.result.source.sourceId : '';
  const syncFinished = useCallback(
    (connectionId: string, job: JobSummary) => session.emit('sync_finished', { sourceId: successSourceId, connectionId, jobId: job.jobId, status: job.status }),
    [session, successSourceId],
  );

  const title = (
    <h2 className="aek-title" id={titleId} tabIndex={-1} ref={heading}>
      {tr.t('catalog.title')}
    </h2>
  );

  return (
    <SessionScope session={session}>
      <div className="aek-flow" data-view={view} data-history={historyReady ? 'on' : undefined}>
        {modal && (
          <button type="button" className="aek-close" aria-label={tr.t('dialog.close')} onClick={() => exit('close')}>
            <span aria-hidden="true">×</span>
          </button>
        )}
        {step.view === 'catalog' && (
          <>
            <div className="aek-view-header">
              {title}
              <button type="button" className="aek-link" onPointerEnter={preloadManage} onFocus={preloadManage} onClick={() => go({ view: 'manage' })}>
                {tr.t('nav.manage')}
              </button>
            </div>
            <Catalog
              client={client}
              onPick={(template) => {
                session.emit('template_selected', { templateId: template.id });
                // The form view's code and the form's own load side by side with the template.
                void loadConfigureView().catch(() => undefined);
                void preloadSourceForm();
                go({ view: 'configure', template });
              }}
              onSearch={(queryLength, resultCount) => session.emit('search', { queryLength, resultCount })}
              onError={(error) => session.reportError(error)}
            />
          </>
        )}
        {step.view === 'configure' && (
          <Suspense fallback={<p className="aek-loading" role="status">{tr.t('configure.loading')}</p>}>
          <ConfigureView
            key={step.template.id}
            template={step.template}
            headingRef={heading}
            headingId={titleId}
            client={client}
            onBack={() => guarded(() => historyNow.current?.back((previous) => previous.view === 'catalog') || go({ view: 'catalog' }))}
            dirtyRef={dirty}
            onSubmitStart={() => session.emit('submit', { templateId: step.template.id })}
            onCreated={created}
            onSubmitError={(error: EmbedError) => session.reportError(error, 'submit_error', { templateId: step.template.id })}
            onOAuthEvent={(type, details) =>
              type === 'oauth_failed' ? session.emit(type, { templateId: step.template.id, reason: details.reason ?? 'provider_error' }) : session.emit(type, { templateId: step.template.id })
            }
            onLoadError={(error) => session.reportError(error, 'error', { templateId: step.template.id })}
            onPendingChange={setSubmitting}
            resume={returned?.template.id === step.template.id ? returned.outcome : undefined}
          />
          </Suspense>
        )}
        <ConfirmDialog
          open={Boolean(leaving)}
          title={tr.t('leave.title')}
          body={<p>{leaving?.body ?? tr.t('leave.body')}</p>}
          confirmLabel={tr.t('leave.confirm')}
          cancelLabel={tr.t('leave.cancel')}
          onCancel={() => {
            const cancel = leaving?.cancel;
            setLeaving(undefined);
            cancel?.();
          }}
          onConfirm={() => {
            const then = leaving?.then;
            setLeaving(undefined);
            then?.();
          }}
        />
        {step.view === 'success' && (
          <SuccessView
            result={step.result}
            headingRef={heading}
            headingId={titleId}
            client={client}
            onAnother={() => go({ view: 'catalog' })}
            onManage={() => go({ view: 'manage' })}
            onDone={onExit ? () => exit('done') : undefined}
            onSyncFinished={syncFinished}
            onSyncStarted={(connectionId, job) => session.emit('sync_started', { sourceId: step.result.source.sourceId, connectionId, jobId: job.jobId })}
            onEdit={() => go({ view: 'manage', editSourceId: step.result.source.sourceId })}
          />
        )}
        {step.view === 'manage' && (
          <LazyManagerBody key={manageKey} session={session} client={client} onConnect={() => go({ view: 'catalog' })} onViewChange={manageViewChange} focusOnMount={navigated.current} headingId={titleId} editSourceId={step.editSourceId} />
        )}
      </div>
    </SessionScope>
  );
}
