/**
 * Every ```ts / ```tsx block of the README compiles as pasted: each is typechecked as its own
 * module against the source (the package's entry points mapped as vite.config.ts aliases them),
 * with the repo's strict compiler options. A block that is deliberately partial opts out with a
 * `// @readme-skip: <reason>` line. The config files the README says to paste (Jest, Vitest, the
 * Next.js route) are the host fixtures' own, byte for byte.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

interface Block { line: number; lang: 'ts' | 'tsx'; code: string }

/** The README's TypeScript blocks, each with the README line of its first code line. */
function tsBlocks(): Block[] {
  const blocks: Block[] = [];
  const fence = /^```(ts|tsx)\n([\s\S]*?)^```$/gm;
  for (const m of readme.matchAll(fence)) {
    blocks.push({ line: readme.slice(0, m.index).split('\n').length + 1, lang: m[1] as 'ts' | 'tsx', code: m[2]! });
  }
  return blocks;
}

/** The repo's compiler options (tsconfig.json), with nothing emitted. */
function compilerOptions(): ts.CompilerOptions {
  const file = ts.readConfigFile(path.join(root, 'tsconfig.json'), (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(file.config, ts.sys, root);
  return { ...parsed.options, noEmit: true, skipLibCheck: true };
}

/** Type errors per block, as "README.md:<line>: <message>". */
function typecheck(blocks: Block[], extra: ts.CompilerOptions = {}): string[] {
  const dir = path.join(root, '.readme-blocks');
  const files = new Map(blocks.map((b) => [path.join(dir, `line-${b.line}.${b.lang}`), { block: b, text: `${b.code}\nexport {};\n` }]));
  const options = { ...compilerOptions(), ...extra };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => files.get(f)?.text ?? readFile(f);
  host.fileExists = (f) => files.has(f) || fileExists(f);
  host.getSourceFile = (f, lang, ...rest) => {
    const virtual = files.get(f);
    return virtual ? ts.createSourceFile(f, virtual.text, lang, true) : getSourceFile(f, lang, ...rest);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  const errors: string[] = [];
  for (const [fileName, { block }] of files) {
    const source = program.getSourceFile(fileName)!;
    for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
      const at = d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line;
      errors.push(`README.md:${block.line + at}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
  }
  return errors;
}

/** The README's fenced blocks' bodies, any language. */
function allBlockBodies(): string[] {
  return [...readme.matchAll(/^```[a-z]*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

describe("the README's code blocks", () => {
  it('compile as pasted, each as its own module against the source', () => {
    const blocks = tsBlocks();
    expect(blocks.length).toBeGreaterThan(5);
    const skipped = blocks.filter((b) => /^\s*\/\/ @readme-skip: \S/m.test(b.code));
    expect(skipped.length, 'opt-outs stay rare').toBeLessThanOrEqual(2);
    expect(typecheck(blocks.filter((b) => !skipped.includes(b)))).toEqual([]);
  }, 120_000);

  it('compile in a host stricter than `strict`: exactOptionalPropertyTypes (an option set from an unset env var is undefined)', () => {
    const blocks = tsBlocks().filter((b) => !/^\s*\/\/ @readme-skip: \S/m.test(b.code));
    expect(typecheck(blocks, { exactOptionalPropertyTypes: true })).toEqual([]);
  }, 120_000);

  it('finds a type error in a block, with its README line', () => {
    const errors = typecheck([{ line: 100, lang: 'ts', code: "import { createSessionToken } from 'airbyte-embed-kit/server';\n\nconst n: number = createSessionToken;\n" }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^README\.md:102: Type .* is not assignable to type 'number'/);
  }, 60_000);

  it.each([
    'examples/nextjs/app/api/embed/[...path]/route.ts',
    'test/hosts/nextjs16/app/api/embed/[...path]/route.ts',
    'test/hosts/jest30/jest.config.js',
    'test/hosts/jest30/jest.environment.js',
    'test/hosts/jest30/babel.config.json',
    'test/hosts/vitest-host/vitest.config.ts',
    'test/hosts/vite-react19/vite.config.ts',
  ])('show %s exactly as the host fixture uses it', (file) => {
    const text = readFileSync(path.join(root, file), 'utf8');
    // The README shows a file without its leading (multi-line) doc comment.
    const body = text.replace(/^\/\*\*\n[\s\S]*?\*\/\n/, '');
    expect(allBlockBodies()).toContain(body);
  });

  it('give the Content-Security-Policy that the strict-CSP host app is served with and the e2e test uses', () => {
    const inReadme = /^Content-Security-Policy: (.+)$/m.exec(readme)?.[1];
    expect(inReadme).toMatch(/script-src 'self'/);
    for (const file of ['test/hosts/csp-strict/test.ts', 'test/e2e/csp.test.ts']) {
      const policy = /const CSP =\s*"([^"]+)"/.exec(readFileSync(path.join(root, file), 'utf8'))?.[1];
      expect(policy, file).toBe(inReadme);
    }
  });
});
