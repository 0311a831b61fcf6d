import type { JsonSchema } from '../contract.ts';
import { findDiscriminator } from '../discriminator.ts';
import { englishTranslator, type Translator } from '../i18n/translator.ts';
import { resolveRefs } from './resolveRefs.ts';
import { hasDeclaredType, mainType } from './nodes.ts';
import { browserPattern, PATTERN_SAFE } from '../pattern/browserPattern.ts';
import { mapSchemas } from './schemaKeywords.ts';
import { toSafeKey } from './safeKeys.ts';
import { formUiSchema, type UiSchema } from './uiSchema.ts';

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

/** On a cleaned node: the spec's text (title or `pattern_descriptor`) when it carries markup (HTML, backticks). */
export const RICH_TITLE = 'x-aek-rich-title';
export const RICH_DESCRIPTOR = 'x-aek-rich-descriptor';
/** On a cleaned node: the property name as the spec spells it (keys may be escaped, see safeKeys). */
export const SPEC_KEY = 'x-aek-key';

const TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];

/** "api_key" → "API key"-ish: the label of a property that has no title. */
export function humanizeKey(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim().split(/\s+/);
  const acronyms = new Set(['id', 'api', 'url', 'uri', 'ssl', 'ssh', 'sql', 'oauth', 'http', 'https', 'ip', 'db', 'aws', 'gcs', 's3']);
  return words.map((w, i) => (acronyms.has(w.toLowerCase()) ? w.toUpperCase() : i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w.toLowerCase())).join(' ');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };
const MARKUP = /<\/?[a-z][^>]*>|`|&(?:[a-z]+|#\d+);/i;

/** Text with its HTML tags and Markdown backticks removed, entities decoded: for `<option>`s and messages. */
export function plainText(text: string): string {
  return text
    .replace(/<[^>]*>/g, '')
    .replace(/`/g, '')
    .replace(/&([a-z]+|#\d+);/gi, (m, name: string) => ENTITIES[name.toLowerCase()] ?? (name.startsWith('#') ? String.fromCharCode(Number(name.slice(1))) : m))
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether a spec's `default` is a value the form could send for this node. */
function defaultFits(node: Node, value: unknown): boolean {
  if (typeof value === 'string' && value.includes('{{')) return false; // a Jinja template, not a value
  if (value !== null && Array.isArray(node.enum) && !Array.isArray(value) && !(node.enum as unknown[]).some((e) => e === value)) return false;
  if (!hasDeclaredType(node, value)) return false;
  // A default its own pattern refuses would make the form invalid before the user types anything.
  if (typeof value === 'string' && typeof node.pattern === 'string') return browserPattern(node.pattern, node[PATTERN_SAFE]).test(value);
  const items = node.items as Node | undefined;
  return !Array.isArray(value) || !items || value.every((v) => defaultFits(items, v));
}

/**
 * Turns an Airbyte connector spec into what RJSF renders, fixing what a plain RJSF form gets
 * wrong (see docs): `$ref`/`allOf`/`anyOf` resolved to plain schemas; no `$schema`; no
 * `additionalProperties: true` "Add" buttons; de-duplicated `required`; string arrays without
 * `items`; defaults that do not fit dropped; one-value enums made `const`; oneOf discriminators
 * marked (and their `const` set); property names escaped where an object lookup would misread
 * them (see safeKeys: the form's data uses the same escaped keys). Returns the cleaned schema and
 * a uiSchema mapping Airbyte's extensions onto the kit's widgets, fields and templates.
 * Framework-free.
 */
export function toFormSchema(spec: JsonSchema, tr: Translator = englishTranslator()): { schema: JsonSchema; uiSchema: UiSchema } {
  // `patternProperties` is left to the proxy, at every depth of the resolved spec: RJSF would test
  // each property name against each key with `new RegExp` on every render, and a key from a
  // hostile template could hang the tab.
  const schema = mapSchemas(clean(resolveRefs(spec)), ({ patternProperties: _p, ...node }) => node) as Node;
  if (!schema.type && !schema.oneOf) schema.type = 'object';
  return { schema, uiSchema: formUiSchema(schema, tr) };
}

function clean(node: Node): Node {
  const { $schema: _s, $id: _i, additionalProperties, discriminator: _d, ...rest } = node;
  const out: Node = { ...rest };
  if (additionalProperties === false) out.additionalProperties = false;
  // Types given as lists (`["string","null"]`) stay: RJSF renders the first non-null type and null stays valid.
  if (Array.isArray(out.type)) out.type = (out.type as unknown[]).filter((t) => typeof t === 'string' && TYPES.includes(t));
  if (Array.isArray(out.type) && !(out.type as unknown[]).length) delete out.type;
  if (typeof out.type === 'string' && !TYPES.includes(out.type)) delete out.type;
  if (Array.isArray(out.required)) out.required = [...new Set((out.required as unknown[]).filter((r): r is string => typeof r === 'string'))].map(toSafeKey);
  // A one-value enum is a constant (Airbyte's form treats it so): the form writes it and shows nothing.
  if (!('const' in out) && Array.isArray(out.enum) && out.enum.length === 1 && mainType(out) !== 'array') out.const = out.enum[0];
  if (typeof out.title === 'string' && MARKUP.test(out.title)) {
    out[RICH_TITLE] = out.title;
    out.title = plainText(out.title);
  }
  if (typeof out.pattern_descriptor === 'string' && MARKUP.test(out.pattern_descriptor)) {
    out[RICH_DESCRIPTOR] = out.pattern_descriptor;
    out.pattern_descriptor = plainText(out.pattern_descriptor);
  }
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
        const child = clean(typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {});
        if (!child.title && !('const' in child)) child.title = humanizeKey(k);
        const safe = toSafeKey(k);
        if (safe !== k) child[SPEC_KEY] = k;
        return [safe, child];
      }),
    );
  }
  if (Array.isArray(out.oneOf)) cleanOneOf(out);
  if ('default' in out && !Array.isArray(out.oneOf) && !defaultFits(out, out.default)) delete out.default;
  // Never prefill a secret from a spec default that is a template expression.
  if (out.airbyte_secret === true && typeof out.default === 'string' && out.default.includes('{{')) delete out.default;
  return out;
}

function cleanOneOf(out: Node) {
  const options = (out.oneOf as Node[]).map((o) => clean(typeof o === 'object' && o !== null ? o : {}));
  const disc = findDiscriminator(options);
  if (disc) {
    out.discriminator = { propertyName: disc.key };
    options.forEach((o, i) => {
      const props = o.properties as Record<string, Node>;
      props[disc.key] = { ...props[disc.key], const: disc.values[i], default: disc.values[i] };
      o.required = [...new Set([...((o.required as string[] | undefined) ?? []), disc.key])];
      if (!o.type) o.type = 'object';
    });
    // A default names an option: a string by its discriminator value (else the first option,
    // as Airbyte's form does), an object by the discriminator value it holds.
    if (out.default !== undefined && (typeof out.default !== 'object' || out.default === null)) {
      const index = disc.values.findIndex((v) => v === out.default);
      if (index >= 0) out.default = { [disc.key]: disc.values[index] };
      else delete out.default;
    } else if (out.default !== undefined && (Array.isArray(out.default) || !disc.values.some((v) => v === (out.default as Record<string, unknown>)[disc.key]))) {
      delete out.default;
    }
  }
  if (out.default !== undefined && (typeof out.default !== 'object' || out.default === null || Array.isArray(out.default))) delete out.default;
  if (!out.type && options.every((o) => o.type === 'object' || o.properties)) out.type = 'object';
  out.oneOf = options;
}
