import { useMutation, useQueryClient } from '@tanstack/react-query';
import { clientScope, embedKeys } from '../../client/queryKeys.ts';
import type { SourceOverview } from '../../shared/contract.ts';
import type { EmbedError } from '../../shared/errors.ts';
import type { MessageKey } from '../../shared/i18n/translator.ts';
import { ErrorBanner } from '../ErrorBanner.tsx';
import { useProxyClient } from '../EmbedProvider.tsx';
import type { HookOptions } from '../hooks.ts';
import { useTranslator } from '../i18n.tsx';
import { isolatedMessage } from '../isolate.tsx';
import { useSignIn } from './useSignIn.ts';

/**
 * "Reconnect" for a source whose connector signs in: the same sign-in as on connect, then the
 * source gets the new tokens (`POST /sources/:id/reconnect`); every other setting stays. Primary
 * when its last sync failed (an expired or revoked sign-in is the usual cause).
 */
export function ReconnectButton({ source, failed, client: given, onDone }: HookOptions & { source: SourceOverview; failed: boolean; onDone?: () => void }) {
  const tr = useTranslator();
  const client = useProxyClient(given);
  const queryClient = useQueryClient();
  const reconnect = useMutation<SourceOverview, EmbedError, string>({
    mutationFn: (grantId) => client.reconnectSource(source.sourceId, grantId),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: [...embedKeys.sources(), clientScope(client)] });
      onDone?.();
    },
  });
  const signIn = useSignIn(source.templateId, {
    client: given,
    connectingText: tr.t('oauth.connecting', { name: source.templateName }),
    onChange: (next) => {
      if (next.status === 'signed_in') reconnect.mutate(next.grantId);
    },
  });
  const busy = signIn.state.status === 'pending' || reconnect.isPending;
  return (
    <span className="aek-reconnect" data-state={reconnect.isSuccess ? 'done' : signIn.state.status}>
      <button
        type="button"
        className={failed ? 'aek-button aek-button--primary' : 'aek-button'}
        aria-disabled={busy || undefined}
        onClick={() => !busy && signIn.start({})}
        title={failed ? tr.t('oauth.reconnectHint', { name: source.templateName }) : undefined}
      >
        {tr.t('oauth.reconnect')}
      </button>
      {reconnect.isSuccess && (
        <span className="aek-hint" role="status">
          {tr.t('oauth.reconnected')}
        </span>
      )}
      {signIn.state.status === 'failed' && (
        <span className="aek-alert" role="alert">
          {isolatedMessage(tr, `oauth.${signIn.state.reason}` as MessageKey, { name: source.templateName })}
        </span>
      )}
      {reconnect.error && <ErrorBanner error={reconnect.error} />}
    </span>
  );
}
