import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { KeyedMutex, type SqlDriver } from './sqlDriver.ts';

/**
 * PostgreSQL through `pg`: the production store, shared by every proxy instance. A locked
 * section holds one pooled connection with a session advisory lock, and every query and nested
 * lock inside it runs on that same connection (tracked with AsyncLocalStorage). So a section
 * never needs a second connection, and many concurrent sections cannot exhaust the pool into a
 * deadlock: they queue for connections instead. Pass a connection string or your own `pg.Pool`.
 */
export function postgresDriver(options: { connectionString?: string; pool?: pg.Pool; max?: number }): SqlDriver {
  const pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10 });
  const owned = !options.pool;
  const mutex = new KeyedMutex();
  const section = new AsyncLocalStorage<pg.PoolClient>();
  const lockOn = async <T>(client: pg.PoolClient, key: string, fn: () => Promise<T>): Promise<T> => {
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
    }
  };
  return {
    async query<R>(sql: string, params: unknown[] = []) {
      return ((await (section.getStore() ?? pool).query(sql, params)).rows as R[]);
    },
    // The in-process mutex keeps one process from spending several connections on one key.
    withLock: (key, fn) =>
      mutex.run(key, async () => {
        const current = section.getStore();
        if (current) return lockOn(current, key, fn);
        const client = await pool.connect();
        try {
          return await section.run(client, () => lockOn(client, key, fn));
        } finally {
          client.release();
        }
      }),
    close: async () => {
      if (owned) await pool.end();
    },
  };
}
