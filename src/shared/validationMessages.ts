import type { JsonSchema } from './contract.ts';
import { englishTranslator, type MessageKey, type Translator } from './i18n/translator.ts';

const TYPE_KEYS = new Set(['integer', 'number', 'string', 'boolean', 'object', 'array', 'null']);

/** The sub-schema describing the value at `path` (property names and array indexes). */
export function schemaAt(spec: JsonSchema, path: string[]): JsonSchema | undefined {
  let node: JsonSchema | undefined = spec;
  for (const key of path) {
    const props = node?.properties as Record<string, JsonSchema> | undefined;
    if (props?.[key]) {
      node = props[key];
      continue;
    }
    const inOption: JsonSchema | undefined = ((node?.oneOf ?? []) as JsonSchema[]).map((o) => (o.properties as Record<string, JsonSchema> | undefined)?.[key]).find(Boolean);
    if (inOption) {
      node = inOption;
      continue;
    }
    const items = node?.items as JsonSchema | undefined;
    if (items && /^\d+$/.test(key)) {
      node = items;
      continue;
    }
    return undefined;
  }
  return node;
}

/** The parts of an Ajv (or RJSF) validation error that a message needs. */
export interface ValidationIssue {
  keyword: string;
  params: Record<string, unknown> | object;
  message?: string | undefined;
}

/**
 * Turns a validation error into a message for end users, shown next to the field: no regexes,
 * no JSON pointers. Shared by the server's validation and the form's, so both say the same thing;
 * the form passes its locale's translator, the server uses English.
 */
export function messageFor(error: ValidationIssue, field: JsonSchema | undefined, tr: Translator = englishTranslator()): string {
  const p = error.params as Record<string, unknown>;
  const limit = String(p.limit);
  switch (error.keyword) {
    case 'required':
      return tr.t('validation.required');
    case 'type': {
      const types = String(p.type).split(',');
      const names = types.map((t) => (TYPE_KEYS.has(t) ? tr.t(`validation.type.${t}` as MessageKey) : t));
      return tr.t('validation.type', { types: tr.list(names, 'or') });
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return tr.t(`validation.${error.keyword}`, { limit });
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
      return tr.t(`validation.${error.keyword}`, { count: Number(p.limit) });
    case 'enum':
      return tr.t('validation.enum', { values: ((p.allowedValues as unknown[] | undefined) ?? []).map(String).join(', ') });
    case 'pattern': {
      const descriptor = field?.pattern_descriptor ?? (field?.examples as unknown[] | undefined)?.[0];
      return descriptor ? tr.t('validation.pattern', { format: String(descriptor) }) : tr.t('validation.patternUnknown');
    }
    case 'format':
      return p.format === 'date-time' ? tr.t('validation.dateTime') : p.format === 'date' ? tr.t('validation.date') : tr.t('validation.format', { format: String(p.format) });
    case 'uniqueItems':
      return tr.t('validation.uniqueItems');
    case 'multipleOf':
      return tr.t('validation.multipleOf', { limit: String(p.multipleOf) });
    case 'const':
      return tr.t('validation.const', { value: String(p.allowedValue) });
    case 'additionalProperties':
      return tr.t('validation.additionalProperties', { field: String(p.additionalProperty) });
    case 'minProperties':
    case 'maxProperties':
      return tr.t(`validation.${error.keyword}`, { count: Number(p.limit) });
    case 'unknownField':
      return tr.t('validation.unknownField');
    default:
      // Ajv's own text is English and technical: say it plainly, in the reader's language.
      return tr.t('validation.invalid');
  }
}
