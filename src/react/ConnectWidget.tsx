import { useState } from 'react';
import type { ConnectorConfig, OnboardingResult, TemplateSummary } from '../shared/contract.ts';
import type { EmbedError } from '../shared/errors.ts';
import { ConnectionStatusView } from './ConnectionStatusView.tsx';
import { useConnectionStatus, useCreateSource, useTemplate, useTemplates, type HookOptions } from './hooks.ts';
import { SourceForm } from './SourceForm.tsx';

export interface ConnectWidgetProps extends HookOptions {
  /** Called once per created source, with the source and its connections. */
  onSuccess?: (result: OnboardingResult) => void;
  /** Called when a submit fails (after the form has shown the error). */
  onError?: (error: EmbedError) => void;
  /** Extra class on the root, for the host's layout. */
  className?: string;
}

function ErrorBanner({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  return (
    <div className="aek-alert" role="alert">
      <p>{error.message}</p>
      {onRetry && (
        <button type="button" className="aek-button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

function Catalog({ onPick, options }: { onPick: (t: TemplateSummary) => void; options: HookOptions }) {
  const templates = useTemplates(options);
  if (templates.isPending) return <p className="aek-loading" role="status">Loading connectors…</p>;
  if (templates.isError) return <ErrorBanner error={templates.error} onRetry={() => void templates.refetch()} />;
  if (!templates.data.length) return <p className="aek-empty">No connectors are available yet.</p>;
  return (
    <ul className="aek-catalog" aria-label="Connectors">
      {templates.data.map((t) => (
        <li key={t.id}>
          <button type="button" className="aek-tile" data-template-id={t.id} onClick={() => onPick(t)}>
            {t.icon ? <img className="aek-tile-icon" src={t.icon} alt="" /> : <span className="aek-tile-icon" aria-hidden="true">{t.name.slice(0, 1)}</span>}
            <span className="aek-tile-name">{t.name}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function ConfigureStep({ template, onBack, onDone, props }: { template: TemplateSummary; onBack: () => void; onDone: (r: OnboardingResult) => void; props: ConnectWidgetProps }) {
  const detail = useTemplate(template.id, props);
  const create = useCreateSource({ client: props.client, onSuccess: onDone });
  if (detail.isPending) return <p className="aek-loading" role="status">Loading the form…</p>;
  if (detail.isError) return <ErrorBanner error={detail.error} onRetry={() => void detail.refetch()} />;
  const error = create.error;
  const submit = (config: ConnectorConfig) =>
    create.mutate({ templateId: template.id, config }, { onError: (e) => props.onError?.(e) });
  return (
    <div className="aek-configure">
      <button type="button" className="aek-link" onClick={onBack} disabled={create.isPending}>
        ← All connectors
      </button>
      <h2 className="aek-title">Connect {detail.data.name}</h2>
      {error && <ErrorBanner error={error} />}
      <SourceForm
        spec={detail.data.spec}
        onSubmit={submit}
        fieldErrors={error?.fieldErrors}
        disabled={create.isPending}
        submitLabel={create.isPending ? 'Connecting…' : 'Connect'}
      >
        {detail.data.connections.map((c) => (
          <p key={c.destinationName} className="aek-plan">
            Data will go to <strong>{c.destinationName}</strong>, {c.schedule.description.replace(/^./, (ch) => ch.toLowerCase())}
            {c.syncOnCreate ? ', starting with a first sync now.' : '.'}
          </p>
        ))}
      </SourceForm>
    </div>
  );
}

function SuccessStep({ result, onAgain, options }: { result: OnboardingResult; onAgain: () => void; options: HookOptions }) {
  const first = result.connections[0];
  const status = useConnectionStatus(first?.connection.connectionId, options);
  return (
    <div className="aek-success">
      <h2 className="aek-title">{result.source.name} is connected</h2>
      {first ? (
        <ConnectionStatusView status={status.data ?? { connection: first.connection, latestJob: first.firstJob }} />
      ) : (
        <p>No connection template applies to this source yet.</p>
      )}
      <button type="button" className="aek-button" onClick={onAgain}>
        Connect another source
      </button>
    </div>
  );
}

/**
 * The complete onboarding flow: catalog → form → connected (with live first-sync status).
 * Render it inside `<AirbyteEmbedProvider>`, or pass `client`. Styling: import
 * `airbyte-embed-kit/styles.css`; every part has a stable `aek-*` class and the root a `data-step`.
 */
export function ConnectWidget(props: ConnectWidgetProps) {
  const [step, setStep] = useState<{ kind: 'catalog' } | { kind: 'configure'; template: TemplateSummary } | { kind: 'done'; result: OnboardingResult }>({ kind: 'catalog' });
  return (
    <div className={['aek-root', props.className].filter(Boolean).join(' ')} data-step={step.kind}>
      {step.kind === 'catalog' && (
        <>
          <h2 className="aek-title">Connect a data source</h2>
          <Catalog options={props} onPick={(template) => setStep({ kind: 'configure', template })} />
        </>
      )}
      {step.kind === 'configure' && (
        <ConfigureStep
          key={step.template.id}
          template={step.template}
          props={props}
          onBack={() => setStep({ kind: 'catalog' })}
          onDone={(result) => {
            setStep({ kind: 'done', result });
            props.onSuccess?.(result);
          }}
        />
      )}
      {step.kind === 'done' && <SuccessStep result={step.result} options={props} onAgain={() => setStep({ kind: 'catalog' })} />}
    </div>
  );
}
