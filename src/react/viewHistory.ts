/**
 * Lets the browser's Back and Forward buttons walk a widget's views (ConnectWidget's `history`
 * prop). Framework-free and loaded only when a host turns `history` on, so no other page pays for it.
 */

/**
 * The key under which widgets mark the browser's history entries they pushed:
 * `history.state[KEY][owner] = depth`. Everything else in the state is the host's (its router's
 * `idx`, `key`, `usr`…) and is copied onto every entry the widget pushes.
 */
export const HISTORY_STATE_KEY = '__aekViews';

type Marks = Record<string, number>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function marksOf(state: unknown): Marks {
  const marks = isRecord(state) ? state[HISTORY_STATE_KEY] : undefined;
  return isRecord(marks) ? (marks as Marks) : {};
}

/** A widget's depth in a history entry: 0 on any entry it did not push (the host's own). */
function depthIn(state: unknown, owner: string): number {
  const d = marksOf(state)[owner];
  return typeof d === 'number' && Number.isInteger(d) && d > 0 ? d : 0;
}

/** Widgets mounted now (their marks are live; any other mark in the state is left over from an earlier page or mount). */
const live = new Set<string>();
/** A drop of entries is under way (StrictMode mounts twice, a modal reopens, before it lands). */
let dropping = false;
/** Goes `by` entries, and clears `dropping` when the browser lands, even after every widget unmounted. */
function startDrop(by: number): void {
  if (!dropping) window.addEventListener('popstate', () => (dropping = false), { once: true });
  dropping = true;
  window.history.go(by);
}

/** What leaving the shown entry for another by Back/Forward takes: nothing, the user's yes, or it is refused (stay). */
export type LeaveDecision = 'go' | 'ask' | 'stay';

export interface ViewHistoryOptions<T> {
  /** The entry shown now (depth 0: the host's own history entry). */
  initial: T;
  /** Show an entry the user went Back or Forward to. */
  show: (entry: T) => void;
  /** Whether leaving `from` for `to` needs a yes (a form with typed values) or is refused (a connect under way). */
  leaving: (from: T, to: T) => LeaveDecision;
  /** Ask the user: call `answer(true)` to leave, `answer(false)` to stay; called with undefined to withdraw the question (the user came back by themselves). */
  ask: (answer: ((leave: boolean) => void) | undefined) => void;
}

export interface ViewHistory<T> {
  /** A forward move to a new view: one browser history entry (the same URL), forward entries dropped. */
  push: (entry: T) => void;
  /** The shown view changed without a new entry (a form became its result: Back skips the spent form). */
  replace: (entry: T) => void;
  /**
   * An in-widget Back button: when the previous entry is one `accepts` takes, shows it and goes back
   * in the browser too (returns true); else false (the caller pushes its own target instead).
   */
  back: (accepts: (previous: T) => boolean) => boolean;
  /** The widget unmounts: stop listening, and pop the entries it pushed while the browser still stands on them. */
  dispose: () => void;
}

/**
 * Starts walking a widget's views with the browser's history. Each forward view change pushes one
 * entry on the current URL, marked with this widget's id and depth; `popstate` shows the entry the
 * browser arrived at. Leaving may be asked first or refused (`leaving`): the browser has already
 * moved by then, so "stay" moves it back.
 *
 * Traps, handled here: the host's own `history.state` (its router's) is copied onto every entry, so
 * the router sees the same state on each; `dispose` pops this widget's entries, so the host's Back
 * is not eaten by them; entries left over from a reload or an earlier mount (marks of no live
 * widget) are dropped at start. Not handled: a host that navigates (pushState) while the widget is
 * views deep leaves those entries behind its new page, each a Back press that shows the widget's
 * page unchanged.
 */
export function createViewHistory<T>({ initial, show, leaving, ask }: ViewHistoryOptions<T>): ViewHistory<T> {
  const owner = globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
  let entries: T[] = [initial];
  let depth = 0;
  /** Where the browser is while a question is open (it moved before we asked). */
  let browserDepth = 0;
  /** A question from here is open. */
  let asking = false;

  live.add(owner);
  const marks = marksOf(window.history.state);
  const leftOver = Object.entries(marks).filter(([o]) => !live.has(o));
  if (!dropping && leftOver.length === Object.keys(marks).length) {
    const extra = leftOver.reduce((sum, [, d]) => sum + (typeof d === 'number' && d > 0 ? d : 0), 0);
    if (extra > 0) startDrop(-extra);
  }

  const restore = () => {
    if (depth !== browserDepth) window.history.go(depth - browserDepth);
  };
  const goThere = () => {
    const to = entries[browserDepth];
    if (to === undefined) return restore();
    depth = browserDepth;
    show(to);
  };
  const onPop = (event: PopStateEvent) => {
    browserDepth = depthIn(event.state, owner);
    if (browserDepth === depth) {
      // Back where a question was asked (Forward, or our own restore): withdraw it.
      if (asking) {
        asking = false;
        ask(undefined);
      }
      return;
    }
    const target = entries[browserDepth];
    if (target === undefined) return restore();
    const decision = leaving(entries[depth]!, target);
    if (decision === 'stay') return restore();
    if (decision === 'go') return goThere();
    asking = true;
    ask((leave) => {
      asking = false;
      if (leave) goThere();
      else restore();
    });
  };
  window.addEventListener('popstate', onPop);

  return {
    push(entry) {
      depth += 1;
      browserDepth = depth;
      entries = [...entries.slice(0, depth), entry];
      const state: unknown = window.history.state;
      window.history.pushState({ ...(isRecord(state) ? state : {}), [HISTORY_STATE_KEY]: { ...marksOf(state), [owner]: depth } }, '');
    },
    replace(entry) {
      entries = entries.map((e, i) => (i === depth ? entry : e));
    },
    back(accepts) {
      const previous = entries[depth - 1];
      if (depth === 0 || previous === undefined || !accepts(previous)) return false;
      depth -= 1;
      browserDepth = depth;
      show(previous);
      // Its popstate arrives at the depth already shown: nothing more happens.
      window.history.back();
      return true;
    },
    dispose() {
      window.removeEventListener('popstate', onPop);
      live.delete(owner);
      const mine = depthIn(window.history.state, owner);
      // A widget mounted before this lands must not drop these entries again: startDrop says so.
      if (mine > 0) startDrop(-mine);
    },
  };
}
