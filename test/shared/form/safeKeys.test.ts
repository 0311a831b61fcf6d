import { describe, expect, it } from 'vitest';
import { fromSafeData, fromSafeKey, toSafeData, toSafeKey } from '../../../src/shared/form/safeKeys.ts';

describe('safe keys (any property name survives the form)', () => {
  it('escapes the names an object answers to, and keys that look escaped, one to one', () => {
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'prototype', 'aek_x', 'aek_constructor', 'host', '']) {
      expect(fromSafeKey(toSafeKey(key))).toBe(key);
    }
    expect(toSafeKey('host')).toBe('host');
    expect(toSafeKey('constructor')).not.toBe('constructor');
    expect(new Set(['constructor', 'aek_constructor'].map(toSafeKey)).size).toBe(2);
  });

  it('maps a whole config both ways, __proto__ staying an own key and the prototype untouched', () => {
    const config = JSON.parse('{"__proto__":{"constructor":"c"},"list":[{"valueOf":1}],"plain":"p"}');
    const safe = toSafeData(config) as Record<string, unknown>;
    expect(Object.keys(safe).every((k) => !['__proto__', 'constructor', 'valueOf'].includes(k))).toBe(true);
    const back = fromSafeData(safe) as Record<string, unknown>;
    expect(JSON.stringify(back)).toBe(JSON.stringify(config));
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(toSafeData({ a: 1 })).toEqual({ a: 1 });
  });
});
