import { importOptionalPeer, type OptionalPeerNeed } from '../../shared/optionalPeer.ts';
import { KeyedMutex, type SqlDriver } from './sqlDriver.ts';

/** What the store answers a query with: the rows (a `pg` `QueryResult` fits). */
interface PgResult<R> {
  rows: R[];
}

/**
 * What the store uses of a `pg.Pool`: a real `pg.Pool` fits, and so does any pool with these
 * three methods. Structural, so the kit's declarations name no `pg` types: a host without
 * `@types/pg` type-checks with `skipLibCheck: false`.
 */
export interface PgPool {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<PgResult<R>>;
  /** A client for one transaction; released once it ends. */
  connect(): Promise<{ query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<PgResult<R>>; release(): void }>;
  end(): Promise<void>;
}

const PG_NEED: OptionalPeerNeed = { entry: 'server', feature: 'createPostgresStore({ connectionString })', alternative: 'pass your own `pool`' };

/** A pool made on first use, once `pg` (an optional peer dependency) has loaded. */
function lazyPool(options: { connectionString?: string; max?: number }): PgPool {
  const ready: Promise<PgPool> = importOptionalPeer('pg', () => import(/* webpackIgnore: true */ /* turbopackIgnore: true */ 'pg'), PG_NEED).then((pg) => new pg.default.Pool({ connectionString: options.connectionString, max: options.max ?? 10 }));
  // Reported by the first query, not as an unhandled rejection.
  ready.catch(() => undefined);
  return {
    query: async (text, values) => (await ready).query(text, values),
    connect: async () => (await ready).connect(),
    end: () => ready.then((pool) => pool.end(), () => undefined),
  };
}

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
 * `pg.Pool` ({@link PgPool}). `pg` is an optional peer dependency, loaded on first use when no
 * pool is given.
 */
export function postgresDriver(options: { connectionString?: string; pool?: PgPool; max?: number }): SqlDriver {
  const pool = options.pool ?? lazyPool(options);
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
    // One pooled connection for the whole transaction.
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: async <R>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as R[] });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: async () => {
      if (owned) await pool.end();
    },
  };
}
