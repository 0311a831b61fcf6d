/**
 * `npm run test:hosts`: every host app under test/hosts/ installs the packed kit as a stranger's
 * would and passes its own test. Packs the kit once, then for each host (sequentially: CI has two
 * cores): copies the fixture to a temp dir, `npm install`s it with the tarball (shared npm cache,
 * no --legacy-peer-deps), and runs its `npm test` (typecheck, build, check). Prints one line per
 * host with durations and the installed size; exits 1 on any failure, with the failing log's tail.
 *
 * `npm run test:hosts -- react18 jest30` runs only those; HOSTS_KEEP=1 keeps the temp dir;
 * HOSTS_NPM_CACHE picks the npm cache (default: npm's own, which `npm ci` has warmed).
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const hostsDir = path.join(root, 'test/hosts');
const STEP_TIMEOUT_MS = 10 * 60_000;

// What a stranger's shell has: none of the `npm run` variables of this repo's own npm, and none of
// the kit's server settings (a Next.js build must work without EMBED_SESSION_SECRET).
const cleanEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && !key.startsWith('EMBED_') && !key.startsWith('AIRBYTE_') && key !== 'NODE_OPTIONS'),
);
const hostEnv: NodeJS.ProcessEnv = { ...cleanEnv, CHROMIUM_PATH, CHROMIUM_ARGS: JSON.stringify(CHROMIUM_ARGS), NEXT_TELEMETRY_DISABLED: '1', CI: process.env.CI ?? 'true' };

interface Step { ok: boolean; ms: number; log: string }

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, logFile: string): Promise<Step> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const timer = setTimeout(() => {
      log += `\n[test-hosts] ${command} ${args.join(' ')} took over ${STEP_TIMEOUT_MS / 60_000} min; stopped.\n`;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    }, STEP_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      void writeFile(logFile, log).then(() => resolve({ ok: code === 0, ms: performance.now() - started, log }));
    });
  });
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

async function duMb(dir: string): Promise<string> {
  const step = await run('du', ['-sk', dir], dir, cleanEnv, '/dev/null');
  const kb = Number(step.log.split(/\s/)[0]);
  return Number.isFinite(kb) ? `${(kb / 1024).toFixed(0)} MB` : '?';
}

const wanted = process.argv.slice(2);
const all = (await readdir(hostsDir, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith('_')).map((d) => d.name).sort();
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`test-hosts: no host named ${unknown.join(', ')} in test/hosts (there are: ${all.join(', ')})`);
  process.exit(2);
}
const hosts = wanted.length ? wanted : all;

const work = await mkdtemp(path.join(tmpdir(), 'aek-hosts-'));
const cacheArgs = process.env.HOSTS_NPM_CACHE ? ['--cache', process.env.HOSTS_NPM_CACHE] : [];
const t0 = performance.now();

console.log(`test-hosts: packing the kit (build + npm pack) into ${work}`);
await mkdir(path.join(work, 'pack'));
const kitPkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { exports: Record<string, string | Record<string, string>> };
const exportTargets = Object.values(kitPkg.exports).flatMap((v) => (typeof v === 'string' ? [v] : Object.values(v))).map((t) => t.replace(/^\.\//, ''));
// The checkout is shared: another build may empty dist/ between ours and the pack, so a tarball
// missing any `exports` target is rebuilt and packed again (three tries).
let tarballName: string | undefined;
let packMs = 0;
for (let attempt = 1; attempt <= 3 && !tarballName; attempt++) {
  const build = await run('npm', ['run', 'build'], root, cleanEnv, path.join(work, 'build.log'));
  if (!build.ok) {
    console.error(`test-hosts: npm run build failed:\n${build.log.slice(-4000)}`);
    process.exit(1);
  }
  const pack = await run('npm', ['pack', '--pack-destination', path.join(work, 'pack'), '--json'], root, cleanEnv, path.join(work, 'pack.log'));
  packMs += build.ms + pack.ms;
  if (!pack.ok) {
    console.error(`test-hosts: npm pack failed:\n${pack.log.slice(-4000)}`);
    process.exit(1);
  }
  const packed = (JSON.parse(pack.log.slice(pack.log.indexOf('['))) as { filename: string; files: { path: string }[] }[])[0]!;
  const missing = exportTargets.filter((t) => !packed.files.some((f) => f.path === t));
  if (missing.length) console.warn(`test-hosts: the tarball lacks ${missing.join(', ')} (dist/ changed under us?); building again`);
  else tarballName = packed.filename;
}
if (!tarballName) {
  console.error('test-hosts: could not pack a tarball holding every `exports` target');
  process.exit(1);
}
const tarball = path.join(work, 'pack', tarballName);
console.log(`test-hosts: ${tarballName} packed in ${secs(packMs)}; hosts: ${hosts.join(', ')}`);
await cp(path.join(hostsDir, '_shared'), path.join(work, '_shared'), { recursive: true });

const results: { host: string; ok: boolean; line: string }[] = [];
for (const host of hosts) {
  const dir = path.join(work, host);
  await cp(path.join(hostsDir, host), dir, {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|dist|\.next|package-lock\.json|pnpm-lock\.yaml)$/.test(src),
  });
  await cp(tarball, path.join(dir, 'airbyte-embed-kit.tgz'));
  const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
    /**
     * `sharedFiles`: copy _shared/host/ in; `sharedPage`: the widget page _shared/page/main.tsx as
     * src/main.tsx; `packageManager`: install with it (`pnpm@<version>`, fetched by npx), not npm.
     */
    aekHost?: { sharedFiles?: boolean; sharedPage?: boolean; packageManager?: string };
  };
  // The Vite hosts' backend and browser check, one copy for all: in the host's folder, so they
  // resolve that host's node_modules (its React, its Express, the packed kit).
  if (pkg.aekHost?.sharedFiles) await cp(path.join(hostsDir, '_shared', 'host'), dir, { recursive: true });
  if (pkg.aekHost?.sharedPage) {
    await mkdir(path.join(dir, 'src'), { recursive: true });
    await cp(path.join(hostsDir, '_shared', 'page', 'main.tsx'), path.join(dir, 'src', 'main.tsx'));
  }
  const spec = pkg.dependencies?.['airbyte-embed-kit'] ?? pkg.devDependencies?.['airbyte-embed-kit'];
  if (spec !== 'file:./airbyte-embed-kit.tgz') {
    results.push({ host, ok: false, line: `✘ ${host}: package.json must depend on "airbyte-embed-kit": "file:./airbyte-embed-kit.tgz" (the runner puts the packed kit there), not ${spec}` });
    continue;
  }
  const manager = pkg.aekHost?.packageManager;
  if (manager && !/^pnpm@\d+\.\d+\.\d+$/.test(manager)) {
    results.push({ host, ok: false, line: `✘ ${host}: aekHost.packageManager must be "pnpm@<x.y.z>", not ${manager}` });
    continue;
  }
  // pnpm makes no lockfile-less install under CI unless told to (the fixtures keep no lockfile).
  const install = manager
    ? await run('npx', ['--yes', manager, 'install', '--no-frozen-lockfile', '--reporter=append-only'], dir, cleanEnv, path.join(work, `${host}.install.log`))
    : await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...cacheArgs], dir, cleanEnv, path.join(work, `${host}.install.log`));
  if (!install.ok) {
    results.push({ host, ok: false, line: `✘ ${host}: ${manager ?? 'npm'} install failed after ${secs(install.ms)} (log: ${work}/${host}.install.log)` });
    console.error(`--- ${host}: ${manager ?? 'npm'} install ---\n${install.log.slice(-4000)}`);
    continue;
  }
  const size = await duMb(path.join(dir, 'node_modules'));
  const test = await run('npm', ['test'], dir, hostEnv, path.join(work, `${host}.test.log`));
  const line = `${test.ok ? '✔' : '✘'} ${host.padEnd(18)} install ${secs(install.ms).padStart(6)}  test ${secs(test.ms).padStart(6)}  node_modules ${size}`;
  results.push({ host, ok: test.ok, line: test.ok ? line : `${line} (log: ${work}/${host}.test.log)` });
  if (!test.ok) console.error(`--- ${host}: npm test ---\n${test.log.slice(-6000)}`);
  console.log(results.at(-1)!.line);
}

console.log(`\ntest-hosts: ${results.filter((r) => r.ok).length}/${results.length} hosts passed in ${secs(performance.now() - t0)}`);
for (const r of results) console.log(`  ${r.line}`);
const failed = results.some((r) => !r.ok);
if (!failed && !process.env.HOSTS_KEEP) await rm(work, { recursive: true, force: true });
else console.log(`test-hosts: work dir kept at ${work}`);
process.exit(failed ? 1 : 0);
