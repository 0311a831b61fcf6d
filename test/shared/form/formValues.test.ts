import { describe, expect, it } from 'vitest';
import { toFormSchema } from '../../../src/shared/form/formSchema.ts';
import { chosenOption, initialValues, newItemValue, valuesForOption } from '../../../src/shared/form/formValues.ts';
import type { JsonSchema } from '../../../src/shared/contract.ts';

const spec: JsonSchema = {
  type: 'object',
  required: ['host', 'tables'],
  properties: {
    host: { type: 'string' },
    port: { type: 'integer', default: 5432 },
    ssl: { type: 'boolean' },
    fixed: { type: 'string', const: 'v1' },
    tables: { type: 'array', items: { type: 'string' } },
    nested: { type: 'object', properties: { region: { type: 'string', default: 'eu' } } },
    method: {
      type: 'object',
      default: 'CDC',
      oneOf: [
        { type: 'object', title: 'Standard', properties: { method: { const: 'Standard' }, shared: { type: 'string' } } },
        { type: 'object', title: 'CDC', required: ['slot'], properties: { method: { const: 'CDC' }, shared: { type: 'string' }, slot: { type: 'string' }, lsn: { type: 'string', enum: ['a', 'b'], default: 'b' } } },
      ],
    },
  },
};
const { schema } = toFormSchema(spec);
const method = (schema.properties as Record<string, JsonSchema>).method!;

describe('starting values (Airbyte form rules)', () => {
  it('a new form: consts written, defaults filled (optional ones too), objects made, the default option chosen with its defaults, unchecked boxes false, required lists []', () => {
    expect(initialValues(schema, {})).toEqual({ port: 5432, ssl: false, fixed: 'v1', tables: [], nested: { region: 'eu' }, method: { method: 'CDC', lsn: 'b' } });
  });

  it('an existing config keeps what it has, leaves out optional objects and choices it lacks, fills leaf defaults', () => {
    expect(initialValues(schema, { host: 'h', port: 1, extra: true }, { existing: true })).toEqual({ host: 'h', port: 1, extra: true, ssl: false, fixed: 'v1', tables: [] });
    expect(initialValues(schema, { host: 'h', method: { slot: 's' } }, { existing: true })).toMatchObject({ method: { method: 'CDC', slot: 's', lsn: 'b' } });
  });

  it('switching options keeps the shared fields that fit, writes the discriminator, fills the new option\'s defaults', () => {
    expect(valuesForOption(method, 1, { method: 'Standard', shared: 'x', stale: 1 })).toEqual({ method: 'CDC', shared: 'x', lsn: 'b' });
    expect(chosenOption(method, { method: 'CDC' })).toBe(1);
    expect(chosenOption(method, { method: 'nope' })).toBe(-1);
  });

  it('a new list item starts from its defaults, hidden ones included', () => {
    expect(newItemValue({ type: 'object', properties: { a: { type: 'string', airbyte_hidden: true, default: 'x' }, b: { type: 'integer', default: 3 } } })).toEqual({ a: 'x', b: 3 });
  });
});
