/**
 * A spec's `pattern` as a RegExp: with the `u` flag where it compiles so, else without (real
 * specs escape `-` outside classes, which `u` refuses), else undefined (not a pattern at all).
 * The result is cached per pattern. Trap: this is JavaScript's backtracking engine; only use it
 * on short values the user is shown (defaults), never as the authority on what is valid.
 */
export function specRegex(pattern: string): RegExp | undefined {
  if (cache.has(pattern)) return cache.get(pattern);
  let re: RegExp | undefined;
  for (const flags of ['u', '']) {
    try {
      re = new RegExp(pattern, flags);
      break;
    } catch {
      // next: without the u flag, then give up
    }
  }
  if (cache.size > 500) cache.clear();
  cache.set(pattern, re);
  return re;
}

const cache = new Map<string, RegExp | undefined>();
