import type { JsonSchema } from '../contract.ts';
import { discriminatorOf, hasDeclaredType, isFixed, isHidden, isObjectNode, mainType, propertiesOf } from './nodes.ts';

type Json = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v));
const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** How to start: a new config, or an existing one being edited. */
export interface InitialValuesOptions {
  /**
   * `data` is an existing config (the edit view): optional objects and choices it leaves out stay
   * out, as in Airbyte's edit form, so it submits as it was unless the user adds them. Default false.
   */
  existing?: boolean | undefined;
}

/**
 * The values a form starts from, following Airbyte's own connector form (airbyte-platform
 * webapp, `useBuildForm.tsx` `setDefaultValues`): every `const` written; every `default` filled,
 * optional fields too; every nested object created; every oneOf with an option chosen (the one
 * its `default` names, else the first visible one) and that option's values filled the same way;
 * required lists start empty (`[]`). Values already in `data` are kept, a missing discriminator is
 * written from the option the data fits, and list items are filled too. One addition: a visible
 * checkbox with no default starts `false`, so what it shows (unchecked) is what is sent. Works on
 * a cleaned schema (toFormSchema).
 */
export function initialValues(schema: JsonSchema, data: unknown, options: InitialValuesOptions = {}): unknown {
  return fill(schema, data, options.existing === true);
}

/**
 * The value of a oneOf once the user picks option `index` (Airbyte's `ConditionSection`
 * `onOptionChange`): the fields the new option shares with the old value are kept where their
 * value still fits, the discriminator is set, and the new option's defaults are filled in.
 */
export function valuesForOption(node: JsonSchema, index: number, current: unknown): Json {
  const key = discriminatorOf(node);
  const option = (node.oneOf as JsonSchema[])[index]!;
  const props = propertiesOf(option);
  const kept: Json = {};
  if (isPlainObject(current)) {
    for (const [k, v] of Object.entries(current)) if (Object.prototype.hasOwnProperty.call(props, k) && k !== key && fits(props[k]!, v)) kept[k] = v;
  }
  if (key) kept[key] = clone(props[key]?.const);
  return fill(option, kept, false) as Json;
}

/** The value of an item added to a list with "+ Add item": the item schema's starting values. */
export function newItemValue(items: JsonSchema | undefined): unknown {
  return items ? fill(items, undefined, false) : undefined;
}

/** Which option of a cleaned oneOf `value` holds, by its discriminator; -1 when it holds none. */
export function chosenOption(node: JsonSchema, value: unknown): number {
  const key = discriminatorOf(node);
  if (!key || !isPlainObject(value) || !(key in value)) return -1;
  return (node.oneOf as JsonSchema[]).findIndex((o) => same(propertiesOf(o)[key]?.const, value[key]));
}

/** Whether `value` could stay in a field of `node` (its type matches; consts and enums hold it). */
function fits(node: JsonSchema, value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (isFixed(node)) return same(node.const, value);
  if (Array.isArray(node.enum) && !Array.isArray(value)) return (node.enum as unknown[]).some((e) => same(e, value));
  return hasDeclaredType(node, value);
}

function fill(node: JsonSchema, value: unknown, existing: boolean): unknown {
  if (discriminatorOf(node)) return fillChoice(node, value, existing);
  if (isObjectNode(node)) return fillObject(node, value, existing);
  if (mainType(node) === 'array' && Array.isArray(value)) {
    const items = node.items as JsonSchema | undefined;
    return items && (isObjectNode(items) || discriminatorOf(items)) ? value.map((v) => fill(items, v, existing)) : value;
  }
  return value;
}

function fillObject(node: JsonSchema, value: unknown, existing: boolean): Json {
  const out: Json = isPlainObject(value) ? { ...value } : {};
  const required = new Set((node.required as string[] | undefined) ?? []);
  for (const [key, prop] of Object.entries(propertiesOf(node))) {
    const next = fillProperty(prop, out[key], required.has(key), existing);
    if (next !== undefined) out[key] = next;
  }
  return out;
}

function fillProperty(prop: JsonSchema, value: unknown, required: boolean, existing: boolean): unknown {
  if (isFixed(prop)) return clone(prop.const);
  const structured = discriminatorOf(prop) !== undefined || isObjectNode(prop);
  // An existing config that leaves an optional object or choice out keeps it out (its default too).
  if (structured && value === undefined && existing && !required) return undefined;
  let v = value === undefined && 'default' in prop ? clone(prop.default) : value;
  if (structured) return fill(prop, v, existing);
  if (mainType(prop) === 'array') {
    const items = prop.items as JsonSchema | undefined;
    if (v === undefined && required && items) v = [];
    return fill(prop, v, existing);
  }
  if (v === undefined && mainType(prop) === 'boolean' && !isHidden(prop)) return false;
  return v;
}

function fillChoice(node: JsonSchema, value: unknown, existing: boolean): Json {
  const options = node.oneOf as JsonSchema[];
  // Data that names its option, or old data without a discriminator: keep all of it, fill the rest.
  let index = chosenOption(node, value);
  if (index < 0 && isPlainObject(value) && Object.keys(value).length) index = bestFit(node, value);
  if (index >= 0) return fillObject(options[index]!, value, existing);
  // Nothing yet: the option the default names, else the first one the user may pick.
  const start = isPlainObject(node.default) ? clone(node.default) : {};
  index = chosenOption(node, start);
  if (index < 0) index = Math.max(0, options.findIndex((o) => o.airbyte_hidden !== true));
  return valuesForOption(node, index, start);
}

/**
 * The option old data fits when it lacks its discriminator (33 real specs leave it out of
 * `required`, and old configs omit it): every required field present, then the most fields in
 * common, then the first.
 */
function bestFit(node: JsonSchema, value: Json): number {
  const key = discriminatorOf(node);
  const options = node.oneOf as JsonSchema[];
  const score = (o: JsonSchema) => {
    const props = Object.keys(propertiesOf(o));
    const required = ((o.required as string[] | undefined) ?? []).filter((r) => r !== key);
    const complete = required.every((r) => r in value) ? 1000 : 0;
    return complete + Object.keys(value).filter((k) => props.includes(k)).length;
  };
  return options.reduce((best, o, i) => (score(o) > score(options[best]!) ? i : best), 0);
}
