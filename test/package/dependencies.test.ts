/**
 * What a host installs is what the built package needs, and no more: the browser entries import
 * only `dependencies` and required peers; the server's and the emulator's heavy packages are
 * optional peers: the ones a single feature needs are loaded with import() by that feature, which
 * says what to install when it is missing; the ones the server and testing entries need as they
 * load are on the README's install lines; the declarations name only packages a host has. Run on
 * the packed tarball, unpacked into a host's node_modules next to exactly its dependencies, its
 * required peers and the entries' peers (linked from this repo's install) and no feature's peer.
 * Needs `npm run build` first.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareImports, specifiers } from './builtImports.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'dist');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};
const optionalPeers = Object.keys(pkg.peerDependencies).filter((n) => pkg.peerDependenciesMeta?.[n]?.optional);
const requiredPeers = Object.keys(pkg.peerDependencies).filter((n) => !optionalPeers.includes(n));
/** What `npm install airbyte-embed-kit` puts next to it: its dependencies and required peers. */
const installed = [...Object.keys(pkg.dependencies), ...requiredPeers];
/** Optional peers one feature needs, loaded with import() when it is first used (and named when missing). */
const featurePeers = ['@electric-sql/pglite', 'pg', '@hono/node-server', 'openapi-backend'];
/** Optional peers the server or testing entry imports as it loads: a backend installs them with the kit (README). */
const entryPeers = optionalPeers.filter((n) => !featurePeers.includes(n));
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
const packageOf = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
const isBuiltin = (spec: string) => spec.startsWith('node:') || builtinModules.includes(spec);

let host: string;

beforeAll(() => {
  if (!existsSync(path.join(dist, 'index.js'))) throw new Error('dist/ is missing: run `npm run build` before these tests (`npm test` does).');
  host = mkdtempSync(path.join(tmpdir(), 'aek-host-'));
  const tarball = path.join(host, execFileSync('npm', ['pack', '--silent', '--pack-destination', host], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!);
  const kit = path.join(host, 'node_modules/airbyte-embed-kit');
  mkdirSync(kit, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', kit, '--strip-components=1']);
  // The host's own types: React's, and Node's for a backend. Nothing else (no @types/pg). A
  // backend installs the packages the server and testing entries import as they load (README);
  // no feature peer is there.
  for (const name of [...installed, ...entryPeers, '@types/react', '@types/react-dom', '@types/node']) {
    const link = path.join(host, 'node_modules', name);
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(path.join(root, 'node_modules', name), link, 'dir');
  }
  writeFileSync(path.join(host, 'package.json'), JSON.stringify({ name: 'host', private: true, type: 'module' }));
}, 60_000);
afterAll(() => rmSync(host, { recursive: true, force: true }));

describe('lean installs', () => {
  it('declares every server and emulator package as an optional peer, not a dependency', () => {
    for (const name of [...featurePeers, 'ajv', 'jose', 'rate-limiter-flexible', 're2js', 'standardwebhooks', 'cronstrue', 'croner', 'pure-rand']) {
      expect(optionalPeers, name).toContain(name);
      expect(Object.keys(pkg.dependencies), name).not.toContain(name);
    }
    // No exact pins a host cannot dedupe against.
    expect(Object.entries(pkg.dependencies).filter(([, range]) => /^\d/.test(range))).toEqual([]);
    expect(pkg.peerDependencies).toMatchObject({ react: '^18.2.0 || ^19.0.0', 'react-dom': '^18.2.0 || ^19.0.0', '@tanstack/react-query': expect.stringMatching(/^\^5\./) });
  });

  it('the browser entries import only dependencies and required peers (lazy parts included)', () => {
    for (const entry of ['index.js', 'form.js']) {
      const outside = [...bareImports(path.join(dist, entry), false)].map(packageOf).filter((name) => !installed.includes(name));
      expect(outside, entry).toEqual([]);
    }
  });

  it("the root entry's form loads no regex parser (the proxy marks patterns); the eager /form entry has it at once", () => {
    // The root entry's code, and each chunk it loads on demand (the configure view, the form) with
    // what those import statically: the pattern judge stays behind its own import().
    const judge = (file: string) => specifiers(file).static.includes('ret');
    const lazy = (file: string) => specifiers(file).dynamic.filter((s) => s.startsWith('.')).map((s) => path.resolve(path.dirname(file), s));
    const staticClosure = (file: string, seen = new Set<string>()): string[] => {
      if (seen.has(file)) return [];
      seen.add(file);
      return [file, ...specifiers(file).static.filter((s) => s.startsWith('.')).flatMap((s) => staticClosure(path.resolve(path.dirname(file), s), seen))];
    };
    const rootStatic = staticClosure(path.join(dist, 'index.js'));
    const widgetForm = [...rootStatic, ...rootStatic.flatMap(lazy).flatMap((f) => staticClosure(f))];
    expect(widgetForm.some((f) => /SourceForm/.test(f)), 'the widget loads the form chunk').toBe(true);
    expect([...new Set(widgetForm)].filter(judge).map((f) => path.basename(f))).toEqual([]);
    expect([...bareImports(path.join(dist, 'index.js'), false)]).toContain('ret');
    expect([...bareImports(path.join(dist, 'form.js'), true)]).toContain('ret');
  });

  it("the server and testing entries load each feature's optional peer only through import()", () => {
    for (const entry of ['server.js', 'testing.js', 'emulator-cli.js']) {
      const all = [...bareImports(path.join(dist, entry), false)].filter((s) => !isBuiltin(s)).map(packageOf);
      expect(all.filter((name) => !installed.includes(name) && !optionalPeers.includes(name)), `${entry}: undeclared`).toEqual([]);
      const eager = [...bareImports(path.join(dist, entry), true)].filter((s) => !isBuiltin(s)).map(packageOf);
      expect(eager.filter((name) => featurePeers.includes(name)), `${entry}: feature peers imported eagerly`).toEqual([]);
    }
  });

  it("the README's install lines name every package the server and testing entries import as they load", () => {
    const line = (start: string) => readme.split('\n').find((l) => l.startsWith(start)) ?? '';
    const lines = { 'server.js': line('npm install airbyte-embed-kit @electric-sql/pglite'), 'testing.js': line('npm install --save-dev') };
    for (const [entry, text] of Object.entries(lines)) {
      const eager = [...new Set([...bareImports(path.join(dist, entry), true)].filter((s) => !isBuiltin(s)).map(packageOf))].filter((name) => entryPeers.includes(name));
      expect(eager.length, entry).toBeGreaterThan(0);
      expect(eager.filter((name) => !text.split(/\s+/).includes(name)), `${entry}: missing from "${text}"`).toEqual([]);
    }
    // Every entry peer is on one of the two lines (as a whole word: ajv is not ajv-formats).
    const named = new Set([...lines['server.js'].split(/\s+/), ...lines['testing.js'].split(/\s+/)]);
    expect(entryPeers.filter((name) => !named.has(name))).toEqual([]);
  });
});

describe("a backend host without the features' optional peers", () => {
  /** Runs an ES module in the host directory (it resolves the kit as a host does). */
  function runInHost(code: string) {
    const file = path.join(host, `run-${Math.random().toString(36).slice(2)}.mjs`);
    writeFileSync(file, code);
    const run = spawnSync(process.execPath, [file], { cwd: host, encoding: 'utf8', timeout: 60_000 });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  it('imports the server and testing entries, and each feature names the package to install', () => {
    const run = runInHost(`
      import { createServer } from 'node:http';
      import { createEmbeddedStore, createPostgresStore, toNodeListener } from 'airbyte-embed-kit/server';
      import { startAirbyteEmulator } from 'airbyte-embed-kit/testing';
      const out = {};
      const message = (p) => p.then(() => 'resolved', (e) => e.message);
      out.embedded = await message(createEmbeddedStore().init());
      out.postgres = await message(createPostgresStore({ connectionString: 'postgres://127.0.0.1:9/none' }).init());
      out.emulator = await message(startAirbyteEmulator());
      const server = createServer(toNodeListener(async () => new Response('never')));
      await new Promise((r) => server.listen(0, '127.0.0.1', r));
      const res = await fetch('http://127.0.0.1:' + server.address().port + '/templates');
      out.node = { status: res.status, body: await res.text() };
      server.close();
      console.log(JSON.stringify(out));
    `);
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout.trim().split('\n').pop()!) as Record<string, string> & { node: { status: number; body: string } };
    expect(out.embedded).toBe(
      'airbyte-embed-kit/server needs @electric-sql/pglite for its default store (createEmbeddedStore, or createEmbedProxy without `store`): npm install @electric-sql/pglite (or pass a PostgreSQL store: createPostgresStore({ connectionString }))',
    );
    expect(out.postgres).toMatch(/^airbyte-embed-kit\/server needs pg for createPostgresStore.*: npm install pg/);
    expect(out.emulator).toMatch(/^airbyte-embed-kit\/testing needs openapi-backend .*: npm install openapi-backend/);
    expect(out.node.status).toBe(500);
    expect(out.node.body).toContain('npm install @hono/node-server');
    // …and said once, at start-up, in the host's logs.
    expect(run.stderr).toContain('airbyte-embed-kit/server needs @hono/node-server');
  }, 90_000);

  // The package is ES modules only; a CommonJS backend (NestJS's default, ts-node) loads it with
  // Node's require(esm), unflagged since Node 20.19 and 22.12 (the server graph has no top-level
  // await), and TypeScript (≥ 5.8, module nodenext) type-checks that require.
  it('a CommonJS backend require()s the server and testing entries, and TypeScript accepts it from a .cts file', () => {
    const file = path.join(host, 'backend.cjs');
    writeFileSync(
      file,
      `const { createSessionToken, createEmbedProxy, toNodeListener } = require('airbyte-embed-kit/server');
       const { startAirbyteEmulator } = require('airbyte-embed-kit/testing');
       createSessionToken({ secret: 'a-test-secret-of-at-least-32-characters', customerId: 'c1', allowedOrigin: 'https://app.example.com' })
         .then((token) => console.log(JSON.stringify({ token: token.split('.').length, kinds: [typeof createEmbedProxy, typeof toNodeListener, typeof startAirbyteEmulator] })));
      `,
    );
    const run = spawnSync(process.execPath, [file], { cwd: host, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toEqual({ token: 3, kinds: ['function', 'function', 'function'] });
    expect(run.stderr).not.toMatch(/ExperimentalWarning|ERR_REQUIRE_ESM/);

    const cts = path.join(host, 'backend.cts');
    writeFileSync(cts, `import { createEmbedProxy, type EmbedProxyOptions } from 'airbyte-embed-kit/server';\nexport const make = (o: EmbedProxyOptions) => createEmbedProxy(o);\n`);
    const program = ts.createProgram([cts], { strict: true, skipLibCheck: false, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, types: ['node'], typeRoots: [path.join(host, 'node_modules/@types')] });
    expect(ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.relative(host, d.file.fileName) : ''}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)).toEqual([]);
  }, 90_000);
});

describe('declarations', () => {
  it('name only packages a host has: dependencies, required peers, Node built-ins', () => {
    const named = new Map<string, string[]>();
    for (const file of readdirSync(dist).filter((f) => f.endsWith('.d.ts'))) {
      const text = readFileSync(path.join(dist, file), 'utf8');
      const references = [...text.matchAll(/^\/\/\/\s*<reference types=['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
      for (const spec of [...specifiers(path.join(dist, file)).static, ...references]) {
        if (spec.startsWith('.') || isBuiltin(spec)) continue;
        named.set(packageOf(spec), [...(named.get(packageOf(spec)) ?? []), file]);
      }
    }
    expect(named.size).toBeGreaterThan(0);
    expect([...named].filter(([name]) => !installed.includes(name)).map(([name, files]) => `${name} (in ${[...new Set(files)].join(', ')})`)).toEqual([]);
  });

  const writeHostFile = () => {
    const file = path.join(host, 'host.ts');
    writeFileSync(
      file,
      `import 'airbyte-embed-kit/styles.css';
       import { AirbyteEmbedProvider, ConnectWidget, type EmbedEvent } from 'airbyte-embed-kit';
       import { SourceForm } from 'airbyte-embed-kit/form';
       import { createEmbedProxy, createPostgresStore, toNodeListener, type PgPool } from 'airbyte-embed-kit/server';
       import { startAirbyteEmulator } from 'airbyte-embed-kit/testing';
       export const used = [AirbyteEmbedProvider, ConnectWidget, SourceForm, createEmbedProxy, createPostgresStore, toNodeListener, startAirbyteEmulator];
       export const onEvent = (e: EmbedEvent): string | undefined => (e.type === 'source_created' ? e.sourceId : undefined);
       export const pool: PgPool | undefined = undefined;
      `,
    );
    return file;
  };
  /** The host file's diagnostics under one compiler (this repo's TypeScript 6, or an older one). */
  const hostDiagnostics = (compiler: typeof ts, moduleResolution: ts.ModuleResolutionKind, module: ts.ModuleKind, extra: ts.CompilerOptions = {}) => {
    const file = writeHostFile();
    const program = compiler.createProgram([file], {
      strict: true,
      skipLibCheck: false,
      // TypeScript 6's default: the stylesheet import must resolve to a declaration too.
      noUncheckedSideEffectImports: true,
      ...extra,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      module,
      moduleResolution,
      jsx: ts.JsxEmit.ReactJSX,
      types: ['react', 'react-dom', 'node'],
      typeRoots: [path.join(host, 'node_modules/@types')],
    });
    return compiler.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.relative(host, d.file.fileName) : ''}: TS${d.code} ${compiler.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  };

  it('type-check in a strict host with skipLibCheck: false and only @types/react, @types/react-dom, @types/node', () => {
    const diagnostics = (moduleResolution: ts.ModuleResolutionKind, module: ts.ModuleKind, extra: ts.CompilerOptions = {}) => hostDiagnostics(ts, moduleResolution, module, extra);
    expect(diagnostics(ts.ModuleResolutionKind.NodeNext, ts.ModuleKind.NodeNext)).toEqual([]);
    expect(diagnostics(ts.ModuleResolutionKind.Bundler, ts.ModuleKind.ESNext)).toEqual([]);
    // The old "node" resolution of many bundler-built apps, which reads no `exports`: the subpaths'
    // types come from `typesVersions`.
    expect(diagnostics(ts.ModuleResolutionKind.Node10, ts.ModuleKind.ESNext, { esModuleInterop: true, ignoreDeprecations: '6.0' })).toEqual([]);
  }, 120_000);

  // The README's floor: TypeScript 5.4, the oldest whose lib React Query's declarations accept
  // (they use NoInfer); the kit's own declarations check on 5.0 too.
  it('type-check the same host with TypeScript 5.4 (the README\'s oldest), skipLibCheck: false', () => {
    // Installed under test/ts54 (a file: devDependency), so the root's `tsc` stays TypeScript 6.
    const ts54 = createRequire(path.join(root, 'test/ts54/package.json'))('typescript') as typeof ts;
    expect(ts54.version).toBe('5.4.5');
    expect(hostDiagnostics(ts54, ts.ModuleResolutionKind.NodeNext, ts.ModuleKind.NodeNext)).toEqual([]);
    expect(hostDiagnostics(ts54, ts.ModuleResolutionKind.Bundler, ts.ModuleKind.ESNext)).toEqual([]);
  }, 120_000);

  it('type-check with exactOptionalPropertyTypes, passing values that may be undefined (an unset env var, an optional prop handed on)', () => {
    const file = path.join(host, 'exact.tsx');
    writeFileSync(
      file,
      `import { AirbyteEmbedProvider, ConnectWidget, SourceManager, type ExitDetails } from 'airbyte-embed-kit';
       import { SourceForm } from 'airbyte-embed-kit/form';
       import { createEmbedProxy, createPostgresStore, createSessionToken } from 'airbyte-embed-kit/server';
       declare const maybe: { locale?: string; onExit?: (d: ExitDetails) => void; dir?: 'ltr' | 'rtl'; theme?: 'light' | 'dark' | 'system' };
       export const page = (
         <AirbyteEmbedProvider baseUrl="/api/embed" getSessionToken={() => 't'} locale={maybe.locale} theme={maybe.theme}>
           <ConnectWidget onExit={maybe.onExit} dir={maybe.dir} />
           <SourceManager locale={maybe.locale} />
           <SourceForm spec={{ type: 'object' }} onSubmit={() => undefined} locale={maybe.locale} />
         </AirbyteEmbedProvider>
       );
       export const proxy = createEmbedProxy({
         airbyte: { baseUrl: 'https://api.airbyte.com/v1', clientId: 'id', clientSecret: 'secret' },
         sessionSecret: 'x'.repeat(32),
         operatorKey: process.env.EMBED_OPERATOR_KEY,
         store: process.env.DATABASE_URL ? createPostgresStore({ connectionString: process.env.DATABASE_URL }) : undefined,
         dataDir: process.env.EMBED_DATA_DIR,
       });
       export const token = createSessionToken({ secret: 'x'.repeat(32), customerId: 'c', allowedOrigin: 'https://app.example.com', expiresIn: undefined });
      `,
    );
    const program = ts.createProgram([file], {
      strict: true,
      exactOptionalPropertyTypes: true,
      skipLibCheck: false,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      jsx: ts.JsxEmit.ReactJSX,
      types: ['react', 'react-dom', 'node'],
      typeRoots: [path.join(host, 'node_modules/@types')],
    });
    expect(ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.relative(host, d.file.fileName) : ''}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)).toEqual([]);
  }, 120_000);

  it('type-check a fetch-only backend (a worker: no @types/node at all) that imports the server entry', () => {
    const file = path.join(host, 'worker.ts');
    writeFileSync(
      file,
      `import { createEmbedProxy, createSessionToken, type FetchHandler } from 'airbyte-embed-kit/server';
       declare const env: { AIRBYTE_CLIENT_ID: string; AIRBYTE_CLIENT_SECRET: string; EMBED_SESSION_SECRET: string };
       export const handler: FetchHandler = createEmbedProxy({ airbyte: { baseUrl: 'https://api.airbyte.com/v1', clientId: env.AIRBYTE_CLIENT_ID, clientSecret: env.AIRBYTE_CLIENT_SECRET }, sessionSecret: env.EMBED_SESSION_SECRET });
       export const token = () => createSessionToken({ secret: env.EMBED_SESSION_SECRET, customerId: 'c', allowedOrigin: 'https://app.example.com' });
      `,
    );
    const program = ts.createProgram([file], {
      strict: true,
      skipLibCheck: false,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: [],
      typeRoots: [path.join(host, 'node_modules/@types')],
    });
    expect(ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.relative(host, d.file.fileName) : ''}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)).toEqual([]);
  }, 120_000);
});
