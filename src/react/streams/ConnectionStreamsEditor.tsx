import { ErrorBanner } from '../ErrorBanner.tsx';
import { useConnectionStreams, type HookOptions } from '../hooks.ts';
import { useTranslator } from '../i18n.tsx';
import { StreamPicker } from './StreamPicker.tsx';

/** The manage view's "Tables": what an existing connection syncs, changed in place (`PATCH …/streams`). */
export function ConnectionStreamsEditor({ id, connectionId, client }: HookOptions & { id: string; connectionId: string }) {
  const tr = useTranslator();
  const { query, update } = useConnectionStreams(connectionId, { client });
  return (
    <div id={id} className="aek-streams-editor">
      {query.isPending && (
        <p className="aek-loading" role="status">
          {tr.t('streams.loading')}
        </p>
      )}
      {query.error && <ErrorBanner error={query.error} onRetry={() => void query.refetch()} />}
      {update.error && <ErrorBanner error={update.error} />}
      {query.data && (
        // Keyed by the saved selection, so the checkboxes restart from what Airbyte now has.
        <StreamPicker
          key={query.data.streams.filter((s) => s.selected).map((s) => `${s.namespace ?? ''}.${s.name}`).join('|')}
          streams={query.data.streams}
          submitLabel={update.isPending ? tr.t('configure.submitting') : tr.t('streams.save')}
          disabled={update.isPending}
          onSubmit={(streams) => update.mutate(streams)}
        >
          {update.isSuccess && (
            <p className="aek-hint" role="status">
              {tr.t('streams.saved')}
            </p>
          )}
        </StreamPicker>
      )}
    </div>
  );
}
