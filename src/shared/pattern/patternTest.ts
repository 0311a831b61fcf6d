/**
 * What Ajv needs of a pattern: a test, and a `toString` that differs per pattern (Ajv caches
 * compiled patterns by it: one shared string would make every pattern the first one).
 */
export interface PatternTest {
  test(value: string): boolean;
  source: string;
  toString(): string;
}

/** A PatternTest for `pattern` running `test`. */
export function patternTest(pattern: string, test: (value: string) => boolean): PatternTest {
  return { source: pattern, test, toString: () => `/${pattern}/` };
}
