/**
 * The judge of which patterns the browser may run in JavaScript's engine: it must refuse every
 * shape that backtracks badly, bounded repetitions included, and keep the real specs' simple ones.
 */
import { describe, expect, it } from 'vitest';
import { safeToBacktrack } from '../../../src/shared/pattern/backtrackSafety.ts';

describe('safeToBacktrack', () => {
  it.each([
    ['^(\\d*){16}$'],
    ['^((a?){16}){16}$'],
    ['((a|a){16}){16}'],
    [`^${'a?'.repeat(20)}${'a'.repeat(20)}$`],
    ['^(a+)+$'],
    ['^(\\w+\\s?)*$'],
    ['^[a-z]*[a-z]*[a-z]*$'],
  ])('refuses %s', (pattern) => {
    expect(safeToBacktrack(pattern)).toBe(false);
  });

  it.each([
    ['^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z?$'],
    ['^[0-9]{10}(,[0-9]{10})*$'],
    ['^[0-9]{1,5}$'],
    ['^\\d{4}(-\\d{2})?$'],
  ])('accepts %s', (pattern) => {
    expect(safeToBacktrack(pattern)).toBe(true);
  });
});
