/**
 * The parent's side of proxyProcess.ts: a store the child processes share (an isolated
 * PostgreSQL schema when PostgreSQL answers, else a PGlite data dir), and `startProxyProcess` to
 * spawn a proxy over it, to SIGKILL and start again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmbeddedStore, type ProxyStore } from '../../src/server/store/proxyStore.ts';
import { POSTGRES_URL, postgresAvailable, postgresSchema } from '../fixtures/stores.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A running proxy child: its process and base URL (`http://127.0.0.1:<port>`). */
export interface ProxyChild {
  child: ChildProcess;
  url: string;
}

/**
 * Spawns `proxyProcess.ts` with `env` (see its header for the variables) and resolves once it
 * prints `READY <port>`; rejects with its output if it exits first.
 */
export async function startProxyProcess(env: Record<string, string>): Promise<ProxyChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'proxyProcess.ts')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`proxy process exited (${code}): ${out}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

/** SIGKILLs a proxy child and waits until it is gone. */
export async function killProxyProcess(proxy: ProxyChild): Promise<void> {
  if (proxy.child.exitCode !== null || proxy.child.signalCode !== null) return;
  const exited = new Promise((r) => proxy.child.once('exit', r));
  proxy.child.kill('SIGKILL');
  await exited;
}

/** See {@link sharedProxyStore}. */
export interface SharedProxyStore {
  kind: 'PostgreSQL' | 'PGlite';
  env: Record<string, string>;
  read<T>(fn: (s: ProxyStore) => Promise<T>): Promise<T>;
  cleanup(): Promise<void>;
}

/**
 * The store the proxy children share: `env` for {@link startProxyProcess}; `read(fn)` opens it in
 * this process (PGlite: only while no child runs, one process per data dir); `cleanup()` drops it.
 */
export async function sharedProxyStore(prefix: string): Promise<SharedProxyStore> {
  if (await postgresAvailable()) {
    const schema = await postgresSchema();
    let store: ProxyStore | undefined;
    return {
      kind: 'PostgreSQL',
      env: { POSTGRES_URL, PG_SCHEMA: schema.schema },
      read: async <T>(fn: (s: ProxyStore) => Promise<T>) => fn((store ??= schema.open())),
      cleanup: schema.drop,
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), `aek-${prefix}-`));
  return {
    kind: 'PGlite',
    env: { PGLITE_DIR: dir },
    read: async <T>(fn: (s: ProxyStore) => Promise<T>) => {
      const store = createEmbeddedStore({ dataDir: dir });
      try {
        await store.init();
        return await fn(store);
      } finally {
        await store.close();
      }
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
