/**
 * `createPostgresStore({ pool })` takes the kit's structural {@link PgPool}, so its declarations
 * name no `pg` types; a host's real `pg.Pool` must still fit (checked by `tsc` in
 * `npm run typecheck`; the runtime part only proves the file runs).
 */
import type pg from 'pg';
import { describe, expectTypeOf, it } from 'vitest';
import type { PgPool } from '../../../src/server/store/postgresDriver.ts';
import type { createPostgresStore } from '../../../src/server/store/proxyStore.ts';

describe('createPostgresStore pool type', () => {
  it('accepts a real pg.Pool', () => {
    expectTypeOf<pg.Pool>().toExtend<PgPool>();
    expectTypeOf<pg.Pool>().toExtend<NonNullable<Parameters<typeof createPostgresStore>[0]['pool']>>();
  });
  it('refuses something that is not a pool', () => {
    expectTypeOf<{ query: () => void }>().not.toExtend<PgPool>();
  });
});
