/**
 * The form's eval-free validator: the same errors, in the same shape, as the Ajv validator the
 * form used before (validator-ajv8, set up as SourceForm had it), so every message a user sees
 * stays the same, and the quirks of real specs tolerated.
 */
import { customizeValidator } from '@rjsf/validator-ajv8';
import type { RJSFSchema, RJSFValidationError } from '@rjsf/utils';
import { generateSync } from 'json-schema-faker';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormValidator, formValidator } from '../../../src/react/form/validator.ts';
import { toFormSchema } from '../../../src/shared/form/formSchema.ts';
import { initialValues } from '../../../src/shared/form/formValues.ts';
import { safeToBacktrack } from '../../../src/shared/pattern/backtrackSafety.ts';
import { browserPatternEngine, PATTERN_SAFE, setBacktrackCheck } from '../../../src/shared/pattern/browserPattern.ts';
import { messageFor } from '../../../src/shared/validationMessages.ts';
import { SHARED_SPECS, specsMissingMessage } from '../../fixtures/sharedSpecs.ts';

// As the `/form` entry does at load: patterns a spec does not mark are judged at once.
setBacktrackCheck(safeToBacktrack);

const ajvForm = customizeValidator({ ajvOptionsOverrides: { strict: false, unicodeRegExp: false, validateSchema: false, code: { optimize: false, regExp: browserPatternEngine } } });

const errorsOf = (schema: object, data: unknown) => formValidator.validateFormData(data, schema as RJSFSchema).errors;
/** What matters of an RJSF error downstream: rule, field, schema location, params. */
const key = (e: RJSFValidationError) => `${e.name}|${e.property}|${e.schemaPath}|${JSON.stringify(e.params, (k, v) => (k === 'passingSchemas' ? undefined : v))}`;
const keys = (errors: RJSFValidationError[]) => errors.map(key).sort();

/** The value with some keys dropped, some values of the wrong type, some strings spoilt. */
function spoil(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => spoil(v, seed + i));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter((_, i) => (seed + i + 1) % 5 !== 0)
        .map(([k, v], i) => [k, (seed + i + 1) % 7 === 0 ? 12 : spoil(v, seed + i + 1)]),
    );
  }
  if (typeof value === 'string') return seed % 3 === 0 ? `${value} x!` : seed % 4 === 0 ? '' : value;
  if (typeof value === 'number') return seed % 3 === 0 ? -value - 1 : value;
  return value;
}

describe('FormValidator against the Ajv the form used', () => {
  it.skipIf(!SHARED_SPECS)(`gives the same errors on every real spec, for empty, default, generated and spoilt configs (${specsMissingMessage})`, () => {
    const dir = path.join(SHARED_SPECS!, 'sources');
    let cases = 0;
    let withErrors = 0;
    const mismatches: string[] = [];
    for (const file of readdirSync(dir)) {
      const { schema } = toFormSchema(JSON.parse(readFileSync(path.join(dir, file), 'utf8')).connectionSpecification);
      const datas: unknown[] = [{}, initialValues(schema, {}), initialValues(schema, {}, { existing: true })];
      try {
        const generated = generateSync(schema as never, { seed: 1 } as never);
        datas.push(generated, spoil(generated, 1), spoil(generated, 2));
      } catch {
        // json-schema-faker cannot generate every spec; the other configs still count.
      }
      for (const data of datas) {
        cases++;
        const expected = keys(ajvForm.validateFormData(data, schema as RJSFSchema).errors);
        const actual = keys(errorsOf(schema, data));
        if (expected.length) withErrors++;
        if (JSON.stringify(actual) !== JSON.stringify(expected)) mismatches.push(`${file}: ajv ${expected.filter((k) => !actual.includes(k)).join(', ')} / new ${actual.filter((k) => !expected.includes(k)).join(', ')}`);
        if (ajvForm.isValid(schema as RJSFSchema, data, schema as RJSFSchema) !== formValidator.isValid(schema as RJSFSchema, data, schema as RJSFSchema)) mismatches.push(`${file}: isValid differs`);
      }
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(cases).toBeGreaterThan(2000);
    expect(withErrors).toBeGreaterThan(1000);
  });
});

describe('FormValidator errors', () => {
  const spec = {
    type: 'object',
    required: ['host', 'port', 'mode'],
    properties: {
      host: { type: 'string', title: 'Host' },
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      mode: { type: 'string', enum: ['a', 'b'] },
      start: { type: 'string', format: 'date-time' },
      tags: { type: 'array', items: { type: 'string' }, uniqueItems: true, minItems: 1 },
    },
  };

  it('are in Ajv shape, with params from the schema and the value, and word the same messages', () => {
    const errors = errorsOf(spec, { port: 0, mode: 'c', start: 'yesterday', tags: ['x', 'x'] });
    expect(errors.map((e) => [e.name, e.property, e.params])).toEqual([
      ['required', 'host', { missingProperty: 'host' }],
      ['minimum', '.port', { comparison: '>=', limit: 1 }],
      ['enum', '.mode', { allowedValues: ['a', 'b'] }],
      ['format', '.start', { format: 'date-time' }],
      ['uniqueItems', '.tags', { i: 1, j: 0 }],
    ]);
    expect(errors[0]!.message).toBe("must have required property 'Host'");
    const words = (list: RJSFValidationError[]) => list.map((e) => messageFor({ keyword: e.name!, params: e.params }, undefined));
    expect(words(errors)).toEqual(['is required', 'must be at least 1', 'must be one of: a, b', 'must be a date and time like 2024-01-31T00:00:00Z', 'must not contain the same value twice']);
    expect(words(errors)).toEqual(words(ajvForm.validateFormData({ port: 0, mode: 'c', start: 'yesterday', tags: ['x', 'x'] }, spec as RJSFSchema).errors));
  });

  it('treat a cleared field (undefined) as missing, as Ajv does', () => {
    expect(errorsOf(spec, { host: undefined, port: 5432, mode: 'a' }).map((e) => e.property)).toEqual(['host']);
  });

  it('tolerate unknown keywords, an https $schema and a property named __proto__', () => {
    const quirky = JSON.parse('{"$schema":"https://json-schema.org/draft-07/schema#","type":"object","required":["__proto__"],"properties":{"__proto__":{"type":"string","airbyte_secret":true,"order":0},"constructor":{"type":"integer"}}}');
    expect(errorsOf(quirky, JSON.parse('{"__proto__":"x","constructor":1}'))).toEqual([]);
    expect(errorsOf(quirky, JSON.parse('{"__proto__":5,"constructor":"no"}')).map((e) => `${e.name} ${e.property}`)).toEqual(['type .__proto__', 'type .constructor']);
    expect(errorsOf(quirky, {}).map((e) => e.params)).toEqual([{ missingProperty: '__proto__' }]);
  });
});

describe('FormValidator patterns', () => {
  const field = (node: object) => ({ type: 'object', properties: { v: { type: 'string', ...node } } });
  const patternErrors = (node: object, v: string) => errorsOf(field(node), { v }).map((e) => [e.name, e.schemaPath, e.params]);

  it('reports a failed pattern as Ajv does, including patterns invalid with the u flag', () => {
    // `\_` is an error in a `u` regex (cfworker's own pattern check would throw); browsers accept it without.
    expect(patternErrors({ pattern: '^[a-z\\_]+$' }, 'ok_name')).toEqual([]);
    expect(patternErrors({ pattern: '^[a-z\\_]+$' }, 'Not OK')).toEqual([['pattern', '#/properties/v/pattern', { pattern: '^[a-z\\_]+$' }]]);
  });

  it('leaves patterns that could backtrack badly, and very long values, to the proxy', () => {
    const started = performance.now();
    expect(patternErrors({ pattern: '^(a+)+$' }, `${'a'.repeat(40)}!`)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(500);
    expect(patternErrors({ pattern: '^[0-9]+$' }, 'x'.repeat(600))).toEqual([]);
    expect(patternErrors({ pattern: '^[0-9]+$' }, 'x')).toHaveLength(1);
  });

  it("follows the proxy's mark on a pattern over its own judge", () => {
    // Judged safe, but marked unsafe: left to the proxy.
    expect(patternErrors({ pattern: '^[A-Z]{3}q$', [PATTERN_SAFE]: false }, 'abc')).toEqual([]);
    // A lookahead (judged unsafe), marked safe: checked here.
    expect(patternErrors({ pattern: '^(?!x)[a-z]+$', [PATTERN_SAFE]: '^(?!x)[a-z]+$' }, 'X1')).toHaveLength(1);
    // A mark naming another pattern says nothing: the judge decides (a lookahead: left to the proxy).
    expect(patternErrors({ pattern: '^(?!y)[a-z]+$', [PATTERN_SAFE]: 'a' }, 'Y1')).toEqual([]);
  });

  it('leaves patternProperties to the proxy (cfworker would run each key unguarded)', () => {
    const schema = { type: 'object', patternProperties: { '^(a+)+$': { type: 'number' } } };
    expect(errorsOf(schema, { [`${'a'.repeat(40)}!`]: 'x', aaa: 'not a number' })).toEqual([]);
  });

  it('lets a pattern win over a format on the same node (patternOverFormat)', () => {
    const node = { format: 'date', pattern: '^[0-9]{2}-[0-9]{2}-[0-9]{4}$' };
    expect(patternErrors(node, '31-01-2024')).toEqual([]);
    expect(patternErrors(node, '2024-01-31').map(([name]) => name)).toEqual(['pattern']);
    expect(patternErrors({ format: 'date' }, '31-01-2024').map(([name]) => name)).toEqual(['format']);
    expect(patternErrors({ format: 'no-such-format' }, 'anything')).toEqual([]);
  });

  it('counts patterns when picking the oneOf option existing data is on (isValid)', () => {
    const byPattern = [
      { type: 'object', properties: { key: { type: 'string', pattern: '^sk_' } }, required: ['key'] },
      { type: 'object', properties: { key: { type: 'string', pattern: '^pk_' } }, required: ['key'] },
    ];
    const root = { type: 'object', oneOf: byPattern } as RJSFSchema;
    expect(byPattern.map((o) => formValidator.isValid(o as RJSFSchema, { key: 'pk_123' }, root))).toEqual([false, true]);
    expect(errorsOf(root, { key: 'pk_123' })).toEqual([]);
    expect(errorsOf(root, { key: 'xx' }).map((e) => e.name)).toEqual(expect.arrayContaining(['oneOf', 'pattern']));
  });

  it('reuses its copy of a schema object, and a fresh validator starts empty', () => {
    const schema = field({ pattern: '^a$' }) as RJSFSchema;
    const validator = new FormValidator();
    expect(validator.isValid(schema, { v: 'a' }, schema)).toBe(true);
    // The copy is kept per object: changing the object afterwards changes nothing until reset.
    (schema.properties!.v as { pattern: string }).pattern = '^b$';
    expect(validator.isValid(schema, { v: 'a' }, schema)).toBe(true);
    validator.reset();
    expect(validator.isValid(schema, { v: 'a' }, schema)).toBe(false);
  });
});
