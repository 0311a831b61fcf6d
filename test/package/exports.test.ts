/**
 * Every value the published declarations export exists at runtime: a name the `.d.ts` of an entry
 * declares as a value (a function, class, const) must be exported by its `.js`, or a host's
 * `import { x }` type-checks and then fails in Node ("does not provide an export named x").
 * Needs `npm run build` first (`npm test` does it).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const ENTRIES = ['index', 'form', 'server', 'testing'];

/** The names an entry's declarations export as values (types and interfaces left out). */
function declaredValues(entry: string): string[] {
  const file = path.join(dist, `${entry}.d.ts`);
  const program = ts.createProgram([file], { skipLibCheck: true, noEmit: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, jsx: ts.JsxEmit.ReactJSX });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  return checker
    .getExportsOfModule(module)
    .filter((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      // `export type { X }` / `export { type X }` of a value is only a type: not expected at runtime.
      const typeOnly = symbol.declarations?.some((d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly));
      return !typeOnly && (target.flags & ts.SymbolFlags.Value) !== 0;
    })
    .map((s) => s.getName())
    .sort();
}

describe('declared exports exist at runtime', () => {
  it.each(ENTRIES)('%s: every value its .d.ts exports is exported by its .js', async (entry) => {
    expect(existsSync(path.join(dist, `${entry}.js`)), 'dist/ is missing: run `npm run build` first').toBe(true);
    const declared = declaredValues(entry);
    expect(declared.length).toBeGreaterThan(0);
    const runtime = (await import(pathToFileURL(path.join(dist, `${entry}.js`)).href)) as Record<string, unknown>;
    const missing = declared.filter((name) => !(name in runtime));
    expect(missing, `${entry}: declared in ${entry}.d.ts but not exported by ${entry}.js`).toEqual([]);
  }, 60_000);
});

describe('declarations point at nothing that is not shipped', () => {
  it('no .d.ts names a source map (none are in the package)', () => {
    const pointing = readdirSync(dist)
      .filter((f) => f.endsWith('.d.ts'))
      .filter((f) => {
        const map = /\/\/# sourceMappingURL=(\S+)/.exec(readFileSync(path.join(dist, f), 'utf8'))?.[1];
        return map !== undefined && !existsSync(path.join(dist, map));
      });
    expect(pointing).toEqual([]);
  });
});

describe('React Server Components hosts (Next.js App Router)', () => {
  it('the browser entries are client modules ("use client" first); the server and testing entries are not', () => {
    const first = (entry: string) => readFileSync(path.join(dist, `${entry}.js`), 'utf8').split('\n', 1)[0]!.trim();
    expect(first('index')).toMatch(/^["']use client["'];?$/);
    expect(first('form')).toMatch(/^["']use client["'];?$/);
    expect(first('server')).not.toMatch(/use client/);
    expect(first('testing')).not.toMatch(/use client/);
  });
});
