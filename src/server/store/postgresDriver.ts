import pg from 'pg';
import { KeyedMutex, type SqlDriver } from './sqlDriver.ts';

/**
 * PostgreSQL through `pg`: the production store, shared by every proxy instance. Locks are
 * session advisory locks on a dedicated pooled connection, so two instances serialise on the
 * same customer. Pass a connection string or your own `pg.Pool`.
 */
export function postgresDriver(options: { connectionString?: string; pool?: pg.Pool; max?: number }): SqlDriver {
  const pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10 });
  const owned = !options.pool;
  const mutex = new KeyedMutex();
  return {
    async query<R>(sql: string, params: unknown[] = []) {
      return (await pool.query(sql, params)).rows as R[];
    },
    withLock: (key, fn) =>
      // The in-process mutex keeps one process from taking several pool connections for one key.
      mutex.run(key, async () => {
        const client = await pool.connect();
        try {
          await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
          try {
            return await fn();
          } finally {
            await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
          }
        } finally {
          client.release();
        }
      }),
    close: async () => {
      if (owned) await pool.end();
    },
  };
}
