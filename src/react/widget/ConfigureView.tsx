import { useEffect, useRef, useState } from 'react';
import { isOnboardingPending, type ConnectorConfig, type JsonSchema, type OnboardingPending, type OnboardingResult, type StreamRef, type TemplateSummary } from '../../shared/contract.ts';
import { StreamPicker } from '../streams/StreamPicker.tsx';
import { SignInPanel } from '../oauth/SignInPanel.tsx';
import { useSignIn } from '../oauth/useSignIn.ts';
import { clearDraft, loadDraft, saveDraft } from '../oauth/drafts.ts';
import { useProxyClient } from '../EmbedProvider.tsx';
import { oauthChosen } from '../../shared/oauthSpec.ts';
import type { EmbedError } from '../../shared/errors.ts';
import { BackButton } from '../BackButton.tsx';
import { ErrorBanner } from '../ErrorBanner.tsx';
import { useCreateSource, useOnboardingProgress, useTemplate, type HookOptions } from '../hooks.ts';
import { useTranslator } from '../i18n.tsx';
import { isolatedMessage } from '../isolate.tsx';
import { LazySourceForm } from '../form/LazySourceForm.tsx';
import { OnboardingProgressView } from './OnboardingProgressView.tsx';
import { PlanSummary } from './PlanSummary.tsx';

export interface ConfigureViewProps extends HookOptions {
  template: TemplateSummary;
  /** The view's heading, focused when the view opens. */
  headingRef: React.RefObject<HTMLHeadingElement | null>;
  /** Id for the heading (names the modal dialog). */
  headingId?: string | undefined;
  onBack: () => void;
  onSubmitStart: () => void;
  onCreated: (result: OnboardingResult) => void;
  onSubmitError: (error: EmbedError) => void;
  onLoadError: (error: Error) => void;
  onPendingChange: (pending: boolean) => void;
  /** Sign-in events (`oauth_started`, `oauth_completed`, `oauth_failed` with its reason). */
  onOAuthEvent?: ((type: 'oauth_started' | 'oauth_completed' | 'oauth_failed', details: { reason?: 'popup_blocked' | 'closed' | 'denied' | 'expired' | 'provider_error' }) => void) | undefined;
  /** Set to a check the widget asks before leaving (Back, Escape): true when the form holds values typed since it opened. */
  dirtyRef?: ({ current: (() => boolean) | undefined }) | undefined;
  /** The outcome of a full-page sign-in this page came back from. */
  resume?: { flowId: string; grantId?: string; error?: string; reason?: string } | undefined;
}

/**
 * A connector's form with, above the submit button, what connecting will do; while submitting,
 * the onboarding's live steps; on failure, the error above the form, which keeps every value.
 */
export function ConfigureView({ template, headingRef, headingId, onBack, onSubmitStart, onCreated: created, onSubmitError, onLoadError, onPendingChange, onOAuthEvent, resume, dirtyRef, client }: ConfigureViewProps) {
  // The form's non-secret values survive a reload and the sign-in's redirect; cleared once connected.
  const proxy = useProxyClient(client);
  const scope = proxy.proxyOrigin();
  const [draft] = useState(() => loadDraft(scope, template.id));
  // Once connected, nothing is saved again (a pending save would bring the draft back).
  const connected = useRef(false);
  const onCreated = (result: OnboardingResult) => {
    connected.current = true;
    clearDraft(scope, template.id);
    created(result);
  };
  const tr = useTranslator();
  const detail = useTemplate(template.id, { client });
  const create = useCreateSource({ client, onSuccess: onCreated });
  const progress = useOnboardingProgress(create.submissionKey, { client, enabled: create.isPending });
  // After a failure the customer sees how far it got: the steps done stay, the one that stopped is
  // marked (a source already saved is not "not responding" as if nothing happened).
  const stoppedKey = create.error && create.submissionKey && (create.error.code === 'upstream_unavailable' || create.error.code === 'internal_error' || create.error.code === 'request_timeout') ? create.submissionKey : undefined;
  useEffect(() => {
    if (stoppedKey) void progress.refetch();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stoppedKey, create.error]);
  const stalled = stoppedKey && !create.isPending && progress.data?.status === 'stalled' ? progress.data : undefined;
  const sourceSaved = Boolean(stalled?.steps.some((s) => s.step === 'source' && s.state === 'done'));
  const reported = useRef<Error | null>(null);

  useEffect(() => onPendingChange(create.isPending), [create.isPending, onPendingChange]);
  useEffect(() => {
    if (detail.error && reported.current !== detail.error) {
      reported.current = detail.error;
      onLoadError(detail.error);
    }
  }, [detail.error, onLoadError]);

  const name = detail.data?.name ?? template.name;
  // "Sign in with …" for the option the template's advancedAuth names: shown while that option is chosen.
  const plan = detail.data?.oauth;
  const formValues = useRef<ConnectorConfig>({});
  const [oauthActive, setOauthActive] = useState(false);
  const [oauthRequired, setOauthRequired] = useState(false);
  const signIn = useSignIn(template.id, {
    client,
    initial: resume?.grantId
      ? { status: 'signed_in', grantId: resume.grantId }
      : resume
        ? { status: 'failed', reason: resume.error === 'denied' ? 'denied' : 'provider_error', ...(resume.reason ? { detail: resume.reason } : {}) }
        : undefined,
    redirect: { template, beforeLeave: () => (detail.data ? saveDraft(scope, template.id, detail.data.spec, formValues.current) : Promise.resolve()) },
    connectingText: tr.t('oauth.connecting', { name }),
    onChange: (next) => {
      setOauthRequired(false);
      if (next.status === 'pending') onOAuthEvent?.('oauth_started', {});
      else if (next.status === 'signed_in') onOAuthEvent?.('oauth_completed', {});
      else if (next.status === 'failed') onOAuthEvent?.('oauth_failed', { reason: next.reason });
    },
  });
  const saveTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // A save still computing when the form goes (unmounted, or connected) writes nothing.
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      clearTimeout(saveTimer.current);
    };
  }, []);
  // What the form showed first (its defaults, or the draft): values differing from it are "typed".
  const firstValues = useRef<string | undefined>(undefined);
  if (dirtyRef) dirtyRef.current = () => !connected.current && !create.isPending && firstValues.current !== undefined && JSON.stringify(formValues.current) !== firstValues.current;
  const onFormChange = (config: ConnectorConfig) => {
    firstValues.current ??= JSON.stringify(config);
    formValues.current = config;
    clearTimeout(saveTimer.current);
    const spec = detail.data?.spec;
    if (spec) saveTimer.current = setTimeout(() => void (!connected.current && saveDraft(scope, template.id, spec, config, () => mounted.current && !connected.current)), 300);
    const active = Boolean(plan && oauthChosen({ ...plan, outputPaths: [] }, config));
    if (active !== oauthActive) setOauthActive(active);
  };
  useEffect(() => {
    // The form's first values (defaults) decide before any change.
    if (plan && !oauthActive && !plan.predicateKey.length) setOauthActive(true);
  }, [plan, oauthActive]);
  // A grant works once: after a refused submit the customer signs in again.
  useEffect(() => {
    if (create.error && signIn.state.status === 'signed_in') signIn.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [create.error]);

  const signInBlock = (
    <>
      <SignInPanel name={name} state={signIn.state} onSignIn={() => signIn.start(formValues.current)} />
      {oauthRequired && (
        <p className="aek-alert" role="alert">
          {tr.t('oauth.required', { name })}
        </p>
      )}
    </>
  );
  // Where the token fields were: inside the choice that holds the sign-in option (else above the plan).
  const parent = plan ? plan.predicateKey.slice(0, -1) : [];
  const inChoice = Boolean(plan && parent.length && isChoice(detail.data?.spec, parent));
  const slot = oauthActive && inChoice && !create.isPending ? { path: parent, node: signInBlock } : undefined;

  // The values of the last submit: the stream choice is sent with them, under the same key.
  const lastConfig = useRef<ConnectorConfig | undefined>(undefined);
  const lastOAuth = useRef<{ grantId: string } | undefined>(undefined);
  const submit = (config: ConnectorConfig) => {
    // A double click (or Enter twice) while the first is running sends nothing more.
    if (create.isPending) return;
    const active = Boolean(plan && oauthChosen({ ...plan, outputPaths: [] }, config));
    if (active && signIn.state.status !== 'signed_in') return setOauthRequired(true);
    lastConfig.current = config;
    lastOAuth.current = active && signIn.state.status === 'signed_in' ? { grantId: signIn.state.grantId } : undefined;
    onSubmitStart();
    create.mutate({ templateId: template.id, config, ...(lastOAuth.current ? { oauth: lastOAuth.current } : {}) }, { onError: onSubmitError });
  };
  const submitStreams = (streams: StreamRef[]) => {
    if (create.isPending || !lastConfig.current) return;
    create.mutate({ templateId: template.id, config: lastConfig.current, streams, ...(lastOAuth.current ? { oauth: lastOAuth.current } : {}) }, { onError: onSubmitError });
  };
  // After the check, a template that lets the customer choose asks which streams to sync.
  // Kept while the choice is sent (a new mutation clears `data`), and after a refused one.
  const asked = create.data && isOnboardingPending(create.data) && create.data.status === 'needs_streams' ? create.data : undefined;
  const [choice, setChoice] = useState<OnboardingPending | undefined>(undefined);
  useEffect(() => {
    if (asked) setChoice(asked);
  }, [asked]);
  const choosing = Boolean(asked ?? choice);
  return (
    <div className="aek-configure">
      <BackButton onClick={onBack} disabled={create.isPending}>
        {tr.t('nav.back')}
      </BackButton>
      <h2 className="aek-title" id={headingId} tabIndex={-1} ref={headingRef}>
        {isolatedMessage(tr, 'configure.title', { name })}
      </h2>
      {detail.isPending && (
        <p className="aek-loading" role="status">
          {tr.t('configure.loading')}
        </p>
      )}
      {detail.isError && <ErrorBanner error={detail.error} onRetry={() => void detail.refetch()} />}
      {create.error && !create.isPending && <ErrorBanner error={create.error} takeFocus />}
      {detail.data && choosing && (
        <StreamPicker
          streams={(asked ?? choice)?.streams ?? []}
          intro={isolatedMessage(tr, 'streams.intro', { name })}
          submitLabel={create.isPending ? tr.t('configure.submitting') : tr.t('streams.submit')}
          onSubmit={submitStreams}
          disabled={create.isPending}
        >
          {create.isPending && <OnboardingProgressView name={name} plans={detail.data.connections} progress={progress.data} />}
        </StreamPicker>
      )}
      {detail.data && !choosing && (
        <LazySourceForm
          loadingText={tr.t('configure.loading')}
          spec={detail.data.spec}
          onSubmit={submit}
          onChange={onFormChange}
          draft={draft}
          slot={slot}
          fieldErrors={create.isPending ? undefined : create.error?.fieldErrors}
          disabled={create.isPending}
          submitLabel={create.isPending ? tr.t('configure.submitting') : tr.t('configure.submit')}
        >
          {oauthActive && !create.isPending && !inChoice && signInBlock}
          {create.isPending ? (
            <OnboardingProgressView name={name} plans={detail.data.connections} progress={progress.data} />
          ) : stalled && sourceSaved ? (
            <>
              <OnboardingProgressView name={name} plans={detail.data.connections} progress={stalled} stopped />
              <p className="aek-hint aek-stalled-hint">{tr.t('progress.stalledSaved', { name })}</p>
            </>
          ) : (
            <PlanSummary plans={detail.data.connections} />
          )}
        </LazySourceForm>
      )}
    </div>
  );
}

/** Whether the spec has a oneOf (a choice) at `path`. */
function isChoice(spec: JsonSchema | undefined, path: string[]): boolean {
  let node: unknown = spec;
  for (const key of path) {
    const props = node && typeof node === 'object' ? (node as { properties?: Record<string, unknown> }).properties : undefined;
    node = props && Object.prototype.hasOwnProperty.call(props, key) ? props[key] : undefined;
  }
  return Boolean(node && typeof node === 'object' && Array.isArray((node as { oneOf?: unknown }).oneOf));
}
