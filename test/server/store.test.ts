import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEmbeddedStore, type ProxyStore } from '../../src/server/store/proxyStore.ts';
import { freshEmbeddedStore, postgresAvailable, postgresSchema } from '../fixtures/stores.ts';

const pgUp = await postgresAvailable();
let schema: Awaited<ReturnType<typeof postgresSchema>> | undefined;
// PGlite takes seconds to start: once, outside any test's time budget.
beforeAll(async () => {
  await freshEmbeddedStore();
  if (pgUp) schema = await postgresSchema();
}, 60_000);
afterAll(() => schema?.drop());

const kinds: Array<[string, () => Promise<ProxyStore>, boolean]> = [
  ['embedded (PGlite)', () => freshEmbeddedStore(), true],
  ['PostgreSQL', async () => schema!.open(), pgUp],
];

describe.each(kinds)('ProxyStore on %s', (_name, open, available) => {
  it.skipIf(!available)('keeps the customer → workspace mapping, first writer wins', async () => {
    const store = await open();
    await store.setWorkspaceId('cust-1', 'ws-1');
    await store.setWorkspaceId('cust-1', 'ws-2');
    expect(await store.getWorkspaceId('cust-1')).toBe('ws-1');
    expect(await store.getWorkspaceId('nobody')).toBeUndefined();
  });

  it.skipIf(!available)('stores templates, sources by customer and onboarding progress', async () => {
    const store = await open();
    await store.putSourceTemplate({ id: 't1', name: 'Faker', actorDefinitionId: 'dfd88b22-b603-4c3d-aad7-3701784586b1', partialDefaultConfig: { a: 1 }, partialUserConfigSpec: { connectionSpecification: { type: 'object' } } });
    await store.putSourceTemplate({ id: 't1', name: 'Faker 2', actorDefinitionId: 'dfd88b22-b603-4c3d-aad7-3701784586b1', partialDefaultConfig: {}, partialUserConfigSpec: { connectionSpecification: { type: 'object' } } });
    expect((await store.listSourceTemplates()).map((t) => t.name)).toEqual(['Faker 2']);
    await store.recordSource({ sourceId: 's1', customerId: 'c1', templateId: 't1', name: 'x', connectionIds: ['k1'], destinationNames: {}, createdAt: 1 });
    await store.recordSource({ sourceId: 's2', customerId: 'c2', templateId: 't1', name: 'y', connectionIds: [], destinationNames: {}, createdAt: 2 });
    expect((await store.listSources('c1')).map((s) => s.sourceId)).toEqual(['s1']);
    await store.saveOnboarding({ customerId: 'c1', idempotencyKey: 'k', requestHash: 'h', templateId: 't1', status: 'running', connections: {}, sourceId: 's1' });
    expect(await store.getOnboarding('c1', 'k')).toMatchObject({ status: 'running', sourceId: 's1' });
    expect(await store.deleteSourceTemplate('t1')).toBe(true);
    expect(await store.deleteSourceTemplate('t1')).toBe(false);
  });

  it.skipIf(!available)('runs locked sections for one key one at a time', async () => {
    const store = await open();
    const order: string[] = [];
    const section = (name: string) =>
      store.withLock('k', async () => {
        order.push(`${name}:in`);
        await new Promise((r) => setTimeout(r, 30));
        order.push(`${name}:out`);
      });
    await Promise.all([section('a'), section('b')]);
    expect(order).toEqual(['a:in', 'a:out', 'b:in', 'b:out']);
  });
});

describe('embedded store on disk', () => {
  it('survives a restart (a new process opening the same data dir)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aek-store-'));
    try {
      const first = createEmbeddedStore({ dataDir: path.join(dir, 'nested', 'store') });
      await first.setWorkspaceId('cust', 'ws-kept');
      await first.close();
      const second = createEmbeddedStore({ dataDir: path.join(dir, 'nested', 'store') });
      expect(await second.getWorkspaceId('cust')).toBe('ws-kept');
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe.skipIf(!pgUp)('two proxy instances on one PostgreSQL', () => {
  it('share state, apply migrations once and exclude each other in locked sections', async () => {
    const a = schema!.open();
    const b = schema!.open();
    await Promise.all([a.init(), b.init()]);
    await a.setWorkspaceId('shared', 'ws-a');
    expect(await b.getWorkspaceId('shared')).toBe('ws-a');
    const order: string[] = [];
    await Promise.all(
      [a, b].map((s, i) =>
        s.withLock('shared-lock', async () => {
          order.push(`${i}:in`);
          await new Promise((r) => setTimeout(r, 50));
          order.push(`${i}:out`);
        }),
      ),
    );
    expect([order.slice(0, 2), order.slice(2)].every(([x, y]) => x!.split(':')[0] === y!.split(':')[0])).toBe(true);
  });
});
