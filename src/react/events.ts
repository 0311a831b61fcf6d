import { useCallback, useRef } from 'react';
import type { ErrorCode, JobStatus } from '../shared/contract.ts';
import { newId } from '../shared/newId.ts';

/** The views of the widget; the root's `data-view` says which one is showing. */
export type WidgetView = 'catalog' | 'configure' | 'submitting' | 'success' | 'manage' | 'edit';

/** What the widget reports to the host through `onEvent`, in the order things happen. */
export type EmbedEventType =
  /** The widget was shown (mounted inline, or the modal opened). */
  | 'open'
  /** The user moved to another view (`view`). */
  | 'view'
  /** The catalog search settled (after a pause in typing): `queryLength`, `resultCount` (never the text). */
  | 'search'
  /** A connector was picked: `templateId`. */
  | 'template_selected'
  /** The form passed validation and was sent: `templateId`. */
  | 'submit'
  /** The submission failed: `templateId`, `errorCode`, `requestId`. */
  | 'submit_error'
  /** A source was created (fires once per source): `sourceId`, `templateId`, `connectionId`. */
  | 'source_created'
  /** A sync started ("Sync now"): `sourceId`, `connectionId`, `jobId`. */
  | 'sync_started'
  /** A sync the widget was watching ended: `connectionId`, `jobId`, `status`. */
  | 'sync_finished'
  /** A source's settings were saved: `sourceId`. */
  | 'source_updated'
  /** A source was deleted: `sourceId`. */
  | 'source_deleted'
  /** "Sign in with …" was clicked: `templateId` (and `sourceId` for a reconnect). */
  | 'oauth_started'
  /** The sign-in finished with a grant: `templateId`. */
  | 'oauth_completed'
  /** The sign-in did not finish: `templateId`, `reason` (`popup_blocked`, `closed`, `denied`, `expired`, `provider_error`). */
  | 'oauth_failed'
  /** An error was shown to the user: `errorCode`, `requestId`. */
  | 'error'
  /** The user left: `reason` (`close` button, `escape`, or `done`). */
  | 'exit';

/** One event. Never carries form values or secrets. */
export interface EmbedEvent {
  type: EmbedEventType;
  /** Unique per event: deduplicate on it. */
  eventId: string;
  /** One per widget session (an inline mount, or one opening of the modal): join events on it. */
  sessionId: string;
  /** ISO 8601. */
  timestamp: string;
  /** The view showing when it happened. */
  view: WidgetView;
  templateId?: string;
  sourceId?: string;
  connectionId?: string;
  jobId?: number;
  status?: JobStatus;
  errorCode?: ErrorCode;
  requestId?: string;
  queryLength?: number;
  resultCount?: number;
  reason?: 'close' | 'escape' | 'done' | 'popup_blocked' | 'closed' | 'denied' | 'expired' | 'provider_error';
}

export type EventDetails = Omit<EmbedEvent, 'type' | 'eventId' | 'sessionId' | 'timestamp' | 'view'>;

/**
 * A stable `emit(type, details)` that stamps ids, time and view and calls the host's latest
 * `onEvent` (hosts often pass a new function each render).
 */
export function useEmitter(sessionId: string, view: WidgetView, onEvent: ((event: EmbedEvent) => void) | undefined) {
  const latest = useRef({ onEvent, view, sessionId });
  latest.current = { onEvent, view, sessionId };
  return useCallback((type: EmbedEventType, details: EventDetails = {}): EmbedEvent => {
    const event: EmbedEvent = { type, eventId: newId(), sessionId: latest.current.sessionId, timestamp: new Date().toISOString(), view: latest.current.view, ...details };
    latest.current.onEvent?.(event);
    return event;
  }, []);
}
