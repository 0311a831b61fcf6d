import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { EmbedError } from '../shared/errors.ts';
import { newId } from '../shared/newId.ts';
import { useEmitter, type EmbedEvent, type Emit, type EventDetails, type WidgetView } from './events.ts';

/** Where an error happened, passed to the host's `onError` with the error. */
export interface ErrorContext {
  sessionId: string;
  view: WidgetView;
}

/** The host callbacks every top-level component takes. */
export interface EventProps {
  /** Every step of the flow, with a session id and an event id (see {@link EmbedEvent}). */
  onEvent?: ((event: EmbedEvent) => void) | undefined;
  /** Every error shown to the user, as an `EmbedError` (its `message` is the proxy's English text, for logs). */
  onError?: ((error: EmbedError, context: ErrorContext) => void) | undefined;
}

/** What the parts of a widget use to report to the host. */
export interface WidgetSession {
  sessionId: string;
  emit: Emit;
  /** Emits `type` (default `error`) with the error's code (and request id) and calls `onError`. */
  reportError: ReportError;
}

/** What an error event is given besides the error's own code and request id. */
type ErrorExtras<T extends 'error' | 'submit_error'> = Omit<EventDetails<T>, 'errorCode' | 'requestId'>;
type ReportError = {
  (error: Error, type?: 'error', details?: ErrorExtras<'error'>): void;
  (error: Error, type: 'submit_error', details: ErrorExtras<'submit_error'>): void;
};

const SessionContext = createContext<WidgetSession | null>(null);

/** Makes `session` the one the parts below report through. */
export function SessionScope({ session, children }: { session: WidgetSession; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** The enclosing widget's session, if any. */
export function useParentSession(): WidgetSession | null {
  return useContext(SessionContext);
}

/** Errors only the host's developer can fix: the customer sees a general message, the console says which. */
const HOST_SETUP_CODES = new Set(['session_unavailable', 'host_misconfigured', 'origin_not_allowed']);

/**
 * Errors whose message is for the host's developer, said in the console in development: setup
 * errors, a token the proxy refuses (another secret, not a token, expired again after a refresh),
 * and a call the browser could not make at all (status 0: unreachable, or refused cross-origin).
 */
const forDeveloper = (e: EmbedError) => HOST_SETUP_CODES.has(e.code) || e.code === 'unauthorized' || e.code === 'session_expired' || (e.code === 'upstream_unavailable' && e.status === 0);
const warned = new Set<string>();

/**
 * Development only: the developer's own message of a setup error (which of getSessionToken,
 * baseUrl, CORS… failed), once per message, as the screen says only that the page is not set up.
 */
function warnDeveloper(error: EmbedError): void {
  if (process.env.NODE_ENV === 'production' || warned.has(error.message)) return;
  warned.add(error.message);
  console.warn(`airbyte-embed-kit: ${error.code}: ${error.message} (Shown in development only.)`);
}

/** A new session (its id fixed for the component's life unless `renew` is called). */
export function useWidgetSession(props: EventProps, view: WidgetView): WidgetSession & { renew: () => string } {
  const [sessionId, setSessionId] = useState(newId);
  const emit = useEmitter(sessionId, view, props.onEvent);
  const onError = useRef(props.onError);
  onError.current = props.onError;
  const viewRef = useRef(view);
  viewRef.current = view;
  const reportError = useCallback(
    ((error: Error, type: 'error' | 'submit_error' = 'error', details: ErrorExtras<'error'> | ErrorExtras<'submit_error'> = {}) => {
      const e = error instanceof EmbedError ? error : new EmbedError('internal_error', error.message, { cause: error });
      const fields = { errorCode: e.code, ...(e.requestId ? { requestId: e.requestId } : {}) };
      // The overloads pair each type with its details (a submit_error always has its templateId).
      if (type === 'submit_error') emit('submit_error', { ...(details as ErrorExtras<'submit_error'>), ...fields });
      else emit('error', { ...details, ...fields });
      if (forDeveloper(e)) warnDeveloper(e);
      onError.current?.(e, { sessionId, view: viewRef.current });
    }) as ReportError,
    [emit, sessionId],
  );
  const renew = useCallback(() => {
    const id = newId();
    setSessionId(id);
    return id;
  }, []);
  return useMemo(() => ({ sessionId, emit, reportError, renew }), [sessionId, emit, reportError, renew]);
}
