import { getDefaultRegistry } from './rjsfCore.ts';
import { getTemplate, getUiOptions, getWidget, TranslatableString, type FieldProps, type RJSFSchema, type UiSchema } from '@rjsf/utils';
import { useCallback, type ReactNode } from 'react';
import { toSafeKey } from '../../shared/form/safeKeys.ts';
import type { JsonSchema } from '../../shared/contract.ts';
import { chosenOption, valuesForOption } from '../../shared/form/formValues.ts';
import { discriminatorOf } from '../../shared/form/nodes.ts';
import { useTranslator } from '../i18n.tsx';

const CoreOneOfField = getDefaultRegistry().fields.OneOfField!;

/** Content a form's owner places inside the choice at `path` (spec property names), after the chosen option's fields. */
export interface FormSlot {
  path: string[];
  node: ReactNode;
}

const samePath = (a: string[], b: ReadonlyArray<string | number>) => a.length === b.length && a.every((k, i) => toSafeKey(k) === String(b[i]));

/**
 * A oneOf of objects told apart by a discriminator (every real Airbyte choice): the picker shows
 * the option the data holds, always, and picking one writes its discriminator and its defaults
 * the way Airbyte's form does (see valuesForOption). Options marked `airbyte_hidden` are not
 * offered (unless the data already holds one). Any other oneOf is RJSF's own field.
 */
export function OneOfField(props: FieldProps) {
  return discriminatorOf(props.schema as JsonSchema) ? <ChoiceField {...props} /> : <CoreOneOfField {...props} />;
}

function ChoiceField(props: FieldProps) {
  const { schema, formData, onChange, onBlur, onFocus, fieldPathId, registry, uiSchema, errorSchema, disabled, readonly, name, autofocus, required } = props;
  const options = schema.oneOf as RJSFSchema[];
  const selected = chosenOption(schema as JsonSchema, formData);
  const selectorId = `${fieldPathId.$id}__oneof_select`;
  const tr = useTranslator();
  const pick = useCallback(
    (value: unknown) => {
      const index = Number(value);
      if (disabled || readonly || !Number.isInteger(index) || index < 0 || index === selected) return;
      onChange(valuesForOption(schema as JsonSchema, index, formData), fieldPathId.path, undefined, selectorId);
    },
    [disabled, readonly, selected, onChange, schema, formData, fieldPathId, selectorId],
  );

  const { widget = 'select', placeholder, title = schema.title, ...uiOptions } = getUiOptions(uiSchema, registry.globalUiOptions);
  const Widget = getWidget({ type: 'number' }, widget as string, registry.widgets);
  const MultiSchemaFieldTemplate = getTemplate('MultiSchemaFieldTemplate', registry, registry.globalUiOptions);
  const optionsUi = (Array.isArray(uiSchema?.oneOf) ? uiSchema.oneOf : []) as UiSchema[];
  const enumOptions = options
    .map((o, i) => ({ label: o.title || registry.translateString(TranslatableString.OptionPrefix, [String(i + 1)]), value: i, hidden: (o as JsonSchema).airbyte_hidden === true }))
    .filter((o) => !o.hidden || o.value === selected)
    .map(({ label, value }) => ({ label, value }));
  const descriptions = (uiOptions.optionDescriptions as string[] | undefined) ?? [];
  const { __errors: rawErrors } = errorSchema ?? {};

  const selector = (
    <Widget
      id={selectorId}
      name={`${name}__oneof_select`}
      // No default: with nothing chosen yet the picker says so instead of showing the first option.
      schema={{ type: 'number', ...(selected >= 0 ? { default: selected } : {}) }}
      value={selected >= 0 ? selected : undefined}
      options={{ ...uiOptions, enumOptions, optionDescriptions: enumOptions.map((o) => descriptions[o.value] ?? '') }}
      onChange={pick}
      onBlur={onBlur}
      onFocus={onFocus}
      disabled={disabled || enumOptions.length === 0}
      readonly={readonly}
      multiple={false}
      rawErrors={rawErrors}
      registry={registry}
      placeholder={(placeholder as string | undefined) ?? tr.t('form.choose')}
      autofocus={autofocus}
      label={(title as string | undefined) ?? name}
      hideLabel
      required={required}
    />
  );
  const option = selected >= 0 ? options[selected] : undefined;
  const slot = (registry.formContext as { slot?: FormSlot } | undefined)?.slot;
  const SchemaFieldComponent = registry.fields.SchemaField!;
  return (
    <MultiSchemaFieldTemplate
      schema={schema}
      registry={registry}
      uiSchema={uiSchema}
      selector={selector}
      optionSchemaField={
        <>
          {/* Errors about the choice itself (RJSF's selects show none), e.g. a required one left unchosen. */}
          {rawErrors?.length ? (
            <ul id={`${selectorId}__error`} className="error-detail">
              {rawErrors.map((e) => (
                <li key={e} className="text-danger">
                  {e}
                </li>
              ))}
            </ul>
          ) : null}
          {option ? <SchemaFieldComponent {...props} schema={option} uiSchema={optionsUi[selected]} /> : null}
          {/* What the form's owner puts inside this choice (the sign-in button, where the token fields were). */}
          {slot && samePath(slot.path, fieldPathId.path) ? slot.node : null}
        </>
      }
    />
  );
}
