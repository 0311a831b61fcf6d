import {
  descriptionId,
  getTemplate,
  getUiOptions,
  helpId,
  titleId,
  type DescriptionFieldProps,
  type FieldPathList,
  type FieldTemplateProps,
  type MultiSchemaFieldTemplateProps,
  type ObjectFieldTemplateProps,
  type RJSFSchema,
  type TitleFieldProps,
} from '@rjsf/utils';
import { isValidElement, useState, type ReactNode } from 'react';
import type { JsonSchema } from '../../shared/contract.ts';
import { RICH_DESCRIPTOR, RICH_TITLE } from '../../shared/form/formSchema.ts';
import { discriminatorOf, isHidden, isObjectNode } from '../../shared/form/nodes.ts';
import { fromSafeKey } from '../../shared/form/safeKeys.ts';
import { useTranslator } from '../i18n.tsx';
import { RichText } from './richText.tsx';

/**
 * A field's title as the spec wrote it: HTML formatting and Markdown backticks shown as such
 * (sanitized), plain text otherwise. Direction-isolated (`<bdi>`): a spec's English title keeps its
 * own order in a right-to-left form ("API Key (v2)", not its punctuation moved to the other end).
 */
export function RichTitle({ schema, text }: { schema: RJSFSchema | JsonSchema; text: string | undefined }) {
  const rich = (schema as JsonSchema)[RICH_TITLE];
  if (typeof rich === 'string' && text === schema.title) return (
      <bdi className="aek-title">
        <RichText text={rich} inline />
      </bdi>
    );
  return text ? <bdi>{text}</bdi> : null;
}

/** The JSON pointer of a field in the config, in the spec's own property names (`/credentials/client_id`, `/streams/0/name`). */
export function specPointer(path: FieldPathList): string {
  return path.map((p) => `/${(typeof p === 'number' ? String(p) : fromSafeKey(p)).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/**
 * Every field: its label (rich, with the required mark), description, input, errors and format
 * hint, wrapped in an element that says which config path it edits (`data-path`, a JSON pointer)
 * and whether it has an error (`data-has-error`). Hidden fields render nothing at all; a choice's
 * chosen option is laid out by its choice, not again here.
 */
export function FieldTemplate(props: FieldTemplateProps) {
  const { id, label, children, errors, rawHelp, description, hidden, required, displayLabel, schema, uiSchema, fieldPathId, classNames, style, rawErrors, hideError } = props;
  const options = getUiOptions(uiSchema);
  if (options.field === 'AirbyteHidden') return children;
  if (hidden) return <div className="hidden">{children}</div>;
  if (options.aekOption === true) return <div className="aek-option-fields">{children}</div>;
  const hasError = !hideError && Boolean(rawErrors?.length);
  const descriptor = (schema as JsonSchema)[RICH_DESCRIPTOR];
  return (
    <div className={`form-group ${classNames ?? ''}${hasError ? ' has-error has-danger' : ''}`} style={style} data-path={specPointer(fieldPathId.path)} data-has-error={hasError || undefined}>
      {displayLabel && label && (
        <label className="control-label" htmlFor={id}>
          <RichTitle schema={schema} text={label} />
          {required && <span className="required">*</span>}
        </label>
      )}
      {displayLabel && description ? description : null}
      {children}
      {errors}
      {rawHelp && (
        <div id={helpId(id)} className="help-block aek-help" dir="auto">
          {typeof descriptor === 'string' ? (
            <span>
              <RichText text={rawHelp.replace(String(schema.pattern_descriptor), descriptor)} inline />
            </span>
          ) : rawHelp}
        </div>
      )}
    </div>
  );
}

/** A nested object's heading (rich, with the required mark). */
export function TitleFieldTemplate({ id, title, required, schema }: TitleFieldProps) {
  return (
    <legend id={id} className="aek-object-title">
      <RichTitle schema={schema} text={title} />
      {required && <span className="required">*</span>}
    </legend>
  );
}

/**
 * Descriptions as sanitized rich text (links open in a new tab); never escaped tags. `dir="auto"`:
 * the spec's (English) text takes its own direction in a right-to-left form.
 */
export function DescriptionFieldTemplate({ id, description }: DescriptionFieldProps) {
  if (!description) return null;
  if (typeof description !== 'string') return <div id={id} className="field-description aek-description" dir="auto">{description}</div>;
  return (
    <div id={id} className="field-description aek-description" dir="auto">
      <RichText text={description} />
    </div>
  );
}

type Group = { id: string; title?: string };

/**
 * The folded "Optional fields" of an object. Its fields render only once it is opened (or when
 * one of them has an error): on large specs most fields are optional, and not rendering them is
 * most of the form's mount time. Their values stay in the form data either way.
 */
function OptionalFields({ count, hasErrors, children }: { count: number; hasErrors: boolean; children: () => ReactNode }) {
  const tr = useTranslator();
  const [opened, setOpened] = useState(false);
  const [open, setOpen] = useState(false);
  return (
    <details
      className="aek-optional"
      data-count={count}
      open={open || hasErrors}
      onToggle={(e) => {
        const isOpen = e.currentTarget.open;
        setOpen(isOpen);
        if (isOpen) setOpened(true);
      }}
    >
      <summary>{tr.t('form.optionalFields', { count })}</summary>
      <div className="aek-optional-fields">{opened || hasErrors ? children() : null}</div>
    </details>
  );
}

/**
 * Objects, Airbyte style: fields in `order` order; required and `always_show` fields inline,
 * other optional fields folded under "Optional fields"; at the root, one section per `group`
 * (in the order of the spec's `groups`, then undeclared groups alphabetically, ungrouped first).
 */
export function ObjectFieldTemplate(props: ObjectFieldTemplateProps) {
  const { title, description, properties, schema, uiSchema, registry, fieldPathId, required, errorSchema } = props;
  const options = getUiOptions(uiSchema);
  const TitleFieldTemplate = getTemplate('TitleFieldTemplate', registry, options);
  const DescriptionTemplate = getTemplate('DescriptionFieldTemplate', registry, options);
  const isOption = options.aekOption === true;
  const isRoot = fieldPathId.path.length === 0;
  if ((schema.oneOf || schema.anyOf) && !schema.properties && properties.length === 0) return null;
  const propSchemas = (schema.properties ?? {}) as Record<string, RJSFSchema & { always_show?: boolean; group?: string }>;
  const requiredKeys = new Set((schema.required as string[] | undefined) ?? []);
  // Hidden and fixed fields keep their values but take no place, and no count in "Optional fields (N)".
  const shown = (name: string) => {
    const p = propSchemas[name] as JsonSchema | undefined;
    return !p || !isHidden(p);
  };
  const visible = properties.filter((p) => !p.hidden && shown(p.name));
  // Airbyte's form never folds a choice or a nested object (credentials live there), nor what is required or always_show.
  const inline = (name: string) => {
    const p = propSchemas[name] as JsonSchema | undefined;
    return requiredKeys.has(name) || p?.always_show === true || (p !== undefined && (discriminatorOf(p) !== undefined || isObjectNode(p)));
  };

  const section = (items: typeof visible, key: string, heading?: string): ReactNode => {
    const main = items.filter((p) => inline(p.name));
    const optional = items.filter((p) => !main.includes(p));
    const body = (
      <>
        {main.map((p) => p.content)}
        {optional.length > 0 && (
          <OptionalFields count={optional.length} hasErrors={optional.some((p) => (errorSchema as Record<string, unknown> | undefined)?.[p.name] !== undefined)}>
            {() => optional.map((p) => p.content)}
          </OptionalFields>
        )}
      </>
    );
    if (key === '') return <div key={key}>{body}</div>;
    return (
      <section key={key} className="aek-group" data-group={key} aria-label={heading}>
        {heading && <h3 className="aek-group-title">{heading}</h3>}
        {body}
      </section>
    );
  };

  let content: ReactNode;
  const grouped = isRoot && visible.some((p) => typeof propSchemas[p.name]?.group === 'string');
  if (grouped) {
    const declared = (options.groups as Group[] | undefined) ?? [];
    const used = [...new Set(visible.map((p) => propSchemas[p.name]?.group).filter((g): g is string => typeof g === 'string'))];
    const order = [...declared.map((g) => g.id).filter((id) => used.includes(id)), ...used.filter((id) => !declared.some((g) => g.id === id)).sort()];
    const ungrouped = visible.filter((p) => typeof propSchemas[p.name]?.group !== 'string');
    content = (
      <>
        {ungrouped.length > 0 && section(ungrouped, '')}
        {/* A group the spec gives no title has none (as in Airbyte's form), never its raw id. */}
        {order.map((id) => section(visible.filter((p) => propSchemas[p.name]?.group === id), id, declared.find((g) => g.id === id)?.title))}
      </>
    );
  } else {
    content = section(visible, '');
  }
  // Hidden fields still render (they keep their values) but outside the layout.
  const hidden = properties.filter((p) => p.hidden || !shown(p.name)).map((p) => p.content);
  return (
    <fieldset className="aek-object" id={fieldPathId.$id}>
      {title && !isOption && !isRoot && <TitleFieldTemplate id={titleId(fieldPathId)} title={title} required={required} schema={schema} uiSchema={uiSchema} registry={registry} />}
      {description && !isRoot && options.aekDescribedByCard !== true && <DescriptionTemplate id={descriptionId(fieldPathId)} description={description} schema={schema} uiSchema={uiSchema} registry={registry} />}
      {content}
      {hidden}
    </fieldset>
  );
}

/** A oneOf field: its own title and description (RJSF drops them), the option picker, then the chosen option. */
export function MultiSchemaFieldTemplate({ schema, selector, optionSchemaField, registry, uiSchema }: MultiSchemaFieldTemplateProps) {
  const DescriptionTemplate = getTemplate('DescriptionFieldTemplate', registry, getUiOptions(uiSchema));
  const selectorProps = isValidElement<{ id?: string; value?: unknown }>(selector) ? selector.props : {};
  // Which option is shown (its index in the spec's oneOf), for styling and for tests that read the screen.
  const option = typeof selectorProps.value === 'number' ? selectorProps.value : -1;
  const selectorId = selectorProps.id;
  return (
    <div className="aek-oneof" data-option={option}>
      {schema.title && (
        <label className="control-label aek-oneof-title" htmlFor={selectorId}>
          <RichTitle schema={schema} text={schema.title} />
        </label>
      )}
      {schema.description && <DescriptionTemplate id={`${selectorId}__description`} description={schema.description} schema={schema} registry={registry} />}
      {selector}
      <div className="aek-oneof-option">{optionSchemaField}</div>
    </div>
  );
}
