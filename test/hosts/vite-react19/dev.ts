/**
 * The same page in development, as a person first runs it: Vite's dev server (unbundled modules,
 * dependencies pre-bundled on the fly, HMR on the dev server's own connection) in front, with the
 * host's vite.config.ts (the README's) passing /api/embed and /my-backend to the Express backend.
 * The session token names the dev server's origin, as a developer's would in development. Connects
 * a source with no console error or warning. Every port is ephemeral.
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'vite';
import { checkConnectFlow } from './check.ts';

await checkConnectFlow({
  failOnWarnings: true,
  front: async (backendUrl) => {
    process.env.BACKEND_URL = new URL(backendUrl).origin;
    const vite = await createServer({ server: { host: '127.0.0.1', port: 0 }, cacheDir: 'node_modules/.vite-dev-check', logLevel: 'warn' });
    await vite.listen();
    const { port } = vite.httpServer!.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/`, close: () => vite.close() };
  },
});
console.log('the same page from the Vite dev server, through its proxy');
