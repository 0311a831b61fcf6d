import type { FieldProps } from '@rjsf/utils';
import { useState, type KeyboardEvent } from 'react';
import { useTranslator } from '../i18n.tsx';
import { RichTitle } from './templates.tsx';

/** `airbyte_hidden`: never shown, but its value and default stay in the submitted config. */
export function HiddenField() {
  return null;
}

/**
 * A list of strings as tags: type and press Enter (or comma) to add, × to remove, paste a
 * space- or comma-separated list to add several. Starts empty even with `minItems` (which then
 * fails as "at least N") instead of RJSF's `[null]` padding.
 */
export function TagListField(props: FieldProps<string[]>) {
  const { formData, onChange, fieldPathId, schema, disabled, readonly, required, uiSchema, rawErrors, errorSchema } = props;
  // The list's own errors are rendered by the FieldTemplate around this field; each tag's here.
  const [draft, setDraft] = useState('');
  const tr = useTranslator();
  const values = Array.isArray(formData) ? formData.filter((v): v is string => typeof v === 'string') : [];
  const id = fieldPathId.$id;
  const set = (next: string[]) => onChange(next, fieldPathId.path);
  const add = (text: string) => {
    const parts = text.split(/[,\n]/).map((t) => t.trim()).filter(Boolean);
    if (!parts.length) return;
    set([...values, ...parts.filter((p) => !(schema.uniqueItems && values.includes(p)))]);
    setDraft('');
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || e.key === ',') {
      e.preventDefault();
      add(draft);
    } else if (e.key === 'Backspace' && !draft && values.length) {
      set(values.slice(0, -1));
    }
  };
  const placeholder = (uiSchema?.['ui:placeholder'] as string | undefined) ?? tr.t('form.tagPlaceholder');
  const itemErrors = values.map((_, i) => ((errorSchema as Record<number, { __errors?: string[] }> | undefined)?.[i]?.__errors ?? []).join(', '));
  const hasItemErrors = itemErrors.some(Boolean);
  const itemErrorsId = `${id}__items_error`;
  return (
    <div className="form-group field field-array aek-field aek-taglist" data-has-error={rawErrors?.length || hasItemErrors ? true : undefined}>
      <label className="control-label" htmlFor={id}>
        <RichTitle schema={schema} text={schema.title} />
        {required ? <span className="required">*</span> : null}
      </label>
      {schema.description && <props.registry.templates.DescriptionFieldTemplate id={`${id}__description`} description={schema.description} schema={schema} registry={props.registry} />}
      <div className="aek-tags">
        <ul className="aek-tag-list" aria-label={tr.t('form.tagList', { field: schema.title ?? '' })}>
          {values.map((v, i) => (
            <li key={`${v}-${i}`} className="aek-tag" data-invalid={itemErrors[i] ? true : undefined}>
              <span dir="auto">{v}</span>
              <button type="button" aria-label={tr.t('form.tagRemove', { value: v })} disabled={disabled || readonly} onClick={() => set(values.filter((_, j) => j !== i))}>
                ×
              </button>
            </li>
          ))}
        </ul>
        <input
          id={id}
          className="aek-input"
          value={draft}
          autoComplete="off"
          placeholder={placeholder}
          disabled={disabled || readonly}
          aria-describedby={`${id}__description ${id}__error${hasItemErrors ? ` ${itemErrorsId}` : ''}`}
          aria-invalid={rawErrors?.length || hasItemErrors ? true : undefined}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKey}
          onBlur={() => add(draft)}
        />
      </div>
      {hasItemErrors && (
        // Which tag is wrong, and why: the tag is marked, its value named in the message.
        <ul id={itemErrorsId} className="error-detail">
          {values.map((v, i) => (itemErrors[i] ? <li key={`${v}-${i}`} className="text-danger">{tr.t('form.tagError', { value: v, error: itemErrors[i]! })}</li> : null))}
        </ul>
      )}
    </div>
  );
}
