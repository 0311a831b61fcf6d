import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { KeyedMutex, type SqlDriver } from './sqlDriver.ts';

/**
 * PGlite (PostgreSQL compiled to WebAssembly, in this process): the zero-setup store. With a
 * `dataDir` it survives restarts; without, it lives in memory. Trap: one process only; for
 * several proxy instances use PostgreSQL.
 */
export function pgliteDriver(options: { dataDir?: string } = {}): SqlDriver {
  // PGlite creates only the last folder of the path; make the parents (e.g. `.data/proxy`).
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = new PGlite(options.dataDir);
  const mutex = new KeyedMutex();
  return {
    async query<R>(sql: string, params: unknown[] = []) {
      return (await db.query<R>(sql, params)).rows;
    },
    // A single process owns the database, so an in-process lock is the whole story.
    withLock: (key, fn) => mutex.run(key, fn),
    close: () => db.close(),
  };
}
