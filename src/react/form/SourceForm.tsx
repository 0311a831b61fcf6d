import type { IChangeEvent } from '@rjsf/core';
import { Form } from './rjsfCore.ts';
import { englishStringTranslator, TranslatableString, type ErrorSchema, type RJSFValidationError, type RJSFSchema, type UiSchema } from '@rjsf/utils';
import { useCallback, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { chosenOptionErrors } from '../../shared/chosenOptionErrors.ts';
import { SECRET_MASK, type ConnectorConfig, type FieldError, type JsonSchema } from '../../shared/contract.ts';
import { toFormSchema } from '../../shared/form/formSchema.ts';
import { initialValues } from '../../shared/form/formValues.ts';
import { fromSafeData, toSafeData, toSafeKey } from '../../shared/form/safeKeys.ts';
import { messageFor, schemaAt } from '../../shared/validationMessages.ts';
import { valueAt } from '../../shared/valueAt.ts';
import type { MessageKey, Translator } from '../../shared/i18n/translator.ts';
import { useTranslator } from '../i18n.tsx';
import type { FormSlot } from './OneOfField.tsx';
import { WidgetRoot, type AppearanceProps } from '../WidgetRoot.tsx';
import { PendingInputs } from './DeferredInput.tsx';
import { airbyteTheme } from './theme.ts';
import { formValidator } from './validator.ts';
import { PatternJudge } from './PatternJudge.tsx';

/**
 * RJSF fills no defaults of its own: the kit writes every starting value itself, once, as
 * Airbyte's form does (initialValues: at the start, when an option is picked, when a list item
 * is added), so RJSF never puts back a value the user cleared and never pads `minItems` lists
 * with nulls. Pass it to your own `<Form>` with `airbyteTheme`.
 */
export const FORM_DEFAULTS_BEHAVIOR = { arrayMinItems: { populate: 'never' }, emptyObjectFields: 'skipDefaults' } as const;

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
  [TranslatableString.TitleOptionPrefix]: 'form.titleOption',
  [TranslatableString.DeprecatedLabel]: 'form.deprecated',
  [TranslatableString.NowLabel]: 'form.now',
  [TranslatableString.KeyLabel]: 'form.key',
  [TranslatableString.NewStringDefault]: 'form.newValue',
};

function rjsfTranslator(tr: Translator) {
  return (text: TranslatableString, params?: string[]) => {
    const key = RJSF_STRINGS[text];
    if (!key) return englishStringTranslator(text, params);
    // RJSF's placeholders are positional (%1, %2): name them for the catalog.
    const [first = '', second = ''] = params ?? [];
    return tr.t(key, text === TranslatableString.TitleOptionPrefix ? { title: first, number: second } : { number: first, label: first });
  };
}

export interface SourceFormProps extends AppearanceProps {
  /** The connector's `connectionSpecification` (or a template's user spec). */
  spec: JsonSchema;
  /**
   * An existing config to edit. Read once; the form keeps its own state afterwards. Optional
   * choices and objects it leaves out stay out (as in Airbyte's edit form); without it the form
   * starts as Airbyte's does for a new source (every default filled, every choice on an option).
   */
  formData?: ConnectorConfig | undefined;
  /**
   * Values a new form starts from (a saved draft): unlike `formData`, defaults still fill what
   * it lacks and every choice gets an option, as for a new source.
   */
  draft?: ConnectorConfig | undefined;
  /** Called with the values once they pass validation. */
  onSubmit: (config: ConnectorConfig) => void;
  onChange?: ((config: ConnectorConfig) => void) | undefined;
  /** Errors from the server, shown next to their fields until the user edits that field. */
  fieldErrors?: FieldError[] | undefined;
  /** Disables every input, e.g. while submitting. */
  disabled?: boolean | undefined;
  /** Validate on every change, not only on submit (default false). */
  liveValidate?: boolean | undefined;
  submitLabel?: string | undefined;
  /** Rendered between the fields and the submit button (e.g. a summary of what happens next). */
  children?: ReactNode | undefined;
  /** Rendered inside the choice at `slot.path` (property names), after its chosen option's fields. */
  slot?: FormSlot | undefined;
}

const ignoreErrors = () => undefined;

/** A server error's path in the form's own (escaped) keys. */
const safePath = (path: string[]) => path.map((p) => (/^\d+$/.test(p) ? p : toSafeKey(p)));

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
      <PatternJudge spec={props.spec}>
        <FormBody {...props} />
      </PatternJudge>
    </WidgetRoot>
  );
}

function FormBody({ spec, formData, draft, slot, onSubmit, onChange, fieldErrors, disabled, liveValidate, submitLabel, children }: Omit<SourceFormProps, keyof AppearanceProps>) {
  const tr = useTranslator();
  // Unique ids per form: several forms (or widgets) on one page never share an input id.
  const idPrefix = `aek${useId().replace(/[^A-Za-z0-9]/g, '')}`;
  const { schema, uiSchema } = useMemo(() => toFormSchema(spec, tr), [spec, tr]);
  const formUiSchema = useMemo(() => ({ ...(uiSchema as UiSchema), 'ui:submitButtonOptions': { norender: true } }), [uiSchema]);
  const translateString = useMemo(() => rjsfTranslator(tr), [tr]);
  // RJSF holds the values; this component keeps the latest it reported (a ref: no re-render per
  // keystroke) and hands them back whenever it re-renders for another reason, which RJSF
  // recognises as its own data and keeps.
  // The form works in escaped keys (safeKeys: a property may be named `constructor`); callers see the spec's.
  const [initial] = useState<ConnectorConfig>(() => initialValues(schema, toSafeData(formData ?? draft ?? {}), { existing: formData !== undefined }) as ConnectorConfig);
  const values = useRef(initial);
  // The values the server errors refer to: an error disappears once its field changes.
  const errorsFor = useRef<{ errors: FieldError[] | undefined; values: ConnectorConfig }>({ errors: undefined, values: initial });
  if (errorsFor.current.errors !== fieldErrors) errorsFor.current = { errors: fieldErrors, values: values.current };
  const [, rerender] = useState(0);
  const serverErrors = useMemo(() => (fieldErrors ?? []).map((e) => ({ ...e, path: safePath(e.path) })), [fieldErrors]);
  const visibleErrors = serverErrors.filter((e) => valueAt(values.current, e.path) === valueAt(errorsFor.current.values, e.path));
  // The server words errors in English; say them in the form's language when it names the rule.
  const extraErrors = useMemo(
    () => (visibleErrors.length ? toErrorSchema(visibleErrors.map((e) => (e.rule ? { ...e, message: messageFor(e.rule, schemaAt(schema, e.path), tr) } : e))) : undefined),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [JSON.stringify(visibleErrors), schema, tr],
  );

  // Keep only errors a user can act on: none from oneOf bookkeeping or the hidden discriminator
  // (`const`), none on a stored secret sent back as the mask; messages say what to fix.
  const transformErrors = useCallback(
    (errors: RJSFValidationError[]) =>
      chosenOptionErrors(errors, (e) => ({ schemaPath: e.schemaPath, path: (e.property ?? '').split('.').filter(Boolean) }), schema, values.current)
        .filter((e) => !['oneOf', 'anyOf', 'if', 'const', 'discriminator'].includes(e.name ?? ''))
        .filter((e) => valueAt(values.current, (e.property ?? '').split('.').filter(Boolean)) !== SECRET_MASK)
        .filter((e) => !(e.name === 'uniqueItems' && schemaAt(schema, (e.property ?? '').split('.').filter(Boolean))?.['x-aek-unique-for-rendering']))
        .map((e) => {
          const path = (e.property ?? '').split('.').filter(Boolean);
          return { ...e, message: messageFor({ keyword: e.name ?? '', params: e.params ?? {}, message: e.message }, schemaAt(schema, path), tr) };
        }),
    [schema, tr],
  );
  const latest = useRef({ onChange, onSubmit, disabled, hasServerErrors: Boolean(fieldErrors?.length) });
  latest.current = { onChange, onSubmit, disabled, hasServerErrors: Boolean(fieldErrors?.length) };
  const handleChange = useCallback((e: IChangeEvent<ConnectorConfig>) => {
    values.current = e.formData ?? {};
    latest.current.onChange?.(fromSafeData(values.current));
    // Only server errors depend on the values here: re-render just to hide the ones edited away.
    if (latest.current.hasServerErrors) rerender((n) => n + 1);
  }, []);
  // The starting values (defaults filled, options chosen) are reported once too: a host (or the
  // widget's sign-in) reacts to what the form shows before anyone types.
  useEffect(() => {
    latest.current.onChange?.(fromSafeData(values.current));
  }, []);
  const formContext = useMemo(() => ({ slot }), [slot]);
  const [pendingInputs] = useState(() => new Set<() => void>());
  const handleSubmit = useCallback((e: IChangeEvent<ConnectorConfig>) => {
    if (!latest.current.disabled) latest.current.onSubmit(fromSafeData(e.formData ?? {}));
  }, []);

  return (
    // Text still being typed reaches the form before RJSF reads it on submit.
    <div className="aek-form" data-disabled={disabled || undefined} onSubmitCapture={() => pendingInputs.forEach((flush) => flush())}>
      <PendingInputs.Provider value={pendingInputs}>
      <Form
        schema={schema as RJSFSchema}
        uiSchema={formUiSchema}
        formData={values.current}
        validator={formValidator}
        idPrefix={idPrefix}
        translateString={translateString}
        widgets={airbyteTheme.widgets}
        fields={airbyteTheme.fields}
        templates={airbyteTheme.templates}
        experimental_defaultFormStateBehavior={FORM_DEFAULTS_BEHAVIOR}
        extraErrors={extraErrors}
        formContext={formContext}
        transformErrors={transformErrors}
        showErrorList={false}
        noHtml5Validate
        liveValidate={liveValidate}
        focusOnFirstError
        disabled={disabled}
        onChange={handleChange}
        onSubmit={handleSubmit}
        onError={ignoreErrors}
      >
        {children}
        {/* aria-disabled, not disabled: a disabled button drops keyboard focus to the page. */}
        <button type="submit" className="aek-button aek-button--primary" aria-disabled={disabled || undefined}>
          {submitLabel ?? tr.t('configure.submit')}
        </button>
      </Form>
      </PendingInputs.Provider>
    </div>
  );
}
