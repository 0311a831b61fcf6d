import type { JsonSchema } from './contract.ts';

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
  message?: string;
}

/**
 * Turns a validation error into a message for end users, shown next to the field: no regexes,
 * no JSON pointers. Shared by the server's validation and the form's, so both say the same thing.
 */
export function messageFor(error: ValidationIssue, field: JsonSchema | undefined): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'type': {
      const names: Record<string, string> = { integer: 'a whole number', number: 'a number', string: 'text', boolean: 'true or false', object: 'a group of values', array: 'a list', null: 'empty' };
      const types = String(p.type).split(',');
      return `must be ${types.map((t) => names[t] ?? t).join(' or ')}`;
    }
    case 'minimum':
      return `must be at least ${String(p.limit)}`;
    case 'maximum':
      return `must be at most ${String(p.limit)}`;
    case 'exclusiveMinimum':
      return `must be greater than ${String(p.limit)}`;
    case 'exclusiveMaximum':
      return `must be less than ${String(p.limit)}`;
    case 'minLength':
      return `must be at least ${String(p.limit)} characters`;
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters`;
    case 'enum':
      return `must be one of: ${(p.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'pattern': {
      const descriptor = field?.pattern_descriptor ?? (field?.examples as unknown[] | undefined)?.[0];
      return descriptor ? `must be in the format ${String(descriptor)}` : 'is not in the expected format';
    }
    case 'format':
      return p.format === 'date-time'
        ? 'must be a date and time like 2024-01-31T00:00:00Z'
        : p.format === 'date'
          ? 'must be a date like 2024-01-31'
          : `must be a valid ${String(p.format)}`;
    case 'minItems':
      return `must have at least ${String(p.limit)} item(s)`;
    default:
      return error.message ?? 'is invalid';
  }
}

