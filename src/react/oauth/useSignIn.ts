import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConnectorConfig, TemplateSummary } from '../../shared/contract.ts';
import { rememberFlow } from './drafts.ts';
import type { EmbedError } from '../../shared/errors.ts';
import { useProxyClient } from '../EmbedProvider.tsx';
import type { HookOptions } from '../hooks.ts';

/** Where a sign-in stands. `grantId` (with `signed_in`) goes with the submit; tokens never reach the browser. */
export type SignInState =
  | { status: 'idle' }
  | { status: 'pending' }
  | { status: 'signed_in'; grantId: string }
  | { status: 'failed'; reason: 'closed' | 'denied' | 'expired' | 'provider_error' | 'popup_blocked'; detail?: string; error?: EmbedError };

/** What the proxy's callback page posts back (see `src/server/oauth.ts`). */
interface Outcome {
  type: 'aek-oauth';
  flowId: string;
  grantId?: string | undefined;
  error?: 'denied' | 'expired' | 'provider_error' | undefined;
  reason?: string | undefined;
}

const POPUP = 'popup=yes,width=520,height=720';

/**
 * "Sign in with …" in a popup. Trap: the window must be opened synchronously inside the click
 * handler (Safari blocks `window.open` after an `await`), so `start` opens a blank window showing
 * "Connecting to {name}…" first, then sends it to the consent URL once the proxy answers. The
 * result comes back from the proxy's callback page by `postMessage` (origin-checked) or
 * `BroadcastChannel`, matched by the flow's one-time id. A window closed without a result is
 * `closed`; a blocked popup is `popup_blocked`.
 */
export function useSignIn(
  templateId: string,
  options: HookOptions & {
    connectingText: string;
    onChange?: ((state: SignInState) => void) | undefined;
    /** Where the sign-in starts (a page back from a full-page sign-in). */
    initial?: SignInState | undefined;
    /** With a blocked popup, sign in by leaving the page instead: `beforeLeave` saves what must survive (the draft). */
    redirect?: ({ template: TemplateSummary; beforeLeave: () => Promise<void> }) | undefined;
  } = { connectingText: 'Connecting…' },
) {
  const client = useProxyClient(options.client);
  const [state, setStateRaw] = useState<SignInState>(options.initial ?? { status: 'idle' });
  const cleanup = useRef<() => void>(() => undefined);
  const latest = useRef(options);
  latest.current = options;
  const setState = useCallback((next: SignInState) => {
    setStateRaw(next);
    latest.current.onChange?.(next);
  }, []);
  useEffect(() => () => cleanup.current(), []);

  const start = useCallback(
    (inputs: ConnectorConfig) => {
      cleanup.current();
      const popup = window.open('', 'aek-oauth', POPUP);
      if (!popup) {
        const redirect = latest.current.redirect;
        if (!redirect) return setState({ status: 'failed', reason: 'popup_blocked' });
        // Blocked (or an in-app browser): the same flow as a full-page redirect that comes back here.
        setState({ status: 'pending' });
        client.startOAuth({ templateId, inputs, returnTo: location.href }).then(
          async ({ consentUrl, flowId }) => {
            rememberFlow(flowId, redirect.template);
            await redirect.beforeLeave();
            location.assign(consentUrl);
          },
          (error: EmbedError) => setState({ status: 'failed', reason: 'provider_error', error }),
        );
        return;
      }
      try {
        popup.document.title = latest.current.connectingText;
        popup.document.body.textContent = latest.current.connectingText;
      } catch {
        // A window another page already navigated: nothing to write into.
      }
      setState({ status: 'pending' });
      let done = false;
      const finish = (next: SignInState) => {
        if (done) return;
        done = true;
        cleanup.current();
        setState(next);
      };
      client.startOAuth({ templateId, inputs }).then(
        ({ consentUrl, flowId }) => {
          if (done) return;
          const proxyOrigin = client.proxyOrigin();
          const accept = (data: unknown) => {
            const d = data as Outcome | null;
            if (!d || d.type !== 'aek-oauth' || d.flowId !== flowId) return;
            if (d.grantId) finish({ status: 'signed_in', grantId: d.grantId });
            else finish({ status: 'failed', reason: d.error ?? 'provider_error', ...(d.reason ? { detail: d.reason } : {}) });
          };
          const onMessage = (event: MessageEvent) => {
            if (event.origin === proxyOrigin) accept(event.data);
          };
          window.addEventListener('message', onMessage);
          let channel: BroadcastChannel | undefined;
          try {
            channel = new BroadcastChannel('aek-oauth');
            channel.onmessage = (event) => accept(event.data);
          } catch {
            channel = undefined;
          }
          // A window closed without an answer: cancelled (checked a moment later, the answer may be on its way).
          const watch = setInterval(() => {
            if (popup.closed) setTimeout(() => finish({ status: 'failed', reason: 'closed' }), 400);
          }, 400);
          cleanup.current = () => {
            window.removeEventListener('message', onMessage);
            channel?.close();
            clearInterval(watch);
          };
          popup.location.href = consentUrl;
        },
        (error: EmbedError) => {
          popup.close();
          finish({ status: 'failed', reason: 'provider_error', error });
        },
      );
    },
    [client, templateId, setState],
  );
  const reset = useCallback(() => setState({ status: 'idle' }), [setState]);
  return { state, start, reset };
}
