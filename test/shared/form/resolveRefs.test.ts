import { describe, expect, it } from 'vitest';
import { resolveRefs, UNRESOLVED_REF } from '../../../src/shared/form/resolveRefs.ts';

describe('resolveRefs (pydantic and newer CDK spec shapes → plain Airbyte shapes)', () => {
  it('inlines local $refs, keeping the referring node\'s own title, description and Airbyte extensions', () => {
    const out = resolveRefs({
      type: 'object',
      $defs: { Token: { type: 'string', title: 'Token', description: 'inner' } },
      properties: { api: { $ref: '#/$defs/Token', description: 'outer', airbyte_secret: true }, deep: { $ref: '#/properties/api' } },
    });
    expect(out.properties).toEqual({
      api: { type: 'string', title: 'Token', description: 'outer', airbyte_secret: true },
      deep: { type: 'string', title: 'Token', description: 'outer', airbyte_secret: true },
    });
    expect(out).not.toHaveProperty('$defs');
  });

  it('merges allOf, turns nullable unions into their branch and tagged unions of objects into a oneOf', () => {
    const out = resolveRefs({
      type: 'object',
      definitions: { Mode: { type: 'string', enum: ['a', 'b'] }, A: { type: 'object', properties: { t: { const: 'a' } } }, B: { type: 'object', properties: { t: { const: 'b' } } } },
      properties: {
        mode: { allOf: [{ $ref: '#/definitions/Mode' }], default: 'b', title: 'Mode' },
        note: { anyOf: [{ type: 'string' }, { type: 'null' }], title: 'Note', default: null },
        auth: { title: 'Auth', anyOf: [{ $ref: '#/definitions/A' }, { $ref: '#/definitions/B' }] },
        both: { allOf: [{ type: 'object', properties: { x: { type: 'string' } }, required: ['x'] }, { properties: { y: { type: 'integer' } }, required: ['y'] }] },
      },
    });
    const props = out.properties as Record<string, Record<string, unknown>>;
    expect(props.mode).toEqual({ type: 'string', enum: ['a', 'b'], default: 'b', title: 'Mode' });
    expect(props.note).toEqual({ type: ['string', 'null'], title: 'Note', default: null });
    expect(props.auth).toMatchObject({ type: 'object', title: 'Auth', oneOf: [{ properties: { t: { const: 'a' } } }, { properties: { t: { const: 'b' } } }] });
    expect(props.both).toMatchObject({ properties: { x: { type: 'string' }, y: { type: 'integer' } } });
    expect(new Set(props.both!.required as string[])).toEqual(new Set(['x', 'y']));
  });

  it('never follows remote or cyclic refs, and never walks values', () => {
    const out = resolveRefs({
      type: 'object',
      definitions: { Node: { type: 'object', properties: { child: { $ref: '#/definitions/Node' } } } },
      properties: {
        remote: { $ref: 'https://example.com/schema.json' },
        tree: { $ref: '#/definitions/Node' },
        value: { type: 'object', default: { $ref: '#/definitions/Node' }, examples: [{ $ref: 'x' }] },
      },
    });
    const props = out.properties as Record<string, Record<string, unknown>>;
    expect(props.remote).toEqual({ [UNRESOLVED_REF]: 'https://example.com/schema.json' });
    expect((props.tree!.properties as Record<string, unknown>).child).toEqual({ [UNRESOLVED_REF]: '#/definitions/Node' });
    expect(props.value!.default).toEqual({ $ref: '#/definitions/Node' });
  });

  it('keeps a property named __proto__ as a property', () => {
    const out = resolveRefs(JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"}}}'));
    expect(Object.keys(out.properties as object)).toEqual(['__proto__']);
  });
});
