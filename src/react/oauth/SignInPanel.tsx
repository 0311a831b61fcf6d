import type { MessageKey } from '../../shared/i18n/translator.ts';
import { useTranslator } from '../i18n.tsx';
import { isolatedMessage } from '../isolate.tsx';
import type { SignInState } from './useSignIn.ts';

/**
 * Where the sign-in option's token fields would be: "Sign in with {name}", then "Signed in" with
 * "Sign in again", or what went wrong (cancelled, denied with the provider's reason, popup
 * blocked) with the button to try again. `data-state` mirrors the state for styling and tests.
 */
export function SignInPanel({ name, state, onSignIn, disabled }: { name: string; state: SignInState; onSignIn: () => void; disabled?: boolean }) {
  const tr = useTranslator();
  const signedIn = state.status === 'signed_in';
  return (
    <div className="aek-signin" data-state={state.status} data-reason={state.status === 'failed' ? state.reason : undefined}>
      {signedIn && (
        <p className="aek-signin-done" role="status">
          <span aria-hidden="true">✓ </span>
          {isolatedMessage(tr, 'oauth.signedIn', { name })}
        </p>
      )}
      {state.status === 'pending' && (
        <p className="aek-hint" role="status">
          {isolatedMessage(tr, 'oauth.pending', { name })}
        </p>
      )}
      {state.status === 'failed' && (
        <div className="aek-alert" role="alert">
          <p>{isolatedMessage(tr, `oauth.${state.reason}` as MessageKey, { name })}</p>
          {state.detail && <p className="aek-alert-detail" dir="auto">{state.detail}</p>}
        </div>
      )}
      <button type="button" className={signedIn ? 'aek-button' : 'aek-button aek-button--primary aek-signin-button'} onClick={onSignIn} disabled={disabled} aria-disabled={state.status === 'pending' || undefined}>
        {signedIn || state.status === 'failed' ? (signedIn ? tr.t('oauth.signInAgain') : isolatedMessage(tr, 'oauth.signIn', { name })) : isolatedMessage(tr, 'oauth.signIn', { name })}
      </button>
    </div>
  );
}
