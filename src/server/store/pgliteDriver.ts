import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { importOptionalPeer, missingPeerMessage, type OptionalPeerNeed } from '../../shared/optionalPeer.ts';
import { KeyedMutex, type SqlDriver } from './sqlDriver.ts';

const NEED: OptionalPeerNeed = { entry: 'server', feature: 'its default store (createEmbeddedStore, or createEmbedProxy without `store`)', alternative: 'pass a PostgreSQL store: createPostgresStore({ connectionString })' };
/** The words a host without PGlite reads (it is an optional peer dependency of the kit). */
export const PGLITE_MISSING = missingPeerMessage('@electric-sql/pglite', NEED);

/**
 * PGlite (PostgreSQL compiled to WebAssembly, in this process): the zero-setup store. With a
 * `dataDir` it survives restarts; without, it lives in memory. Trap: one process only; for
 * several proxy instances use PostgreSQL. PGlite is an optional peer dependency, loaded here on
 * first use: without it, every query fails with {@link PGLITE_MISSING}.
 */
export function pgliteDriver(options: { dataDir?: string } = {}): SqlDriver {
  // PGlite creates only the last folder of the path; make the parents (e.g. `.data/proxy`).
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db: Promise<PGlite> = importOptionalPeer('@electric-sql/pglite', () => import(/* webpackIgnore: true */ /* turbopackIgnore: true */ '@electric-sql/pglite'), NEED).then(({ PGlite }) => new PGlite(options.dataDir));
  // Reported by the first query, not as an unhandled rejection.
  db.catch(() => undefined);
  const mutex = new KeyedMutex();
  return {
    async query<R>(sql: string, params: unknown[] = []) {
      return (await (await db).query<R>(sql, params)).rows;
    },
    // A single process owns the database, so an in-process lock is the whole story.
    withLock: (key, fn) => mutex.run(key, fn),
    // PGlite queues other queries behind an open transaction (one connection).
    transaction: async (fn) => (await db).transaction((tx) => fn({ query: async <R>(sql: string, params: unknown[] = []) => (await tx.query<R>(sql, params)).rows })),
    close: () => db.then((d) => d.close(), () => undefined),
  };
}
