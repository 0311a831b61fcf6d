import type { JsonSchema } from '../contract.ts';
import type { Translator } from '../i18n/translator.ts';
import { discriminatorOf, isHidden, mainType } from './nodes.ts';

type Node = JsonSchema;

/** A uiSchema as RJSF reads it. */
export type UiSchema = { [key: string]: unknown };

/** Enums longer than this get a searchable picker. */
export const SEARCHABLE_ENUM_MIN = 20;

/** The uiSchema of a field the form never shows; it replaces a oneOf's picker too. */
const HIDDEN_UI = { 'ui:field': 'AirbyteHidden', 'ui:fieldReplacesAnyOrOneOf': true } as const;

const DATE_PATTERN = /^\^\[0-9\]\{4\}-\[0-9\]\{2\}(-\[0-9\]\{2\})?\$$/;

/**
 * The uiSchema for a cleaned spec (see toFormSchema): Airbyte's extensions mapped onto the
 * kit's widgets, fields and templates. Every property gets an entry of its own, so no property
 * name ever falls through to something an object inherits.
 */
export function formUiSchema(schema: JsonSchema, tr: Translator): UiSchema {
  return uiFor(schema, true, tr);
}

function fieldUi(node: Node, tr: Translator): UiSchema {
  if (isHidden(node)) return { ...HIDDEN_UI };
  const ui: UiSchema = {};
  const t = mainType(node);
  const format = node.format ?? node['x-aek-format'];
  if (node.airbyte_secret === true) ui['ui:widget'] = node.multiline === true ? 'AirbyteSecretTextarea' : 'password';
  else if (node.multiline === true) ui['ui:widget'] = 'textarea';
  else if (t === 'string' && format === 'date-time') ui['ui:widget'] = 'AirbyteDateTime';
  else if (t === 'string' && (format === 'date' || (typeof node.pattern === 'string' && DATE_PATTERN.test(node.pattern)))) ui['ui:widget'] = 'AirbyteDate';
  else if (Array.isArray(node.enum) && node.enum.length > SEARCHABLE_ENUM_MIN) ui['ui:widget'] = 'AirbyteSearchableSelect';
  if (t === 'array') {
    const items = node.items as Node;
    if (Array.isArray(items.enum)) ui['ui:widget'] = 'AirbyteMultiSelect';
    else if (mainType(items) === 'string' && !items.format && !items.enum && items.airbyte_secret !== true) ui['ui:field'] = 'AirbyteTagList';
    else ui['ui:options'] = { orderable: true };
  }
  // An example reads as one ("e.g. …"), never as a value already entered.
  const examples = node.examples as unknown[] | undefined;
  const example = Array.isArray(examples) ? examples[0] : node.example;
  if (example !== undefined && example !== null && typeof example !== 'object' && t !== 'boolean' && !Array.isArray(node.enum)) ui['ui:placeholder'] = tr.t('form.example', { value: String(example) });
  if (typeof node.pattern_descriptor === 'string') ui['ui:help'] = tr.t('form.format', { format: node.pattern_descriptor });
  Object.assign(ui, uiFor(node, false, tr));
  return ui;
}

function uiFor(node: Node, isRoot: boolean, tr: Translator): UiSchema {
  const out: UiSchema = {};
  const props = node.properties as Record<string, Node> | undefined;
  if (props) {
    const keys = Object.keys(props);
    if (keys.length) out['ui:order'] = orderKeys(props, (node.required as string[] | undefined) ?? []);
    for (const key of keys) out[key] = fieldUi(props[key]!, tr);
    if (isRoot && Array.isArray(node.groups)) out['ui:options'] = { ...(out['ui:options'] as object), groups: node.groups };
  }
  if (node.items && typeof node.items === 'object' && mainType(node) === 'array') {
    const items = fieldUi(node.items as Node, tr);
    if (Object.keys(items).length) out.items = items;
  }
  if (Array.isArray(node.oneOf)) {
    const options = node.oneOf as Node[];
    const disc = discriminatorOf(node);
    out.oneOf = options.map((o) => {
      const optionUi = uiFor(o, false, tr);
      if (disc) optionUi[disc] = { ...HIDDEN_UI };
      // Under radio cards the option's description is already on its card.
      optionUi['ui:options'] = { ...(optionUi['ui:options'] as object), aekOption: true, ...(node.display_type === 'radio' ? { aekDescribedByCard: true } : {}) };
      return optionUi;
    });
    if (node.display_type === 'radio') out['ui:widget'] = 'AirbyteOptionCards';
    out['ui:options'] = { ...(out['ui:options'] as object), optionDescriptions: options.map((o) => (typeof o.description === 'string' ? o.description : '')) };
  }
  return out;
}

/**
 * Airbyte's field order: fields with `order` first by that number (stable, so duplicates keep
 * declaration order), then the rest, required before optional, each alphabetical.
 */
export function orderKeys(props: Record<string, JsonSchema>, required: string[]): string[] {
  const keys = Object.keys(props);
  const ordered = keys.filter((k) => typeof props[k]!.order === 'number');
  ordered.sort((a, b) => (props[a]!.order as number) - (props[b]!.order as number));
  const rest = keys.filter((k) => typeof props[k]!.order !== 'number');
  const req = rest.filter((k) => required.includes(k)).sort();
  const opt = rest.filter((k) => !required.includes(k)).sort();
  return [...ordered, ...req, ...opt];
}
