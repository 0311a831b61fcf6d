import Form, { type IChangeEvent } from '@rjsf/core';
import { englishStringTranslator, TranslatableString, type ErrorSchema, type RJSFValidationError, type RJSFSchema, type UiSchema } from '@rjsf/utils';
import { customizeValidator } from '@rjsf/validator-ajv8';
import { useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { SECRET_MASK, type ConnectorConfig, type FieldError, type JsonSchema } from '../shared/contract.ts';
import { prepareFormData, toFormSchema } from '../shared/formSchema.ts';
import { messageFor, schemaAt } from '../shared/validationMessages.ts';
import { valueAt } from '../shared/valueAt.ts';
import type { MessageKey, Translator } from '../shared/i18n/translator.ts';
import { airbyteTheme } from './form/theme.ts';
import { useTranslator } from './i18n.tsx';
import { WidgetRoot, type AppearanceProps } from './WidgetRoot.tsx';

/**
 * How RJSF fills defaults: required fields get theirs; optional fields start empty (the connector
 * applies its own default, shown as the placeholder), so an optional oneOf is never half-filled;
 * `minItems` never pads arrays with nulls.
 */
export const FORM_DEFAULTS_BEHAVIOR = { arrayMinItems: { populate: 'never' }, emptyObjectFields: 'populateRequiredDefaults' } as const;

/** RJSF's AJV validator, tolerant of real connector specs (unknown keywords, non-`u` regexes). */
const validator = customizeValidator({ ajvOptionsOverrides: { strict: false, unicodeRegExp: false } });

/** RJSF's own strings (array buttons, yes/no, option titles) in the kit's messages. */
const RJSF_STRINGS: Partial<Record<TranslatableString, MessageKey>> = {
  [TranslatableString.ArrayItemTitle]: 'form.item',
  [TranslatableString.EmptyArray]: 'form.emptyArray',
  [TranslatableString.YesLabel]: 'form.yes',
  [TranslatableString.NoLabel]: 'form.no',
  [TranslatableString.AddButton]: 'form.add',
  [TranslatableString.AddItemButton]: 'form.addItem',
  [TranslatableString.CopyButton]: 'form.copy',
  [TranslatableString.MoveDownButton]: 'form.moveDown',
  [TranslatableString.MoveUpButton]: 'form.moveUp',
  [TranslatableString.RemoveButton]: 'form.remove',
  [TranslatableString.ClearLabel]: 'form.clear',
  [TranslatableString.ClearButton]: 'form.clear',
  [TranslatableString.OptionPrefix]: 'form.option',
};

function rjsfTranslator(tr: Translator) {
  return (text: TranslatableString, params?: string[]) => {
    const key = RJSF_STRINGS[text];
    return key ? tr.t(key, { number: params?.[0] ?? '' }) : englishStringTranslator(text, params);
  };
}

export interface SourceFormProps extends AppearanceProps {
  /** The connector's `connectionSpecification` (or a template's user spec). */
  spec: JsonSchema;
  /** Initial values, e.g. an existing config. Read once; the form keeps its own state afterwards. */
  formData?: ConnectorConfig;
  /** Called with the values once they pass validation. */
  onSubmit: (config: ConnectorConfig) => void;
  onChange?: (config: ConnectorConfig) => void;
  /** Errors from the server, shown next to their fields until the user edits that field. */
  fieldErrors?: FieldError[];
  /** Disables every input, e.g. while submitting. */
  disabled?: boolean;
  submitLabel?: string;
  /** Rendered between the fields and the submit button (e.g. a summary of what happens next). */
  children?: ReactNode;
}

function toErrorSchema(errors: FieldError[]): ErrorSchema {
  const root: Record<string, unknown> = {};
  for (const { path, message } of errors) {
    let node = root;
    for (const key of path) node = (node[key] ??= {}) as Record<string, unknown>;
    ((node.__errors ??= []) as string[]).push(message);
  }
  return root as ErrorSchema;
}

/**
 * A connector configuration form rendered from an Airbyte spec with RJSF and the kit's widgets.
 * Usable alone, outside the widget. The values survive a failed submit: they live in this
 * component's state, not in the caller's.
 */
export function SourceForm({ locale, messages, theme, dir, className, ...props }: SourceFormProps) {
  return (
    <WidgetRoot locale={locale} messages={messages} theme={theme} dir={dir} className={className}>
      <FormBody {...props} />
    </WidgetRoot>
  );
}

function FormBody({ spec, formData, onSubmit, onChange, fieldErrors, disabled, submitLabel, children }: Omit<SourceFormProps, keyof AppearanceProps>) {
  const tr = useTranslator();
  // Unique ids per form: several forms (or widgets) on one page never share an input id.
  const idPrefix = `aek${useId().replace(/[^A-Za-z0-9]/g, '')}`;
  const { schema, uiSchema } = useMemo(() => toFormSchema(spec, tr), [spec, tr]);
  const translateString = useMemo(() => rjsfTranslator(tr), [tr]);
  const [values, setValues] = useState<ConnectorConfig>(() => prepareFormData(schema, formData ?? {}) as ConnectorConfig);
  // The values the server errors refer to: an error disappears once its field changes.
  const errorsFor = useRef<{ errors: FieldError[] | undefined; values: ConnectorConfig }>({ errors: undefined, values });
  if (errorsFor.current.errors !== fieldErrors) errorsFor.current = { errors: fieldErrors, values };
  const visibleErrors = (fieldErrors ?? []).filter((e) => valueAt(values, e.path) === valueAt(errorsFor.current.values, e.path));
  // The server words errors in English; say them in the form's language when it names the rule.
  const extraErrors = visibleErrors.length
    ? toErrorSchema(visibleErrors.map((e) => (e.rule ? { ...e, message: messageFor(e.rule, schemaAt(schema, e.path), tr) } : e)))
    : undefined;

  // Keep only errors a user can act on: none from oneOf bookkeeping or the hidden discriminator
  // (`const`), none on a stored secret sent back as the mask; messages say what to fix.
  const transformErrors = (errors: RJSFValidationError[]) =>
    errors
      .filter((e) => !['oneOf', 'anyOf', 'if', 'const', 'discriminator'].includes(e.name ?? ''))
      .filter((e) => valueAt(values, (e.property ?? '').split('.').filter(Boolean)) !== SECRET_MASK)
      .filter((e) => !(e.name === 'uniqueItems' && schemaAt(schema, (e.property ?? '').split('.').filter(Boolean))?.['x-aek-unique-for-rendering']))
      .map((e) => {
        const path = (e.property ?? '').split('.').filter(Boolean);
        return { ...e, message: messageFor({ keyword: e.name ?? '', params: e.params ?? {}, message: e.message }, schemaAt(schema, path), tr) };
      });

  return (
    <div className="aek-form" data-disabled={disabled || undefined}>
      <Form
        schema={schema as RJSFSchema}
        uiSchema={{ ...(uiSchema as UiSchema), 'ui:submitButtonOptions': { norender: true } }}
        formData={values}
        validator={validator}
        idPrefix={idPrefix}
        translateString={translateString}
        widgets={airbyteTheme.widgets}
        fields={airbyteTheme.fields}
        templates={airbyteTheme.templates}
        experimental_defaultFormStateBehavior={FORM_DEFAULTS_BEHAVIOR}
        extraErrors={extraErrors}
        transformErrors={transformErrors}
        showErrorList={false}
        noHtml5Validate
        focusOnFirstError
        disabled={disabled}
        onChange={(e: IChangeEvent<ConnectorConfig>) => {
          setValues(e.formData ?? {});
          onChange?.(e.formData ?? {});
        }}
        onSubmit={(e: IChangeEvent<ConnectorConfig>) => onSubmit(e.formData ?? {})}
        onError={() => undefined}
      >
        {children}
        <button type="submit" className="aek-button aek-button--primary" disabled={disabled}>
          {submitLabel ?? tr.t('configure.submit')}
        </button>
      </Form>
    </div>
  );
}
