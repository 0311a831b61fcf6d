import { getDefaultRegistry } from './rjsfCore.ts';
import type { BaseInputTemplateProps, RJSFSchema } from '@rjsf/utils';
import { createContext, startTransition, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';

const CoreBaseInputTemplate = getDefaultRegistry().templates.BaseInputTemplate;

/** A layout effect in the browser (it runs at commit, before paint); nothing to do on a server. */
const useCommitEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

/** How long typing must pause before the form takes the new text. */
export const TYPING_PAUSE_MS = 120;

/** How long a press on Submit holds back a pending hand-over: longer than any click takes. */
const SUBMIT_PRESS_MS = 1000;

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
  // A value from outside (defaults, a reset) replaces the draft; one this input handed over does not.
  if (!sent.current.some((v) => same(v, value)) && !same(value, draft) && !sent.current.length && !unsent.current) setDraft(value);
  // A handed-over value counts as taken only once React commits it: a transition's render may be
  // thrown away, so this bookkeeping is not done while rendering.
  useCommitEffect(() => {
    const seen = sent.current.findIndex((v) => same(v, value));
    if (seen >= 0) sent.current = sent.current.slice(seen + 1);
  }, [value]);

  const handOver = useCallback((sync: boolean) => {
    clearTimeout(timer.current);
    if (!unsent.current) {
      // Handed over in a transition React has not committed yet: before anything reads the form
      // (a submit right after a pause in typing), say it again now, synchronously. Without this
      // the submit validated the old value, and the late commit then cleared the error it showed.
      const pending = sent.current.at(-1);
      if (sync && sent.current.length) flushSync(() => latest.current.onChange(pending));
      return;
    }
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
  // Where focus went when this input lost it: a click on the submit button must not hand the text
  // over on the way (with live validation that clears an error, and the button moves out from
  // under the pointer before the click lands). The submit itself takes the text first.
  const focusTo = useRef<EventTarget | null>(null);
  const blur = useCallback(
    (id: string, v: unknown) => {
      const target = focusTo.current;
      focusTo.current = null;
      if (!(target instanceof HTMLButtonElement && target.type === 'submit')) handOver(true);
      else if (unsent.current) {
        // Pressed on Submit: the typing pause's hand-over, due now, would re-render the form
        // mid-press (a live error vanishing moves the button from under the pointer, and the
        // click is lost). Submit hands the text over itself; should the press not end in a
        // submit, the form gets it a little later.
        clearTimeout(timer.current);
        timer.current = setTimeout(() => handOver(false), SUBMIT_PRESS_MS);
      }
      onBlur(id, v);
    },
    [handOver, onBlur],
  );
  // Examples are hints ("e.g. …" placeholders), not values to pick: no <datalist> of them.
  const schema = useMemo(() => withoutExamples(props.schema), [props.schema]);
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
    <span className="aek-input-wrap" onKeyDownCapture={(e: KeyboardEvent) => e.key === 'Enter' && handOver(true)} onBlurCapture={(e: FocusEvent) => (focusTo.current = e.relatedTarget)}>
      <CoreBaseInputTemplate {...props} schema={schema} value={draft} onChange={type} onBlur={blur} />
    </span>
  );
}

function withoutExamples(schema: RJSFSchema): RJSFSchema {
  if (!('examples' in schema)) return schema;
  const { examples: _examples, ...rest } = schema;
  return rest;
}
