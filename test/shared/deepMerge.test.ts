import { describe, expect, it } from 'vitest';
import { deepMerge } from '../../src/shared/deepMerge.ts';
import { EmbedError } from '../../src/shared/errors.ts';

describe('deepMerge (Airbyte template merge)', () => {
  it('lets user values override template defaults and merges nested objects', () => {
    const merged = deepMerge(
      { count: 1000, credentials: { auth_type: 'token', region: 'eu' }, keep: true },
      { count: 5000, credentials: { token: 'abc' } },
    );
    expect(merged).toEqual({ count: 5000, credentials: { auth_type: 'token', region: 'eu', token: 'abc' }, keep: true });
  });

  it('replaces arrays instead of concatenating them', () => {
    expect(deepMerge({ repos: ['a', 'b'] }, { repos: ['c'] })).toEqual({ repos: ['c'] });
  });

  it('does not modify its inputs', () => {
    const base = { nested: { a: 1 } };
    deepMerge(base, { nested: { b: 2 } });
    expect(base).toEqual({ nested: { a: 1 } });
  });

  it('refuses an object meeting a non-object, naming the field', () => {
    expect(() => deepMerge({ credentials: { auth_type: 'token' } }, { credentials: 'oops' })).toThrowError(EmbedError);
    try {
      deepMerge({ a: { b: { c: 1 } } }, { a: { b: 'x' } });
    } catch (e) {
      expect((e as EmbedError).fieldErrors).toEqual([{ path: ['a', 'b'], message: 'must be an object' }]);
    }
  });
});
