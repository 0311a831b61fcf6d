import type { JsonSchema } from './contract.ts';
import { findDiscriminator } from './discriminator.ts';
import { englishTranslator, type Translator } from './i18n/translator.ts';

type UiSchema = { [key: string]: unknown };
type Node = JsonSchema;

/** Names of Airbyte's spec extensions the form understands (listed in the README). */
export const SUPPORTED_EXTENSIONS = [
  'airbyte_secret',
  'airbyte_hidden',
  'always_show',
  'order',
  'group',
  'groups',
  'multiline',
  'pattern_descriptor',
  'display_type',
  'examples',
] as const;

/** Enums longer than this get a searchable picker. */
export const SEARCHABLE_ENUM_MIN = 20;

const TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];

/** "api_key" → "API key"-ish: the label of a property that has no title. */
export function humanizeKey(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim().split(/\s+/);
  const acronyms = new Set(['id', 'api', 'url', 'uri', 'ssl', 'ssh', 'sql', 'oauth', 'http', 'https', 'ip', 'db', 'aws', 'gcs', 's3']);
  return words.map((w, i) => (acronyms.has(w.toLowerCase()) ? w.toUpperCase() : i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w.toLowerCase())).join(' ');
}

/** The first non-null type of a node (`["string","null"]` → `string`). */
function mainType(node: Node): string | undefined {
  const t = node.type;
  if (Array.isArray(t)) return (t as string[]).find((x) => x !== 'null');
  return typeof t === 'string' ? t : undefined;
}

function defaultFits(node: Node, value: unknown): boolean {
  const t = mainType(node);
  if (value === null) return Array.isArray(node.type) && (node.type as string[]).includes('null');
  if (typeof value === 'string' && value.includes('{{')) return false; // a Jinja template, not a value
  if (Array.isArray(node.enum) && !Array.isArray(value) && !(node.enum as unknown[]).some((e) => e === value)) return false;
  switch (t) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array': {
      if (!Array.isArray(value)) return false;
      const items = node.items as Node | undefined;
      return !items || value.every((v) => defaultFits(items, v));
    }
    case 'object':
      return typeof value === 'object' && !Array.isArray(value);
    default:
      return true;
  }
}

/**
 * Turns an Airbyte connector spec into what RJSF renders, fixing what a plain RJSF form gets
 * wrong (see docs): it returns a cleaned schema (no `$schema`, no `additionalProperties: true`
 * "Add" buttons, de-duplicated `required`, nullable types reduced, string arrays without `items`,
 * bad defaults dropped, oneOf discriminators marked) and a uiSchema mapping Airbyte's extensions
 * onto the kit's widgets, fields and templates. Framework-free.
 */
export function toFormSchema(spec: JsonSchema, tr: Translator = englishTranslator()): { schema: JsonSchema; uiSchema: UiSchema } {
  const schema = clean(spec);
  if (!schema.type && !schema.oneOf) schema.type = 'object';
  return { schema, uiSchema: uiFor(schema, true, tr) };
}

function clean(node: Node): Node {
  const { $schema: _s, $id: _i, additionalProperties, ...rest } = node;
  const out: Node = { ...rest };
  if (additionalProperties === false) out.additionalProperties = false;
  // Types given as lists (`["string","null"]`) stay: RJSF renders the first non-null type and null stays valid.
  if (Array.isArray(out.type)) out.type = (out.type as unknown[]).filter((t) => typeof t === 'string' && TYPES.includes(t));
  if (Array.isArray(out.type) && !(out.type as unknown[]).length) delete out.type;
  if (typeof out.type === 'string' && !TYPES.includes(out.type)) delete out.type;
  if (Array.isArray(out.required)) out.required = [...new Set(out.required as string[])];
  // Where a spec gives both, the pattern is the contract (e.g. DD-MM-YYYY with `format: date`):
  // validate the pattern only, and keep the format as a hint for the widget.
  if (typeof out.pattern === 'string' && typeof out.format === 'string') {
    out['x-aek-format'] = out.format;
    delete out.format;
  }
  // Arrays: without items they hold strings (`item` is a known typo); an enum on the array itself is a multi-select.
  if (mainType(out) === 'array') {
    if (!out.items || typeof out.items !== 'object' || Array.isArray(out.items)) {
      out.items = { type: typeof node.item === 'string' && TYPES.includes(node.item) ? node.item : 'string' };
    }
    if (Array.isArray(out.enum)) {
      out.items = { ...(out.items as Node), enum: out.enum };
      delete out.enum;
    }
    const items = clean(out.items as Node);
    // RJSF renders a multi-select only with uniqueItems; mark it ours so its errors are ignored
    // where the spec itself allows duplicates.
    if (Array.isArray(items.enum) && out.uniqueItems !== true) {
      out.uniqueItems = true;
      out['x-aek-unique-for-rendering'] = true;
    }
    out.items = items;
  }
  if (out.properties && typeof out.properties === 'object') {
    out.properties = Object.fromEntries(
      Object.entries(out.properties as Record<string, Node>).map(([k, v]) => {
        const child = clean(typeof v === 'object' && v !== null ? v : {});
        if (!child.title && !child.const) child.title = humanizeKey(k);
        return [k, child];
      }),
    );
  }
  if (Array.isArray(out.oneOf)) {
    const options = (out.oneOf as Node[]).map((o) => clean(o));
    const disc = findDiscriminator(options);
    if (disc) {
      out.discriminator = { propertyName: disc.key };
      options.forEach((o, i) => {
        const props = o.properties as Record<string, Node>;
        props[disc.key] = { ...props[disc.key], default: disc.values[i] };
        o.required = [...new Set([...((o.required as string[] | undefined) ?? []), disc.key])];
      });
      // A string default names an option: preselect it (else the first option).
      if (out.default !== undefined && typeof out.default !== 'object') {
        const index = disc.values.findIndex((v) => v === out.default);
        out.default = { [disc.key]: disc.values[index >= 0 ? index : 0] };
      }
    }
    if (out.default !== undefined && (typeof out.default !== 'object' || out.default === null || Array.isArray(out.default))) delete out.default;
    if (!out.type && options.every((o) => o.type === 'object' || o.properties)) out.type = 'object';
    out.oneOf = options;
  }
  if ('default' in out && !Array.isArray(out.oneOf) && !defaultFits(out, out.default)) delete out.default;
  // Never prefill a secret from a spec default that is a template expression.
  if (out.airbyte_secret === true && typeof out.default === 'string' && out.default.includes('{{')) delete out.default;
  return out;
}

function fieldUi(node: Node, tr: Translator): UiSchema {
  const ui: UiSchema = {};
  const t = mainType(node);
  const patternDescriptor = typeof node.pattern_descriptor === 'string' ? node.pattern_descriptor : undefined;
  if (node.airbyte_hidden === true) return { 'ui:field': 'AirbyteHidden' };
  if (node.airbyte_secret === true) ui['ui:widget'] = node.multiline === true ? 'AirbyteSecretTextarea' : 'password';
  else if (node.multiline === true) ui['ui:widget'] = 'textarea';
  else if (t === 'string' && (node.format ?? node['x-aek-format']) === 'date-time') ui['ui:widget'] = 'AirbyteDateTime';
  else if (t === 'string' && ((node.format ?? node['x-aek-format']) === 'date' || (typeof node.pattern === 'string' && /^\^\[0-9\]\{4\}-\[0-9\]\{2\}(-\[0-9\]\{2\})?\$$/.test(node.pattern)))) ui['ui:widget'] = 'AirbyteDate';
  else if (Array.isArray(node.enum) && node.enum.length > SEARCHABLE_ENUM_MIN) ui['ui:widget'] = 'AirbyteSearchableSelect';
  if (t === 'array') {
    const items = node.items as Node;
    if (Array.isArray(items.enum)) ui['ui:widget'] = 'AirbyteMultiSelect';
    else if (mainType(items) === 'string' && !items.format && !items.enum && items.airbyte_secret !== true) ui['ui:field'] = 'AirbyteTagList';
    else ui['ui:options'] = { orderable: true };
  }
  const examples = node.examples as unknown[] | undefined;
  const example = examples?.[0] ?? node.example;
  if (example !== undefined && example !== null && typeof example !== 'object' && t !== 'boolean') ui['ui:placeholder'] = String(example);
  // Optional fields start empty (the connector's default applies): show that default as the hint.
  else if (node.default !== undefined && node.default !== null && typeof node.default !== 'object' && t !== 'boolean') ui['ui:placeholder'] = tr.t('form.defaultValue', { value: String(node.default) });
  if (patternDescriptor) ui['ui:help'] = tr.t('form.format', { format: patternDescriptor });
  Object.assign(ui, uiFor(node, false, tr));
  return ui;
}

function uiFor(node: Node, isRoot: boolean, tr: Translator): UiSchema {
  const out: UiSchema = {};
  const props = node.properties as Record<string, Node> | undefined;
  if (props) {
    const keys = Object.keys(props);
    if (keys.length) out['ui:order'] = orderKeys(props, (node.required as string[] | undefined) ?? []);
    for (const key of keys) {
      const child = fieldUi(props[key]!, tr);
      if (Object.keys(child).length) out[key] = child;
    }
    if (isRoot && Array.isArray(node.groups)) out['ui:options'] = { ...(out['ui:options'] as object), groups: node.groups };
  }
  if (node.items && typeof node.items === 'object' && mainType(node) === 'array') {
    const items = fieldUi(node.items as Node, tr);
    if (Object.keys(items).length) out.items = items;
  }
  if (Array.isArray(node.oneOf)) {
    const options = node.oneOf as Node[];
    const disc = (node.discriminator as { propertyName?: string } | undefined)?.propertyName;
    out.oneOf = options.map((o) => {
      const optionUi = uiFor(o, false, tr);
      if (disc) optionUi[disc] = { 'ui:field': 'AirbyteHidden' };
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
 * Writes each oneOf's discriminator into the data when it is missing (33 real specs leave it out
 * of `required`, and old configs omit it), choosing the option the data fits: every required field
 * present, then the most fields in common, then the first. Airbyte's form always writes it.
 * Returns a new value; recurses through objects, arrays and nested oneOfs.
 */
export function fillDiscriminators(schema: JsonSchema, data: unknown): unknown {
  if (Array.isArray(data)) {
    const items = schema.items as JsonSchema | undefined;
    return items ? data.map((d) => fillDiscriminators(items, d)) : data;
  }
  if (!data || typeof data !== 'object') return data;
  let out: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  let node = schema;
  if (Array.isArray(schema.oneOf)) {
    const options = schema.oneOf as JsonSchema[];
    const key = (schema.discriminator as { propertyName?: string } | undefined)?.propertyName;
    let index = key ? options.findIndex((o) => (o.properties as Record<string, JsonSchema>)[key]?.default === out[key]) : -1;
    if (index < 0) {
      const score = (o: JsonSchema) => {
        const props = Object.keys((o.properties as object | undefined) ?? {});
        const required = ((o.required as string[] | undefined) ?? []).filter((r) => r !== key);
        const complete = required.every((r) => r in out) ? 1000 : 0;
        return complete + Object.keys(out).filter((k) => props.includes(k)).length;
      };
      index = options.reduce((best, o, i) => (score(o) > score(options[best]!) ? i : best), 0);
      if (key) out[key] = (options[index]!.properties as Record<string, JsonSchema>)[key]?.default;
    }
    node = options[index]!;
  }
  const props = (node.properties ?? {}) as Record<string, JsonSchema>;
  out = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, props[k] ? fillDiscriminators(props[k]!, v) : v]));
  return out;
}

/**
 * Seeds the default of every `airbyte_hidden` field the data lacks, in the root object and in
 * every object the data holds (array items included): hidden fields are never edited, so their
 * defaults must be written even where RJSF leaves optional fields empty.
 */
export function fillHiddenDefaults(schema: JsonSchema, data: unknown): unknown {
  if (Array.isArray(data)) {
    const items = schema.items as JsonSchema | undefined;
    return items ? data.map((d) => fillHiddenDefaults(items, d)) : data;
  }
  if (!data || typeof data !== 'object') return data;
  const out: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  const key = (schema.discriminator as { propertyName?: string } | undefined)?.propertyName;
  const option = Array.isArray(schema.oneOf)
    ? (schema.oneOf as JsonSchema[]).find((o) => key && (o.properties as Record<string, JsonSchema>)[key]?.default === out[key])
    : undefined;
  const props = { ...((schema.properties ?? {}) as Record<string, JsonSchema>), ...((option?.properties ?? {}) as Record<string, JsonSchema>) };
  for (const [k, p] of Object.entries(props)) {
    if (out[k] === undefined && p.airbyte_hidden === true && p.default !== undefined) out[k] = structuredClone(p.default);
    else if (out[k] !== undefined) out[k] = fillHiddenDefaults(p, out[k]);
  }
  return out;
}

/** The form's starting values: discriminators written, hidden defaults seeded. */
export function prepareFormData(schema: JsonSchema, data: unknown): unknown {
  return fillHiddenDefaults(schema, fillDiscriminators(schema, data));
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
