/**
 * The published package: built entry points, their imports, and the packed tarball checked by
 * publint and @arethetypeswrong/cli. Needs `npm run build` first (`npm test` does it).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareImports as reachable } from './builtImports.ts';

/** Bare specifiers reachable from a built entry; with `staticOnly`, not through import(). */
const bareImports = (entry: string, options: { staticOnly?: boolean } = {}) => reachable(entry, options.staticOnly ?? false);
/** The packages those specifiers name (`markdown-to-jsx/react` → `markdown-to-jsx`). */
const packagesOf = (specs: Iterable<string>) => [...specs].map((s) => s.split('/').slice(0, s.startsWith('@') ? 2 : 1).join('/'));

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'dist');
const bin = (name: string) => path.join(root, 'node_modules/.bin', name);
let tmp: string;
let tarball: string;

beforeAll(() => {
  if (!existsSync(path.join(dist, 'index.js'))) throw new Error('dist/ is missing: run `npm run build` before these tests (`npm test` does).');
  tmp = mkdtempSync(path.join(tmpdir(), 'aek-pack-'));
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', tmp], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!;
  tarball = path.join(tmp, out);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('package', () => {
  it('ships the four entry points with types, and the stylesheet', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    for (const key of ['.', './form', './server', './testing', './styles.css']) {
      const entry = pkg.exports[key];
      expect(existsSync(path.join(root, entry.default)), key).toBe(true);
      expect(existsSync(path.join(root, entry.types)), key).toBe(true);
    }
    expect(pkg.exports['./styles.css'].default).toMatch(/\.css$/);
    expect(pkg.peerDependencies).toMatchObject({ react: expect.any(String), 'react-dom': expect.any(String) });
  });

  it('keeps React and RJSF out of the server and testing entries, and Node out of the browser entry', () => {
    for (const entry of ['server.js', 'testing.js']) {
      const imports = [...bareImports(path.join(dist, entry))];
      expect(imports.filter((s) => /^(react|react-dom|@rjsf\/|@tanstack\/)/.test(s)), entry).toEqual([]);
    }
    const browser = [...bareImports(path.join(dist, 'index.js'))];
    expect(browser.filter((s) => s.startsWith('node:') || s.startsWith('@hono/node-server') || s === 'jose')).toEqual([]);
  });

  it('loads the form, its validator and rich-text helpers only when a form opens', () => {
    const initial = [...bareImports(path.join(dist, 'index.js'), { staticOnly: true })];
    expect(initial.filter((s) => /^(@rjsf\/|@cfworker\/|markdown-to-jsx|ajv|marked|dompurify|cronstrue|croner)/.test(s))).toEqual([]);
    // …and they are there, behind import(): the lazy SourceForm and the form entry.
    expect(packagesOf(bareImports(path.join(dist, 'index.js')))).toEqual(expect.arrayContaining(['@rjsf/core', '@cfworker/json-schema', 'markdown-to-jsx']));
    expect(packagesOf(bareImports(path.join(dist, 'form.js'), { staticOnly: true }))).toEqual(expect.arrayContaining(['@rjsf/core', '@cfworker/json-schema', 'markdown-to-jsx']));
  });

  it('passes publint --strict on the packed tarball', () => {
    const out = execFileSync(bin('publint'), ['run', tarball, '--strict'], { cwd: root, encoding: 'utf8' });
    expect(out).toMatch(/All good/);
  });

  it('passes @arethetypeswrong/cli (ESM-only profile) on the packed tarball', () => {
    // Throws (non-zero exit) on any problem, the stylesheet's entry included (it has an empty declaration).
    execFileSync(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
  });

  it('runs the emulator from its CLI (`airbyte-emulator`)', async () => {
    const child = spawn(process.execPath, [path.join(dist, 'emulator-cli.js'), '--port', '0', '--job-duration', '1000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening at (\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`emulator CLI exited with ${code}: ${out}`)));
      });
      expect((await fetch(`${url}/health`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('refuses bad CLI flags with a message saying what to fix', () => {
    const run = spawnSync(process.execPath, [path.join(dist, 'emulator-cli.js'), '--port', 'abc'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--port must be a port number');
  });

  it('renders on a server from the built package: no window, no document, no error', () => {
    // What a Next.js page does: import the package in Node and render the widget to HTML.
    const script = `
      import { createElement as h } from 'react';
      import { renderToString } from 'react-dom/server';
      import { AirbyteEmbedProvider, ConnectWidget, SourceManager } from ${JSON.stringify(path.join(dist, 'index.js'))};
      const wrap = (c) => h(AirbyteEmbedProvider, { baseUrl: '/api/embed', getSessionToken: () => 't', children: c });
      console.log(renderToString(wrap(h('div', null, h(ConnectWidget), h(ConnectWidget, { modal: true, open: false }), h(SourceManager)))));
      console.log(typeof window, typeof document);
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Loading connectors…');
    expect(run.stdout).toContain('Loading your data sources…');
    expect(run.stdout.trim().endsWith('undefined undefined')).toBe(true);
  });

  it('ships no file that points at a source map it does not ship (dev tools and Vite would warn)', () => {
    const files = new Set(execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, '')));
    const code = [...files].filter((f) => /\.(js|d\.ts)$/.test(f));
    expect(code.length).toBeGreaterThan(10);
    const dangling = code.flatMap((f) => {
      const text = execFileSync('tar', ['-xzOf', tarball, `package/${f}`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
      return url && !url.startsWith('data:') && !files.has(path.posix.join(path.posix.dirname(f), url)) ? [`${f} → ${url}`] : [];
    });
    expect(dangling).toEqual([]);
  });

  it('has a README whose every relative link and image is a file in the tarball (the npm page has no other)', () => {
    const files = new Set(execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, '')));
    expect(files).toContain('README.md');
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const targets = [
      ...[...readme.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!),
      ...[...readme.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]!),
      ...[...readme.matchAll(/<(?:img|a|source)\s[^>]*(?:src|href|srcset)=["']([^"']+)["']/g)].map((m) => m[1]!),
    ];
    expect(targets.length).toBeGreaterThan(5);
    const relative = targets.filter((t) => !/^([a-z][a-z0-9+.-]*:|#)/i.test(t));
    const missing = relative.map((t) => t.replace(/^\.\//, '').split(/[?#]/)[0]!).filter((t) => !files.has(t));
    expect(missing, 'make these absolute (https://github.com/…/blob/main/<path>) or ship them').toEqual([]);
    // The package's own pages: the repository, its issues, the home page.
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.repository?.url).toMatch(/^git\+https:\/\/github\.com\/.+\.git$/);
    expect(pkg.bugs?.url).toMatch(/^https:\/\/github\.com\/.+\/issues$/);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.keywords?.length).toBeGreaterThan(3);
  });

  it('packs no test, story or demo files', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files.filter((f) => /^package\/(test|stories|demo|src)\//.test(f))).toEqual([]);
    expect(files).toContain('package/dist/server.js');
    // The licence the package.json names ships with it.
    expect(files).toContain('package/LICENSE');
  });
});
