/**
 * The proxy marks each pattern of a spec it serves with whether the browser may run it, so the
 * widget's form never loads a regex parser; the marks sit only on schemas beside the pattern they
 * name, replace any a template brought (wherever it put them), and the browser follows them.
 */
import { describe, expect, it } from 'vitest';
import { toFormSchema } from '../../../src/shared/form/formSchema.ts';
import { safeToBacktrack } from '../../../src/shared/pattern/backtrackSafety.ts';
import { browserPattern, hasUnmarkedPatterns, markPatternSafety, PATTERN_SAFE } from '../../../src/shared/pattern/browserPattern.ts';

const spec = {
  type: 'object',
  properties: {
    code: { type: 'string', pattern: '^[A-Z]{3}$' },
    evil: { type: 'string', pattern: '^(a+)+$', [PATTERN_SAFE]: '^(a+)+$' },
    pattern: { type: 'object', default: { pattern: 'not a schema' }, properties: { inner: { type: 'string' } } },
    choice: { oneOf: [{ properties: { host: { type: 'string', pattern: '^[a-z.]+$' } } }] },
    list: { type: 'array', items: { type: 'string', pattern: '^(?=x)x+$' } },
    ['__proto__']: { type: 'string', pattern: '^\\d+$' },
  },
} as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

describe('markPatternSafety (the proxy)', () => {
  const marked = markPatternSafety(spec, safeToBacktrack) as Loose;

  it('marks every pattern at every depth with the judge’s verdict, replacing a forged mark', () => {
    expect(marked.properties.code[PATTERN_SAFE]).toBe('^[A-Z]{3}$');
    expect(marked.properties.evil[PATTERN_SAFE]).toBe(false);
    expect(marked.properties.choice.oneOf[0].properties.host[PATTERN_SAFE]).toBe('^[a-z.]+$');
    expect(marked.properties.list.items[PATTERN_SAFE]).toBe(false);
    expect(Object.getOwnPropertyDescriptor(marked.properties, '__proto__')?.value[PATTERN_SAFE]).toBe('^\\d+$');
    expect(hasUnmarkedPatterns(marked)).toBe(false);
  });

  it('leaves values alone (a default holding a `pattern` key) and does not change the spec it was given', () => {
    expect(marked.properties.pattern.default).toEqual({ pattern: 'not a schema' });
    expect(Object.keys(spec.properties.code)).not.toContain(PATTERN_SAFE);
    expect(hasUnmarkedPatterns(spec)).toBe(true);
  });

  it('removes a forged mark outside any schema, where a $ref could bring it in', () => {
    const hostile = { 'x-evil': { type: 'string', pattern: '^(a+)+$', [PATTERN_SAFE]: '^(a+)+$' }, type: 'object', properties: { f: { $ref: '#/x-evil' } } };
    const { schema } = toFormSchema(markPatternSafety(hostile, safeToBacktrack));
    const f = (schema as Loose).properties.f;
    expect(f.pattern).toBe('^(a+)+$');
    expect(f[PATTERN_SAFE]).toBeUndefined();
    expect(browserPattern(f.pattern, f[PATTERN_SAFE]).test(`${'a'.repeat(40)}!`)).toBe(true); // not run: no judge here
  });

  it('never lets a pattern merged from others (allOf) run on the mark of one of them', () => {
    const merged = { type: 'object', properties: { v: { type: 'string', allOf: [{ pattern: 'a' }, { pattern: '^(a+)+$' }] } } };
    const v = (toFormSchema(markPatternSafety(merged, safeToBacktrack)).schema as Loose).properties.v;
    expect(v.pattern).not.toBe('a');
    // Run here, this would backtrack for minutes; it is left to the proxy.
    expect(browserPattern(v.pattern, v[PATTERN_SAFE]).test(`${'a'.repeat(30)}!`)).toBe(true);
  });
});

describe('browserPattern (the browser, with no judge loaded)', () => {
  it('runs a pattern marked safe, leaves one marked unsafe and an unmarked one to the proxy', () => {
    expect(browserPattern('^[0-9]{2}$', '^[0-9]{2}$').test('1x')).toBe(false);
    expect(browserPattern('^[0-9]{2}$', '^[0-9]{2}$').test('12')).toBe(true);
    expect(browserPattern('^[0-9]{3}$', false).test('1x')).toBe(true);
    expect(browserPattern('^[0-9]{4}$').test('1x')).toBe(true);
    // A mark naming another pattern, or `true`, says nothing.
    expect(browserPattern('^[0-9]{5}$', '^x$').test('1x')).toBe(true);
    expect(browserPattern('^[0-9]{5}$', true).test('1x')).toBe(true);
  });

  it("decides on each call: one spec's mark does not carry over to the same pattern elsewhere", () => {
    expect(browserPattern('^[a-c]{2}$', '^[a-c]{2}$').test('zz')).toBe(false);
    expect(browserPattern('^[a-c]{2}$', false).test('zz')).toBe(true);
    expect(browserPattern('^[a-c]{2}$').test('zz')).toBe(true);
  });
});

describe('patternProperties from a template', () => {
  it('never reach the form (RJSF would run each key against every property name), however deep or merged', () => {
    const hostile = {
      type: 'object',
      properties: { ['a'.repeat(40) + '!']: { type: 'string' }, nested: { allOf: [{ additionalProperties: false, patternProperties: { '^(a+)+$': { type: 'string' } } }, { properties: { x: { type: 'string' }, ['a'.repeat(40) + '!']: { type: 'string' } } }] } },
      patternProperties: { '^(a+)+$': { type: 'string' } },
    };
    const { schema } = toFormSchema(markPatternSafety(hostile, safeToBacktrack));
    expect(JSON.stringify(schema)).not.toContain('patternProperties');
    expect((schema as Loose).properties.nested).toMatchObject({ additionalProperties: false });
  });
});
