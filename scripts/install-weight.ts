/**
 * `npm run install-weight`: what a front-end-only host installs with the kit, measured as a new
 * user would: `npm pack` the built package, then in a fresh directory `npm init -y && npm install
 * react react-dom <tarball>`, and `du` of its node_modules. The same install of react + react-dom
 * alone is subtracted, so the figure is the kit's own weight ("beyond react/react-dom").
 * Goal (issue 18): ≤ 15 MB beyond React. Needs `npm run build` first and the npm registry.
 *
 *   tsx scripts/install-weight.ts [--tarball path/to/airbyte-embed-kit-x.tgz] [--json]
 *
 * Trap: the figures depend on the registry's current versions inside each range; compare runs
 * made the same day.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const GOAL_MB = 15;

/** Size on disk (KiB, as `du -sk`) and number of installed packages of one fresh install. */
export interface InstallFigures {
  kib: number;
  packages: number;
  /** Top-level names in node_modules (scoped ones as `@scope/name`). */
  names: string[];
}

function installedNames(nodeModules: string): string[] {
  if (!existsSync(nodeModules)) return [];
  const names: string[] = [];
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) for (const scoped of readdirSync(path.join(nodeModules, entry))) names.push(`${entry}/${scoped}`);
    else names.push(entry);
  }
  return names.sort();
}

/** Every package.json under node_modules that names a package: nested copies count too. */
function countPackages(nodeModules: string): number {
  let count = 0;
  const walk = (dir: string) => {
    for (const name of installedNames(dir)) {
      const pkgDir = path.join(dir, name);
      if (!statSync(pkgDir).isDirectory()) continue;
      if (existsSync(path.join(pkgDir, 'package.json'))) count++;
      walk(path.join(pkgDir, 'node_modules'));
    }
  };
  walk(nodeModules);
  return count;
}

/** Installs `specs` in a fresh npm project and measures its node_modules. */
export function measureInstall(specs: string[]): InstallFigures {
  const dir = mkdtempSync(path.join(tmpdir(), 'aek-weight-'));
  try {
    execFileSync('npm', ['init', '-y'], { cwd: dir, stdio: 'ignore' });
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...specs], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    const nodeModules = path.join(dir, 'node_modules');
    const kib = Number(execFileSync('du', ['-sk', nodeModules], { encoding: 'utf8' }).split('\t')[0]);
    return { kib, packages: countPackages(nodeModules), names: installedNames(nodeModules) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Packs the built package into a temp directory; returns the tarball's path. */
export function packKit(): string {
  if (!existsSync(path.join(root, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` before measuring the install.');
  const out = mkdtempSync(path.join(tmpdir(), 'aek-pack-'));
  const file = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!;
  return path.join(out, file);
}

/** The browser-only host's install, and the same host with React alone. */
export function measureBrowserHost(tarball: string) {
  const react = measureInstall(['react', 'react-dom']);
  const withKit = measureInstall(['react', 'react-dom', tarball]);
  const beyondKiB = withKit.kib - react.kib;
  return {
    react,
    withKit,
    beyondReactMB: beyondKiB / 1024,
    beyondReactPackages: withKit.packages - react.packages,
    addedNames: withKit.names.filter((n) => !react.names.includes(n)),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const given = args.indexOf('--tarball');
  const tarball = given >= 0 ? path.resolve(args[given + 1]!) : packKit();
  const result = measureBrowserHost(tarball);
  if (args.includes('--json')) {
    console.log(JSON.stringify({ tarball, ...result }, null, 2));
  } else {
    const mb = (kib: number) => `${(kib / 1024).toFixed(1)} MB`;
    console.log(`browser-only host: npm install react react-dom ${path.basename(tarball)}`);
    console.log(`  react + react-dom alone: ${mb(result.react.kib)}, ${result.react.packages} packages`);
    console.log(`  with the kit:            ${mb(result.withKit.kib)}, ${result.withKit.packages} packages`);
    console.log(`  beyond react/react-dom:  ${result.beyondReactMB.toFixed(1)} MB, ${result.beyondReactPackages} packages (goal ≤ ${GOAL_MB} MB)`);
    console.log(`  top-level packages added: ${result.addedNames.join(' ')}`);
  }
  if (result.beyondReactMB > GOAL_MB) process.exitCode = 1;
}
