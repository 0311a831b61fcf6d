import pg from 'pg';
import { KeyedMutex, type SqlDriver } from './sqlDriver.ts';

/** How long a lock lease lasts without renewal: how long a crashed instance's lock blocks others. */
export const LEASE_MS = 5000;
/** How often a held lease is renewed. */
const RENEW_MS = 1500;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * PostgreSQL through `pg`: the production store, shared by every proxy instance. Locks are
 * leases in a table (`aek_locks`: key, owner, expiry), taken and released with one short query
 * each and renewed while held, so a locked section holds no database connection while it waits
 * on Airbyte: one customer's burst of onboardings cannot take the pool from everyone else. A
 * crashed instance's lease expires after {@link LEASE_MS}. Pass a connection string or your own
 * `pg.Pool`.
 */
export function postgresDriver(options: { connectionString?: string; pool?: pg.Pool; max?: number }): SqlDriver {
  const pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10 });
  const owned = !options.pool;
  const mutex = new KeyedMutex();
  const instance = crypto.randomUUID();
  let sequence = 0;
  let lockTable: Promise<void> | undefined;
  const ensureLockTable = () =>
    (lockTable ??= pool
      .query('CREATE TABLE IF NOT EXISTS aek_locks (key text PRIMARY KEY, owner text NOT NULL, expires_at timestamptz NOT NULL)')
      .then(() => undefined)
      .catch(async (error: { code?: string }) => {
        // Two instances creating it at once: one wins, the other sees it exists.
        if (error.code !== '23505' && error.code !== '42P07') {
          lockTable = undefined;
          throw error;
        }
      }));

  async function acquire(key: string, owner: string): Promise<void> {
    await ensureLockTable();
    for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
      const { rows } = await pool.query<{ owner: string }>(
        `INSERT INTO aek_locks (key, owner, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
         ON CONFLICT (key) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at WHERE aek_locks.expires_at < now()
         RETURNING owner`,
        [key, owner, LEASE_MS],
      );
      if (rows[0]?.owner === owner) return;
      await sleep(wait + Math.random() * wait);
    }
  }

  return {
    async query<R>(sql: string, params: unknown[] = []) {
      return (await pool.query(sql, params)).rows as R[];
    },
    // The in-process mutex keeps this process's own callers queued locally instead of polling.
    withLock: (key, fn) =>
      mutex.run(key, async () => {
        const owner = `${instance}:${++sequence}`;
        await acquire(key, owner);
        const renew = setInterval(() => {
          void pool.query("UPDATE aek_locks SET expires_at = now() + $3 * interval '1 millisecond' WHERE key = $1 AND owner = $2", [key, owner, LEASE_MS]).catch(() => undefined);
        }, RENEW_MS);
        try {
          return await fn();
        } finally {
          clearInterval(renew);
          await pool.query('DELETE FROM aek_locks WHERE key = $1 AND owner = $2', [key, owner]).catch(() => undefined);
        }
      }),
    close: async () => {
      if (owned) await pool.end();
    },
  };
}
