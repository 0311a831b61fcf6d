/**
 * The little the store needs from a SQL database: parameterised queries and a lock that holds
 * across processes. Implemented for PGlite (embedded) and PostgreSQL (`pg`).
 */
export interface SqlDriver {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Runs `fn` while holding an exclusive lock named `key` (across every process on this database). */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in one database transaction: every query of `tx` commits together, or none does
   * (`fn` throwing rolls back). Trap: `tx` is only for `fn`'s own queries; `withLock` is not
   * available inside (a lock section would outlive the transaction's connection).
   */
  transaction<T>(fn: (tx: Pick<SqlDriver, 'query'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** In-process exclusive sections by key; the cross-process part is the database's advisory lock. */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((r) => (release = r));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous.catch(() => undefined);
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
