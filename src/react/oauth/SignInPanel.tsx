import type { MessageKey } from '../../shared/i18n/translator.ts';
import { useTranslator } from '../i18n.tsx';
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
          {tr.t('oauth.signedIn', { name })}
        </p>
      )}
      {state.status === 'pending' && (
        <p className="aek-hint" role="status">
          {tr.t('oauth.pending', { name })}
        </p>
      )}
      {state.status === 'failed' && (
        <div className="aek-alert" role="alert">
          <p>{tr.t(`oauth.${state.reason}` as MessageKey, { name })}</p>
          {state.detail && <p className="aek-alert-detail">{state.detail}</p>}
        </div>
      )}
      <button type="button" className={signedIn ? 'aek-button' : 'aek-button aek-button--primary aek-signin-button'} onClick={onSignIn} disabled={disabled} aria-disabled={state.status === 'pending' || undefined}>
        {signedIn || state.status === 'failed' ? (signedIn ? tr.t('oauth.signInAgain') : tr.t('oauth.signIn', { name })) : tr.t('oauth.signIn', { name })}
      </button>
    </div>
  );
}
