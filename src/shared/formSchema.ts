import type { JsonSchema } from './contract.ts';

type UiSchema = { [key: string]: unknown };

/**
 * Turns an Airbyte connector spec into what RJSF renders: a schema cleaned of quirks that only
 * matter for validation (root `$schema`, `additionalProperties`, which would make RJSF offer an
 * "Add" key/value button), and a uiSchema mapping Airbyte's extensions onto RJSF's widgets:
 * `airbyte_secret` → password, `multiline` → textarea, `airbyte_hidden` → hidden,
 * `format: date-time` → our pattern-aware date-time widget, `order` → `ui:order`.
 * Framework-free, so the proxy and tests can use it as well as the form.
 */
export function toFormSchema(spec: JsonSchema): { schema: JsonSchema; uiSchema: UiSchema } {
  const schema = cleanSchema(spec, true);
  return { schema, uiSchema: buildUiSchema(schema) };
}

function cleanSchema(node: JsonSchema, isRoot: boolean): JsonSchema {
  const { $schema: _s, additionalProperties: _a, ...rest } = node;
  const out: JsonSchema = isRoot ? rest : { ...rest };
  if (!isRoot && 'additionalProperties' in node && node.additionalProperties === false) out.additionalProperties = false;
  const props = node.properties as Record<string, JsonSchema> | undefined;
  if (props) out.properties = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, cleanSchema(v, false)]));
  if (node.items && typeof node.items === 'object' && !Array.isArray(node.items)) out.items = cleanSchema(node.items as JsonSchema, false);
  if (Array.isArray(node.oneOf)) out.oneOf = (node.oneOf as JsonSchema[]).map((o) => cleanSchema(o, false));
  if (Array.isArray(node.required)) out.required = [...new Set(node.required as string[])];
  return out;
}

function fieldUi(node: JsonSchema): UiSchema {
  const ui: UiSchema = {};
  if (node.airbyte_hidden === true) ui['ui:widget'] = 'hidden';
  else if (node.airbyte_secret === true) ui['ui:widget'] = node.multiline === true ? 'AirbyteSecretTextarea' : 'password';
  else if (node.multiline === true) ui['ui:widget'] = 'textarea';
  else if (node.type === 'string' && node.format === 'date-time') ui['ui:widget'] = 'AirbyteDateTime';
  const example = (node.examples as unknown[] | undefined)?.[0];
  if (typeof example === 'string' || typeof example === 'number') ui['ui:placeholder'] = String(example);
  Object.assign(ui, buildUiSchema(node));
  return ui;
}

function buildUiSchema(node: JsonSchema): UiSchema {
  const ui: UiSchema = {};
  const props = node.properties as Record<string, JsonSchema> | undefined;
  if (props) {
    const keys = Object.keys(props);
    if (keys.length) ui['ui:order'] = orderKeys(props, (node.required as string[] | undefined) ?? []);
    for (const key of keys) {
      const child = fieldUi(props[key]!);
      if (Object.keys(child).length) ui[key] = child;
    }
  }
  if (node.items && typeof node.items === 'object') {
    const items = fieldUi(node.items as JsonSchema);
    if (Object.keys(items).length) ui.items = items;
  }
  if (Array.isArray(node.oneOf)) ui.oneOf = (node.oneOf as JsonSchema[]).map((o) => buildUiSchema(o));
  return ui;
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
