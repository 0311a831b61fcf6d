import { useCallback, useRef } from 'react';
import type { ErrorCode, JobStatus } from '../shared/contract.ts';
import { newId } from '../shared/newId.ts';

/** The views of the widget; the root's `data-view` says which one is showing. */
export type WidgetView = 'catalog' | 'configure' | 'submitting' | 'success' | 'manage' | 'edit';

/** Why a sign-in did not finish (`oauth_failed`). */
export type OAuthFailureReason = 'popup_blocked' | 'closed' | 'denied' | 'expired' | 'provider_error';

/**
 * Each event's own fields, by type: what the widget reports to the host through `onEvent`, in the
 * order things happen. An {@link EmbedEvent} of that type carries exactly these (and the common
 * ones), so `event.type === 'source_created'` makes `event.sourceId` a `string`.
 */
export interface EmbedEventFields {
  /** The widget was shown (mounted inline, or the modal opened). */
  open: {};
  /** The user moved to another view (the event's `view`). */
  view: {};
  /** The catalog search settled (after a pause in typing). Never the text itself. */
  search: { queryLength: number; resultCount: number };
  /** A connector was picked. */
  template_selected: { templateId: string };
  /** The form passed validation and was sent. */
  submit: { templateId: string };
  /** The submission failed. `requestId` when the proxy answered (quote it to support). */
  submit_error: { templateId: string; errorCode: ErrorCode; requestId?: string };
  /** A source was created (fires once per source). `connectionId`: its first connection, when its template makes one. */
  source_created: { sourceId: string; templateId: string; connectionId?: string };
  /** A sync started ("Sync now"). */
  sync_started: { sourceId: string; connectionId: string; jobId: number };
  /** A sync the widget was watching ended. */
  sync_finished: { sourceId: string; connectionId: string; jobId: number; status: JobStatus };
  /** A source's settings were saved. */
  source_updated: { sourceId: string; templateId: string };
  /** A source was deleted. */
  source_deleted: { sourceId: string; templateId: string };
  /** "Sign in with …" was clicked (in the connect form). */
  oauth_started: { templateId: string };
  /** The sign-in finished with a grant. */
  oauth_completed: { templateId: string };
  /** The sign-in did not finish. */
  oauth_failed: { templateId: string; reason: OAuthFailureReason };
  /**
   * An error was shown to the user. `requestId` when the proxy answered; the ids of what it was
   * about (`templateId` in the form, `sourceId`/`connectionId` in the manage view) when there is one.
   */
  error: { errorCode: ErrorCode; requestId?: string; templateId?: string; sourceId?: string; connectionId?: string };
  /** The user left: the close button, Escape, or Done. */
  exit: { reason: 'close' | 'escape' | 'done' };
}

/** The type of an {@link EmbedEvent}. */
export type EmbedEventType = keyof EmbedEventFields;

/** What every event carries. Never form values or secrets. */
export interface EmbedEventCommon<T extends EmbedEventType = EmbedEventType> {
  type: T;
  /** Unique per event: deduplicate on it. */
  eventId: string;
  /** One per widget session (an inline mount, or one opening of the modal): join events on it. */
  sessionId: string;
  /** ISO 8601. */
  timestamp: string;
  /** The view showing when it happened. */
  view: WidgetView;
}

/** The event of one type: `EmbedEventOf<'source_created'>`. */
export type EmbedEventOf<T extends EmbedEventType> = EmbedEventCommon<T> & EmbedEventFields[T];

/**
 * One event, a union discriminated by `type`: narrow on it (`switch (event.type)`) to read that
 * type's fields. Never carries form values or secrets.
 */
export type EmbedEvent = { [T in EmbedEventType]: EmbedEventOf<T> }[EmbedEventType];

/** The fields `emit(type, …)` is given for an event of type `T` (the common ones are stamped). */
export type EventDetails<T extends EmbedEventType = EmbedEventType> = EmbedEventFields[T];

/** `emit`'s arguments: the details may be left out only for types that have none required. */
type EmitArgs<T extends EmbedEventType> = {} extends EventDetails<T> ? [type: T, details?: EventDetails<T>] : [type: T, details: EventDetails<T>];

/** The widget's `emit`, typed per event type. */
export type Emit = <T extends EmbedEventType>(...args: EmitArgs<T>) => EmbedEvent;

/**
 * A stable `emit(type, details)` that stamps ids, time and view and calls the host's latest
 * `onEvent` (hosts often pass a new function each render).
 */
export function useEmitter(sessionId: string, view: WidgetView, onEvent: ((event: EmbedEvent) => void) | undefined): Emit {
  const latest = useRef({ onEvent, view, sessionId });
  latest.current = { onEvent, view, sessionId };
  return useCallback(((type: EmbedEventType, details: object = {}): EmbedEvent => {
    // The details are the type's own (EmitArgs): the union cannot be checked member by member here.
    const event = { type, eventId: newId(), sessionId: latest.current.sessionId, timestamp: new Date().toISOString(), view: latest.current.view, ...details } as EmbedEvent;
    latest.current.onEvent?.(event);
    return event;
  }) as Emit, []);
}
