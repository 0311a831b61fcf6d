import { getDefaultRegistry } from '@rjsf/core';
import type { BaseInputTemplateProps } from '@rjsf/utils';
import { createContext, startTransition, useCallback, useContext, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';

const CoreBaseInputTemplate = getDefaultRegistry().templates.BaseInputTemplate;

/** How long typing must pause before the form takes the new text. */
export const TYPING_PAUSE_MS = 120;

/**
 * The form's registry of inputs holding text not yet handed over; the form calls each before it
 * submits, so a submit never misses what was just typed (even one not caused by a click or Enter).
 */
export const PendingInputs = createContext<Set<() => void> | null>(null);

/** The same value as sent: number fields send "250" and get 250 back. */
const same = (a: unknown, b: unknown) => Object.is(a, b) || (a != null && b != null && typeof a !== 'object' && String(a) === String(b));

/**
 * RJSF's text input with typing kept off the form's critical path. A keystroke updates this input
 * only (one small render, painted in the next frame); the form's own update — which re-renders
 * every field and, with live validation, validates — waits for a pause in typing and then runs as
 * a React transition. Pending text is handed over before anything reads the form: on blur
 * (clicking Submit blurs first), on Enter (which submits) and on unmount.
 */
export function DeferredBaseInputTemplate(props: BaseInputTemplateProps) {
  const { value, onChange, onBlur } = props;
  const [draft, setDraft] = useState<unknown>(value);
  const latest = useRef({ draft, onChange });
  latest.current = { draft, onChange };
  // Values handed to the form and not yet seen back in `value`; a value typed but not handed over.
  const sent = useRef<unknown[]>([]);
  const unsent = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const seen = sent.current.findIndex((v) => same(v, value));
  if (seen >= 0) sent.current = sent.current.slice(seen + 1);
  else if (!same(value, draft) && !sent.current.length && !unsent.current) setDraft(value); // changed from outside (defaults, reset)

  const handOver = useCallback((sync: boolean) => {
    clearTimeout(timer.current);
    if (!unsent.current) return;
    unsent.current = false;
    const { draft: next, onChange: change } = latest.current;
    sent.current.push(next);
    if (sync) flushSync(() => change(next));
    else startTransition(() => change(next));
  }, []);
  const type = useCallback(
    (next: unknown) => {
      setDraft(next);
      latest.current.draft = next;
      unsent.current = true;
      clearTimeout(timer.current);
      timer.current = setTimeout(() => handOver(false), TYPING_PAUSE_MS);
    },
    [handOver],
  );
  const blur = useCallback(
    (id: string, v: unknown) => {
      handOver(true);
      onBlur(id, v);
    },
    [handOver, onBlur],
  );
  const registry = useContext(PendingInputs);
  useEffect(() => {
    const flush = () => handOver(true);
    registry?.add(flush);
    return () => {
      registry?.delete(flush);
      handOver(false);
    };
  }, [handOver, registry]);
  return (
    <span className="aek-input-wrap" onKeyDownCapture={(e: KeyboardEvent) => e.key === 'Enter' && handOver(true)}>
      <CoreBaseInputTemplate {...props} value={draft} onChange={type} onBlur={blur} />
    </span>
  );
}
