import { getDefaultRegistry } from './rjsfCore.ts';
import { ariaDescribedByIds, descriptionId, getTemplate, type RegistryWidgetsType, type RJSFSchema, type Widget, type WidgetProps } from '@rjsf/utils';
import { useMemo, useState, type ChangeEvent } from 'react';
import { SECRET_MASK } from '../../shared/contract.ts';
import { useTranslator } from '../i18n.tsx';
import { RichText } from './richText.tsx';
import { RichTitle } from './templates.tsx';

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
  const tr = useTranslator();
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
        {tr.t('form.utc')}
      </span>
    </span>
  );
}

/**
 * Attributes both secret widgets share: an empty input means "no value", never "".
 * `new-password`: password managers neither fill a saved password into a connector's key (they
 * ignore `off` on password fields) nor offer to save it as the site's login.
 */
function secretFieldProps({ id, value, required, disabled, readonly, onChange, onBlur, onFocus, autofocus }: WidgetProps) {
  return {
    id,
    name: id,
    autoComplete: 'new-password',
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
  const tr = useTranslator();
  return (
    <button type="button" className="aek-secret-toggle" aria-pressed={shown} aria-controls={controls} onClick={onToggle}>
      {shown ? tr.t('form.hide') : tr.t('form.show')}
    </button>
  );
}

/**
 * In edit mode a stored secret arrives as the mask: show that it is saved, keep it (the proxy
 * keeps the stored value) unless the user chooses to replace it.
 */
function SavedSecret({ props, multiline }: { props: WidgetProps; multiline?: boolean }) {
  const tr = useTranslator();
  return (
    <span className={`aek-secret aek-secret--saved${multiline ? ' aek-secret--multiline' : ''}`}>
      <input id={props.id} className="aek-input" type="password" value={SECRET_MASK} readOnly autoComplete="new-password" aria-describedby={`${props.id}__description ${props.id}__error`} />
      <button type="button" className="aek-secret-toggle" disabled={props.disabled || props.readonly} onClick={() => props.onChange(undefined)}>
        {tr.t('form.replace')}
      </button>
    </span>
  );
}

/** Password input with a show/hide toggle, for `airbyte_secret` fields. */
function SecretWidget(props: WidgetProps) {
  const [shown, setShown] = useState(false);
  if (props.value === SECRET_MASK) return <SavedSecret props={props} />;
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
  if (props.value === SECRET_MASK) return <SavedSecret props={props} multiline />;
  return (
    <span className="aek-secret aek-secret--multiline" data-shown={shown || undefined}>
      <textarea {...secretFieldProps(props)} rows={5} className="aek-input aek-textarea" />
      <RevealToggle controls={props.id} shown={shown} onToggle={() => setShown((s) => !s)} />
    </span>
  );
}

const DAY = /^\^\[0-9\]\{4\}-\[0-9\]\{2\}-\[0-9\]\{2\}\$$/;
const MONTH = /^\^\[0-9\]\{4\}-\[0-9\]\{2\}\$$/;

/**
 * `format: date` and date patterns: a native date (or month) picker when the pattern is
 * `YYYY-MM-DD` (or `YYYY-MM`); a text input guided by the format otherwise (e.g. DD-MM-YYYY),
 * which no native picker can produce.
 */
function AirbyteDateWidget(props: WidgetProps) {
  const { id, value, required, disabled, readonly, onChange, onBlur, onFocus, schema, placeholder, autofocus } = props;
  const pattern = typeof schema.pattern === 'string' ? schema.pattern : undefined;
  const type = !pattern || DAY.test(pattern) ? 'date' : MONTH.test(pattern) ? 'month' : 'text';
  return (
    <input
      id={id}
      name={id}
      type={type}
      className="aek-input"
      autoComplete="off"
      value={typeof value === 'string' ? value : ''}
      placeholder={type === 'text' ? (placeholder ?? (schema.pattern_descriptor as string | undefined)) : undefined}
      required={required}
      disabled={disabled || readonly}
      autoFocus={autofocus}
      aria-describedby={`${id}__description ${id}__help ${id}__error`}
      onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
      onBlur={() => onBlur(id, value)}
      onFocus={() => onFocus(id, value)}
    />
  );
}

/** A long enum (hundreds of values) as a type-to-filter combobox; the value must still be one of the options. */
function SearchableSelectWidget(props: WidgetProps) {
  const { id, value, required, disabled, readonly, onChange, onBlur, onFocus, options, placeholder } = props;
  const enumOptions = options.enumOptions ?? [];
  const listId = `${id}__options`;
  const [text, setText] = useState(value === undefined || value === null ? '' : String(value));
  const tr = useTranslator();
  return (
    <span className="aek-combobox">
      <input
        id={id}
        name={id}
        className="aek-input"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={false}
        aria-controls={listId}
        list={listId}
        value={text}
        placeholder={placeholder || tr.t('form.searchOptions', { count: enumOptions.length })}
        required={required}
        disabled={disabled || readonly}
        aria-describedby={`${id}__description ${id}__error`}
        onChange={(e) => {
          setText(e.target.value);
          const match = enumOptions.find((o) => String(o.value) === e.target.value || o.label === e.target.value);
          onChange(match ? match.value : e.target.value === '' ? undefined : e.target.value);
        }}
        onBlur={() => onBlur(id, value)}
        onFocus={() => onFocus(id, value)}
      />
      <datalist id={listId}>
        {enumOptions.map((o) => (
          <option key={String(o.value)} value={String(o.value)}>
            {o.label}
          </option>
        ))}
      </datalist>
    </span>
  );
}

/** An array of enum values as checkboxes with a filter box (for long lists). */
function MultiSelectWidget(props: WidgetProps) {
  const { id, value, disabled, readonly, onChange, options } = props;
  const enumOptions = options.enumOptions ?? [];
  const selected: unknown[] = Array.isArray(value) ? value : [];
  const [filter, setFilter] = useState('');
  const tr = useTranslator();
  const shown = useMemo(() => enumOptions.filter((o) => !filter || o.label.toLowerCase().includes(filter.toLowerCase())), [enumOptions, filter]);
  const toggle = (v: unknown) => onChange(selected.includes(v) ? selected.filter((x) => x !== v) : enumOptions.map((o) => o.value).filter((x) => x === v || selected.includes(x)));
  return (
    <div className="aek-multiselect" id={id} role="group" aria-label={props.label} aria-describedby={`${id}__description ${id}__error`}>
      {enumOptions.length > 8 && (
        <input className="aek-input aek-multiselect-filter" type="search" aria-label={tr.t('form.filterOptions')} placeholder={tr.t('form.filterPlaceholder', { count: enumOptions.length })} value={filter} onChange={(e) => setFilter(e.target.value)} />
      )}
      <div className="aek-multiselect-options">
        {shown.map((o, i) => (
          <label key={String(o.value)} className="aek-check">
            <input type="checkbox" id={`${id}-${i}`} checked={selected.includes(o.value)} disabled={disabled || readonly} onChange={() => toggle(o.value)} />
            <bdi>{o.label}</bdi>
          </label>
        ))}
      </div>
    </div>
  );
}

/**
 * `display_type: radio` oneOfs: one card per option, the radio named by the option's title and
 * described by its (rich text) description. A click anywhere on the card picks it, except on a link;
 * each click changes the value once.
 */
function OptionCardsWidget(props: WidgetProps) {
  const { id, value, disabled, readonly, onChange, options } = props;
  const descriptions = (options.optionDescriptions as string[] | undefined) ?? [];
  return (
    <div className="aek-option-cards" role="radiogroup" id={id} aria-label={props.label}>
      {(options.enumOptions ?? []).map((o, i) => {
        const optionId = `${id}-${i}`;
        const pick = () => !disabled && !readonly && value !== o.value && onChange(o.value);
        // The radio and its label select natively (onChange); the rest of the card by click.
        const pickFromCard = (target: Element) => !target.closest('a, input, label') && pick();
        return (
          <div key={String(o.value)} className="aek-option-card" data-selected={value === o.value || undefined} onClick={(e) => pickFromCard(e.target as Element)}>
            <input type="radio" id={optionId} name={id} value={String(o.value)} checked={value === o.value} disabled={disabled || readonly} onChange={pick} aria-describedby={descriptions[i] ? `${optionId}__description` : undefined} />
            <label htmlFor={optionId} className="aek-option-card-title">
              <bdi>{o.label}</bdi>
            </label>
            {descriptions[i] ? (
              <div id={`${optionId}__description`} className="aek-option-card-description aek-description" dir="auto">
                <RichText text={descriptions[i]} />
              </div>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}

/**
 * A checkbox with its label beside it (rich, with the required mark like every other field)
 * and its description under it, as people read a checkbox. It shows exactly the value sent:
 * checked is `true`, unchecked is `false` (the form starts unchecked boxes at `false`).
 */
function CheckboxWidget(props: WidgetProps) {
  const { id, value, required, disabled, readonly, onChange, onBlur, onFocus, label, hideLabel, schema, uiSchema, registry, options, autofocus } = props;
  const DescriptionTemplate = getTemplate('DescriptionFieldTemplate', registry, options);
  const description = (options.description as string | undefined) ?? schema.description;
  return (
    <div className={`aek-checkbox${disabled || readonly ? ' disabled' : ''}`}>
      <label className="aek-check" htmlFor={id}>
        <input
          type="checkbox"
          id={id}
          name={id}
          checked={value === true}
          disabled={disabled || readonly}
          autoFocus={autofocus}
          aria-describedby={ariaDescribedByIds(id)}
          onChange={(e) => onChange(e.target.checked)}
          onBlur={(e) => onBlur(id, e.target.checked)}
          onFocus={(e) => onFocus(id, e.target.checked)}
        />
        {!hideLabel && (
          <span>
            <RichTitle schema={schema} text={label} />
            {required && <span className="required">*</span>}
          </span>
        )}
      </label>
      {!hideLabel && description && <DescriptionTemplate id={descriptionId(id)} description={description} schema={schema} uiSchema={uiSchema} registry={registry} />}
    </div>
  );
}

const CoreSelectWidget = getDefaultRegistry().widgets.SelectWidget!;

/**
 * A text-like input of a connector's form (host, username, account id…) with browser autofill
 * off: these are the connector's credentials, not the customer's own address or login.
 */
function withoutAutofill(Core: Widget) {
  function NoAutofillWidget(props: WidgetProps) {
    return <Core {...props} options={{ ...props.options, autocomplete: props.options.autocomplete ?? 'off' }} />;
  }
  return NoAutofillWidget;
}
const core = getDefaultRegistry().widgets;

/**
 * RJSF's select, with an empty choice whenever nothing is chosen: RJSF drops that choice for a
 * field with a `default`, so an edited config lacking the field would look set to the first
 * value without sending it.
 */
function SelectWidget(props: WidgetProps) {
  const { schema, value, multiple } = props;
  const shown = useMemo<RJSFSchema>(() => {
    if (value !== undefined || multiple || !('default' in schema)) return schema;
    const { default: _default, ...rest } = schema;
    return rest;
  }, [schema, value, multiple]);
  return <CoreSelectWidget {...props} schema={shown} />;
}

/** The kit's RJSF widget registry: names referenced by the uiSchema from `toFormSchema`. */
export const airbyteWidgets: RegistryWidgetsType = {
  TextWidget: withoutAutofill(core.TextWidget!),
  EmailWidget: withoutAutofill(core.EmailWidget!),
  URLWidget: withoutAutofill(core.URLWidget!),
  UpDownWidget: withoutAutofill(core.UpDownWidget!),
  AirbyteDateTime: AirbyteDateTimeWidget,
  AirbyteDate: AirbyteDateWidget,
  AirbyteSecretTextarea: SecretTextareaWidget,
  AirbyteSearchableSelect: SearchableSelectWidget,
  AirbyteMultiSelect: MultiSelectWidget,
  AirbyteOptionCards: OptionCardsWidget,
  PasswordWidget: SecretWidget,
  CheckboxWidget,
  SelectWidget,
};
