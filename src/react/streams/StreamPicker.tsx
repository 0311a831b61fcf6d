import { useId, useMemo, useState } from 'react';
import type { StreamOption, StreamRef } from '../../shared/contract.ts';
import { useTranslator } from '../i18n.tsx';

const keyOf = (s: StreamRef) => `${s.namespace ?? ''}\u0000${s.name}`;
const labelOf = (s: StreamRef) => (s.namespace ? `${s.namespace}.${s.name}` : s.name);

export interface StreamPickerProps {
  streams: StreamOption[];
  /** The submit button's text ("Sync these tables", "Save tables"). */
  submitLabel: string;
  onSubmit: (streams: StreamRef[]) => void;
  /** While the choice is being sent: every control is disabled. */
  disabled?: boolean | undefined;
  /** Above the list, e.g. "Your Postgres details work. Pick the tables…". */
  intro?: React.ReactNode | undefined;
  children?: React.ReactNode | undefined;
}

/**
 * "Choose what to sync": the discovered streams with search, select all, and a count. Streams the
 * site's template fixes are checked and cannot be unchecked. Submitting with none selected is
 * refused right here with a message (the proxy refuses it too). The choice survives filtering.
 */
export function StreamPicker({ streams, submitLabel, onSubmit, disabled, intro, children }: StreamPickerProps) {
  const tr = useTranslator();
  const headingId = useId();
  const errorId = useId();
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState(() => new Set(streams.filter((s) => s.selected || s.required).map(keyOf)));
  const [empty, setEmpty] = useState(false);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? streams.filter((s) => labelOf(s).toLowerCase().includes(q)) : streams;
  }, [streams, query]);
  const allShownChosen = shown.length > 0 && shown.every((s) => chosen.has(keyOf(s)));
  const toggle = (keys: string[], on: boolean) => {
    setEmpty(false);
    setChosen((prev) => {
      const next = new Set(prev);
      for (const k of keys) if (on) next.add(k);
      else if (!streams.find((s) => keyOf(s) === k)?.required) next.delete(k);
      return next;
    });
  };
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const picked = streams.filter((s) => chosen.has(keyOf(s))).map((s) => ({ name: s.name, ...(s.namespace ? { namespace: s.namespace } : {}) }));
    if (!picked.length) return setEmpty(true);
    onSubmit(picked);
  };
  return (
    <form className="aek-streams" aria-labelledby={headingId} onSubmit={submit} noValidate data-disabled={disabled ? '' : undefined}>
      <h3 id={headingId} className="aek-streams-title">
        {tr.t('streams.title')}
      </h3>
      {intro && <p className="aek-streams-intro">{intro}</p>}
      <div className="aek-streams-tools">
        <input
          type="search"
          className="aek-input aek-streams-search"
          aria-label={tr.t('streams.search')}
          placeholder={tr.t('streams.search')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          disabled={disabled}
        />
        <label className="aek-streams-all">
          <input type="checkbox" checked={allShownChosen} onChange={(e) => toggle(shown.map(keyOf), e.target.checked)} disabled={disabled || !shown.length} />
          <span>{tr.t('streams.selectAll')}</span>
        </label>
        <p className="aek-streams-count" role="status" aria-live="polite">
          {tr.t('streams.count', { selected: chosen.size, total: streams.length })}
        </p>
      </div>
      {shown.length ? (
        <ul className="aek-streams-list" aria-describedby={empty ? errorId : undefined}>
          {shown.map((s) => (
            <li key={keyOf(s)} className="aek-stream" data-selected={chosen.has(keyOf(s)) ? '' : undefined} data-required={s.required ? '' : undefined}>
              <label>
                <input type="checkbox" checked={chosen.has(keyOf(s))} onChange={(e) => toggle([keyOf(s)], e.target.checked)} disabled={disabled || s.required} />
                <span className="aek-stream-name" dir="auto">
                  {labelOf(s)}
                </span>
                {s.required && <span className="aek-stream-note">{tr.t('streams.required')}</span>}
              </label>
            </li>
          ))}
        </ul>
      ) : (
        <p className="aek-streams-empty">{tr.t('streams.noMatch', { query })}</p>
      )}
      {empty && (
        <p id={errorId} className="aek-alert aek-streams-error" role="alert">
          {tr.t('error.no_streams')}
        </p>
      )}
      {children}
      <button type="submit" className="aek-button aek-button--primary" disabled={disabled}>
        {submitLabel}
      </button>
    </form>
  );
}
