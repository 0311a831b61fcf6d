/**
 * The proxy marks each pattern of a spec it serves with whether the browser may run it, so the
 * widget's form never loads a regex parser; the marks sit only on schemas, replace any a template
 * brought, and the browser follows them.
 */
import { describe, expect, it } from 'vitest';
import { safeToBacktrack } from '../../../src/shared/pattern/backtrackSafety.ts';
import { browserPattern, hasBacktrackCheck, hasUnmarkedPatterns, markPatternSafety, PATTERN_SAFE } from '../../../src/shared/pattern/browserPattern.ts';

const spec = {
  type: 'object',
  properties: {
    code: { type: 'string', pattern: '^[A-Z]{3}$' },
    evil: { type: 'string', pattern: '^(a+)+$', [PATTERN_SAFE]: true },
    pattern: { type: 'object', default: { pattern: 'not a schema' }, properties: { inner: { type: 'string' } } },
    choice: { oneOf: [{ properties: { host: { type: 'string', pattern: '^[a-z.]+$' } } }] },
    list: { type: 'array', items: { type: 'string', pattern: '^(?=x)x+$' } },
    ['__proto__']: { type: 'string', pattern: '^\\d+$' },
  },
} as const;

describe('markPatternSafety (the proxy)', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const marked = markPatternSafety(spec, safeToBacktrack) as any;

  it('marks every pattern at every depth with the judge’s verdict, replacing a forged mark', () => {
    expect(marked.properties.code![PATTERN_SAFE]).toBe(true);
    expect(marked.properties.evil![PATTERN_SAFE]).toBe(false);
    expect(marked.properties.choice.oneOf[0].properties.host[PATTERN_SAFE]).toBe(true);
    expect(marked.properties.list.items[PATTERN_SAFE]).toBe(false);
    expect(Object.getOwnPropertyDescriptor(marked.properties, '__proto__')?.value[PATTERN_SAFE]).toBe(true);
    expect(hasUnmarkedPatterns(marked)).toBe(false);
  });

  it('leaves values alone (a default holding a `pattern` key) and does not change the spec it was given', () => {
    expect(marked.properties.pattern.default).toEqual({ pattern: 'not a schema' });
    expect(Object.keys(spec.properties.code)).not.toContain(PATTERN_SAFE);
    expect(hasUnmarkedPatterns(spec)).toBe(true);
  });
});

describe('browserPattern (the browser, with no judge loaded)', () => {
  it('runs a pattern marked safe, leaves one marked unsafe and an unmarked one to the proxy', () => {
    expect(hasBacktrackCheck()).toBe(false);
    expect(browserPattern('^[0-9]{2}$', true).test('1x')).toBe(false);
    expect(browserPattern('^[0-9]{2}$', true).test('12')).toBe(true);
    expect(browserPattern('^[0-9]{3}$', false).test('1x')).toBe(true);
    expect(browserPattern('^[0-9]{4}$').test('1x')).toBe(true);
  });
});
