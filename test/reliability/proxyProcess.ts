/**
 * A proxy in its own process, for crash tests: `node --import tsx test/reliability/proxyProcess.ts`
 * with EMULATOR_URL, SESSION_SECRET and either POSTGRES_URL + PG_SCHEMA or PGLITE_DIR.
 * Optional: PORT (default a free one; fixed, so a restart keeps the URL Airbyte notifies),
 * OPERATOR_KEY, WEBHOOKS_PUBLIC_URL (`webhooks.publicUrl`), and WEBHOOK_WORKER: the delivery
 * worker's options as JSON (`{pollMs, timeoutMs, leaseMs, batchSize, schedule}`), run beside the
 * proxy in place of its own (the proxy does not expose `schedule` and `batchSize`).
 * Prints `READY <port>` once it listens. Spawn it with proxyChild.ts.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import templatesJson from '../../demo/templates.json';
import { AirbyteClient } from '../../src/server/airbyteClient.ts';
import { toNodeListener } from '../../src/server/nodeAdapter.ts';
import { createEmbedProxy } from '../../src/server/proxy.ts';
import { createWebhookWorker, type WebhookWorkerOptions } from '../../src/server/webhooks/delivery.ts';
import { createEmbeddedStore, ProxyStore } from '../../src/server/store/proxyStore.ts';
import { postgresDriver } from '../../src/server/store/postgresDriver.ts';
import { parseTemplates } from '../../src/server/templates.ts';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '../../src/testing/emulator.ts';

const env = process.env;
const store = env.PG_SCHEMA
  ? new ProxyStore(postgresDriver({ pool: new pg.Pool({ connectionString: env.POSTGRES_URL, options: `-c search_path=${env.PG_SCHEMA}`, max: 4 }) }))
  : createEmbeddedStore({ dataDir: env.PGLITE_DIR });
const workerOptions = env.WEBHOOK_WORKER ? (JSON.parse(env.WEBHOOK_WORKER) as Partial<WebhookWorkerOptions>) : undefined;
const proxy = createEmbedProxy({
  airbyte: new AirbyteClient({ baseUrl: env.EMULATOR_URL!, clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, timeoutMs: 60_000 }),
  sessionSecret: env.SESSION_SECRET!,
  store,
  templates: parseTemplates(structuredClone(templatesJson)),
  log: () => undefined,
  rateLimit: false,
  // Every request of a scenario comes from 127.0.0.1 (the emulator's notifications too).
  ipRateLimit: false,
  operatorKey: env.OPERATOR_KEY,
  webhooks: { publicUrl: env.WEBHOOKS_PUBLIC_URL, worker: !workerOptions },
});
await store.init();
if (workerOptions) createWebhookWorker({ ...workerOptions, store, now: Date.now, log: (e) => e.level === 'error' && console.error(e.message) }).start();
const server = createServer(toNodeListener(proxy));
server.listen(Number(env.PORT ?? 0), '127.0.0.1', () => console.log(`READY ${(server.address() as AddressInfo).port}`));
