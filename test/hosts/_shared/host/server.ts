/**
 * Copied into each Vite host's folder by `npm run test:hosts` (hosts whose package.json says
 * `"aekHost": { "sharedFiles": true }`), so it resolves that host's own node_modules.
 * The host's backend: Express 5 with the kit's proxy mounted before express.json(), a session
 * route, and the built page; Airbyte is the kit's emulator. Every port is ephemeral (PORT=0).
 */
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { createEmbedProxy, createEmbeddedStore, createSessionToken, loadTemplatesFile, toNodeListener } from 'airbyte-embed-kit/server';
import { startAirbyteEmulator } from 'airbyte-embed-kit/testing';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface Backend {
  url: string;
  close(): Promise<void>;
}

/**
 * `extend` adds the host's own routes (after the proxy and express.json(), before the page);
 * `templatesFile` replaces the shared templates (the Sample data one only); `pageOrigin` is the
 * origin the page is served from when that is not this backend (Vite's dev server in front).
 */
export async function startBackend(port = Number(process.env.PORT ?? 0), extend?: (app: express.Express) => void, templatesFile = path.join(here, '../_shared/templates.json'), pageOrigin?: () => string): Promise<Backend> {
  const emulator = await startAirbyteEmulator({ port: 0, jobDurationMs: 1000, discoverMs: 0 });
  // An obviously fake test secret, fresh per run; a real host reads it from its secret store.
  const sessionSecret = `host-fixture-test-secret-${crypto.randomUUID()}`;
  const proxy = createEmbedProxy({
    airbyte: { baseUrl: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret },
    sessionSecret,
    templates: await loadTemplatesFile(templatesFile),
    store: createEmbeddedStore(),
    log: () => undefined,
  });
  let origin = '';
  const app = express();
  app.all('/api/embed/{*rest}', toNodeListener(proxy));
  app.use(express.json());
  app.post('/my-backend/airbyte-session', async (_req, res) => {
    const token = await createSessionToken({ secret: sessionSecret, customerId: 'host-customer-1', allowedOrigin: pageOrigin?.() ?? origin });
    res.json({ token });
  });
  extend?.(app);
  app.use(express.static(path.join(here, 'dist')));
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve, reject) => {
    const s = app.listen(port, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const backend = await startBackend();
  console.log(`host app at ${backend.url}`);
}
