import type { RegistryWidgetsType, WidgetProps } from '@rjsf/utils';
import { useState, type ChangeEvent } from 'react';

/**
 * Output precision of a date-time field, read from its `pattern` as Airbyte's own form does:
 * `.[0-9]{3}Z$` → milliseconds, `.[0-9]{6}Z$` → microseconds, otherwise whole seconds with `Z`.
 */
export function dateTimePrecision(pattern: unknown): 'seconds' | 'millis' | 'micros' {
  if (typeof pattern !== 'string') return 'seconds';
  if (/\{6\}\)?Z?\$?$|\{6\}Z/.test(pattern)) return 'micros';
  if (/\{3\}\)?Z?\$?$|\{3\}Z/.test(pattern)) return 'millis';
  return 'seconds';
}

/** `2024-01-31T10:00:00Z` (any precision) → the `datetime-local` input's `2024-01-31T10:00:00`. */
function toInputValue(value: unknown): string {
  if (typeof value !== 'string') return '';
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?/.exec(value);
  return m ? `${m[1]}${m[2] ?? ':00'}` : '';
}

/** Input string (treated as UTC, as Airbyte's dates are) → the shape the field's pattern accepts. */
export function fromInputValue(input: string, precision: 'seconds' | 'millis' | 'micros'): string | undefined {
  if (!input) return undefined;
  const base = input.length === 16 ? `${input}:00` : input.slice(0, 19);
  return `${base}${precision === 'millis' ? '.000' : precision === 'micros' ? '.000000' : ''}Z`;
}

/** Date-time picker in UTC whose output satisfies the field's `pattern` (no stray milliseconds). */
function AirbyteDateTimeWidget(props: WidgetProps) {
  const { id, value, required, disabled, readonly, onChange, onBlur, onFocus, schema, autofocus } = props;
  const precision = dateTimePrecision(schema.pattern);
  return (
    <span className="aek-datetime">
      <input
        id={id}
        name={id}
        type="datetime-local"
        step={1}
        className="aek-input"
        value={toInputValue(value)}
        required={required}
        disabled={disabled || readonly}
        autoFocus={autofocus}
        aria-describedby={`${id}__description ${id}__error`}
        onChange={(e: ChangeEvent<HTMLInputElement>) => onChange(fromInputValue(e.target.value, precision))}
        onBlur={() => onBlur(id, value)}
        onFocus={() => onFocus(id, value)}
      />
      <span className="aek-suffix" aria-hidden="true">
        UTC
      </span>
    </span>
  );
}

/** Attributes both secret widgets share: an empty input means "no value", never "". */
function secretFieldProps({ id, value, required, disabled, readonly, onChange, onBlur, onFocus, autofocus }: WidgetProps) {
  return {
    id,
    name: id,
    autoComplete: 'off',
    spellCheck: false,
    value: value ?? '',
    required,
    disabled: disabled || readonly,
    autoFocus: autofocus,
    'aria-describedby': `${id}__description ${id}__error`,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => onChange(e.target.value === '' ? undefined : e.target.value),
    onBlur: () => onBlur(id, value),
    onFocus: () => onFocus(id, value),
  };
}

/** The show/hide button next to a secret; `aria-pressed` tells assistive technology its state. */
function RevealToggle({ controls, shown, onToggle }: { controls: string; shown: boolean; onToggle: () => void }) {
  return (
    <button type="button" className="aek-secret-toggle" aria-pressed={shown} aria-controls={controls} onClick={onToggle}>
      {shown ? 'Hide' : 'Show'}
    </button>
  );
}

/** Password input with a show/hide toggle, for `airbyte_secret` fields. */
function SecretWidget(props: WidgetProps) {
  const [shown, setShown] = useState(false);
  return (
    <span className="aek-secret">
      <input {...secretFieldProps(props)} type={shown ? 'text' : 'password'} className="aek-input" placeholder={props.placeholder} />
      <RevealToggle controls={props.id} shown={shown} onToggle={() => setShown((s) => !s)} />
    </span>
  );
}

/** A textarea whose content is masked until shown, for multiline secrets (keys, certificates). */
function SecretTextareaWidget(props: WidgetProps) {
  const [shown, setShown] = useState(false);
  return (
    <span className="aek-secret aek-secret--multiline" data-shown={shown || undefined}>
      <textarea {...secretFieldProps(props)} rows={5} className="aek-input aek-textarea" />
      <RevealToggle controls={props.id} shown={shown} onToggle={() => setShown((s) => !s)} />
    </span>
  );
}

/** The kit's RJSF widget registry: names referenced by the uiSchema from `toFormSchema`. */
export const airbyteWidgets: RegistryWidgetsType = {
  AirbyteDateTime: AirbyteDateTimeWidget,
  AirbyteSecretTextarea: SecretTextareaWidget,
  PasswordWidget: SecretWidget,
};
