import {
  descriptionId,
  getTemplate,
  getUiOptions,
  titleId,
  type DescriptionFieldProps,
  type MultiSchemaFieldTemplateProps,
  type ObjectFieldTemplateProps,
  type RJSFSchema,
} from '@rjsf/utils';
import { isValidElement, useState, type ReactNode } from 'react';
import { useTranslator } from '../i18n.tsx';
import { descriptionToHtml } from './richText.ts';

/** Descriptions as sanitized rich text (links open in a new tab); never escaped tags. */
export function DescriptionFieldTemplate({ id, description }: DescriptionFieldProps) {
  if (!description) return null;
  if (typeof description !== 'string') return <div id={id} className="field-description aek-description">{description}</div>;
  return <div id={id} className="field-description aek-description" dangerouslySetInnerHTML={{ __html: descriptionToHtml(description) }} />;
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
  const visible = properties.filter((p) => !p.hidden);

  const section = (items: typeof visible, key: string, heading?: string): ReactNode => {
    const main = items.filter((p) => requiredKeys.has(p.name) || propSchemas[p.name]?.always_show === true);
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
    return heading !== undefined ? (
      <section key={key} className="aek-group" data-group={key} aria-label={heading}>
        <h3 className="aek-group-title">{heading}</h3>
        {body}
      </section>
    ) : (
      <div key={key}>{body}</div>
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
        {order.map((id) => section(visible.filter((p) => propSchemas[p.name]?.group === id), id, declared.find((g) => g.id === id)?.title ?? humanize(id)))}
      </>
    );
  } else {
    content = section(visible, '');
  }
  // Hidden fields still render (they keep their values) but outside the layout.
  const hidden = properties.filter((p) => p.hidden).map((p) => p.content);
  return (
    <fieldset className="aek-object" id={fieldPathId.$id}>
      {title && !isOption && !isRoot && <TitleFieldTemplate id={titleId(fieldPathId)} title={title} required={required} schema={schema} uiSchema={uiSchema} registry={registry} />}
      {description && !isRoot && options.aekDescribedByCard !== true && <DescriptionTemplate id={descriptionId(fieldPathId)} description={description} schema={schema} uiSchema={uiSchema} registry={registry} />}
      {content}
      {hidden}
    </fieldset>
  );
}

function humanize(id: string): string {
  return id.charAt(0).toUpperCase() + id.slice(1).replace(/_/g, ' ');
}

/** A oneOf field: its own title and description (RJSF drops them), the option picker, then the chosen option. */
export function MultiSchemaFieldTemplate({ schema, selector, optionSchemaField, registry, uiSchema }: MultiSchemaFieldTemplateProps) {
  const DescriptionTemplate = getTemplate('DescriptionFieldTemplate', registry, getUiOptions(uiSchema));
  const selectorId = isValidElement<{ id?: string }>(selector) ? selector.props.id : undefined;
  return (
    <div className="aek-oneof">
      {schema.title && (
        <label className="control-label aek-oneof-title" htmlFor={selectorId}>
          {schema.title}
        </label>
      )}
      {schema.description && <DescriptionTemplate id={`${selectorId}__description`} description={schema.description} schema={schema} registry={registry} />}
      {selector}
      <div className="aek-oneof-option">{optionSchemaField}</div>
    </div>
  );
}
