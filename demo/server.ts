import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { createServer as createViteServer, type ViteDevServer } from 'vite';
import { createEmbedProxy, createEmbeddedStore, createSessionToken, loadTemplatesFile, toNodeListener } from '../src/server.ts';
import { startAirbyteEmulator, type AirbyteEmulator } from '../src/testing.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface Demo {
  url: string;
  emulator: AirbyteEmulator;
  /** A session token for `customerId` (default: the signed-in demo customer), for scripts that call the proxy. */
  sessionToken(customerId?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The demo stack in one process: the Airbyte API emulator, the kit's proxy at /api/embed, a
 * stand-in for the host's backend (POST /demo/session mints a session token for the signed-in
 * customer) and the host web app served by Vite.
 */
export async function startDemo(
  options: { port?: number; host?: string; jobDurationMs?: number; customerId?: string; quiet?: boolean; dataDir?: string; operatorKey?: string } = {},
): Promise<Demo> {
  // With a data dir the emulator keeps workspaces, sources and connections across restarts.
  const emulator = await startAirbyteEmulator({ jobDurationMs: options.jobDurationMs ?? 8000, dataDir: options.dataDir });
  // In a real app both come from your secret store; the demo makes a fresh one per run.
  const sessionSecret = crypto.randomUUID() + crypto.randomUUID();
  const customerId = options.customerId ?? 'acme-customer-42';
  const proxy = toNodeListener(
    createEmbedProxy({
      airbyte: { baseUrl: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret },
      sessionSecret,
      operatorKey: options.operatorKey,
      templates: await loadTemplatesFile(path.join(here, 'templates.json')),
      // The proxy's own state (customer → workspace, templates, onboardings) beside the emulator's.
      store: createEmbeddedStore(options.dataDir ? { dataDir: path.join(options.dataDir, 'proxy') } : {}),
      log: options.quiet ? () => undefined : undefined,
    }),
  );
  const vite: ViteDevServer = await createViteServer({
    configFile: false,
    root: here,
    appType: 'spa',
    logLevel: options.quiet ? 'silent' : 'info',
    plugins: [react()],
    resolve: {
      alias: [
        { find: /^airbyte-embed-kit\/styles\.css$/, replacement: path.join(here, '../src/react/styles.css') },
        { find: /^airbyte-embed-kit$/, replacement: path.join(here, '../src/index.ts') },
      ],
    },
    optimizeDeps: { include: ['react', 'react-dom/client', 'react/jsx-runtime', 'react/jsx-dev-runtime', '@tanstack/react-query', '@rjsf/core', '@rjsf/utils', '@rjsf/validator-ajv8'] },
    server: { middlewareMode: true, hmr: false },
  });
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/api/embed/') || url === '/api/embed') return proxy(req, res);
    if (url === '/demo/session' && req.method === 'POST') {
      // Stand-in for the host backend: after its own login check, it mints a token for this
      // customer, bound to the page's origin.
      void createSessionToken({ secret: sessionSecret, customerId, allowedOrigin: `http://${req.headers.host}`, expiresIn: 900 }).then((token) => {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify({ token }));
      });
      return;
    }
    vite.middlewares(req, res);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/`,
    emulator,
    sessionToken: (id = customerId) => createSessionToken({ secret: sessionSecret, customerId: id, allowedOrigin: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`, expiresIn: 900 }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await vite.close();
      await emulator.close();
    },
  };
}
