import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { createEmbedProxy, createEmbeddedStore, createSessionToken, loadTemplatesFile, toNodeListener, verifyWebhook, type WebhookEvent } from '../src/server.ts';
import { startAirbyteEmulator, type AirbyteEmulator, type AirbyteEmulatorOptions } from '../src/testing.ts';
import { hubspotConnector, hubspotTemplate } from './hubspot.ts';
import { salesforceConnector, salesforceTemplate } from './salesforce.ts';
import { allowedHosts } from '../src/testing/hostCheck.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const buildDir = path.join(here, '../dist-demo');

export interface Demo {
  url: string;
  emulator: AirbyteEmulator;
  /** The events the demo's own webhook receiver (`POST /demo/webhooks`) got and verified, oldest first (with `operatorKey`). */
  webhookEvents: WebhookEvent[];
  /** A session token for `customerId` (default: the signed-in demo customer), for scripts that call the proxy. */
  sessionToken(customerId?: string): Promise<string>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2' };

let built: Promise<void> | undefined;
/**
 * The host app as a production build (once per process, into dist-demo/): a dev server would
 * serve any file of the checkout through `/@fs/` (the emulator's state and its secrets among
 * them) and open a hot-reload socket on every interface.
 */
function buildHostApp(quiet: boolean): Promise<void> {
  built ??= build({
    configFile: false,
    root: here,
    logLevel: quiet ? 'silent' : 'warn',
    plugins: [react()],
    resolve: {
      alias: [
        { find: /^airbyte-embed-kit\/styles\.css$/, replacement: path.join(here, '../src/react/styles.css') },
        { find: /^airbyte-embed-kit$/, replacement: path.join(here, '../src/index.ts') },
      ],
    },
    build: { outDir: buildDir, emptyOutDir: true, sourcemap: false, reportCompressedSize: false, chunkSizeWarningLimit: 4096 },
  }).then(() => undefined);
  return built;
}

/** Serves a file of the build (never anything outside it), or the app's index.html for any other path. */
async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://demo').pathname);
  } catch {
    res.writeHead(400).end('Bad request');
    return;
  }
  const file = path.resolve(buildDir, `.${path.posix.normalize(pathname)}`);
  const inside = file.startsWith(`${buildDir}${path.sep}`);
  const found = inside && (await stat(file).catch(() => undefined))?.isFile();
  const target = found ? file : path.join(buildDir, 'index.html');
  const body = await readFile(target);
  res.writeHead(200, {
    'content-type': TYPES[path.extname(target)] ?? 'application/octet-stream',
    'x-content-type-options': 'nosniff',
    'cache-control': found && target.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-store',
  });
  res.end(body);
}

/**
 * The demo stack in one process: the Airbyte API emulator, the kit's proxy at /api/embed, a
 * stand-in for the host's backend (POST /demo/session mints a session token for the signed-in
 * customer) and the host web app (a production build). It answers only for its own address:
 * a page on another site that resolves its name to 127.0.0.1 (DNS rebinding) gets nothing.
 */
export async function startDemo(
  options: {
    port?: number;
    host?: string;
    jobDurationMs?: number;
    /** Decides each job's fate (tests: a sync that fails, as after a revoked sign-in); default: every job succeeds. */
    jobOutcome?: AirbyteEmulatorOptions['jobOutcome'];
    customerId?: string;
    quiet?: boolean;
    dataDir?: string;
    operatorKey?: string;
    /** Called with each event the demo's webhook receiver verified (`npm start` prints them). */
    onWebhook?: (event: WebhookEvent) => void;
  } = {},
): Promise<Demo> {
  const buildDone = buildHostApp(options.quiet ?? false);
  // With a data dir the emulator keeps workspaces, sources and connections across restarts.
  const emulator = await startAirbyteEmulator({ jobDurationMs: options.jobDurationMs ?? 8000, dataDir: options.dataDir, connectors: [hubspotConnector, salesforceConnector], ...(options.jobOutcome ? { jobOutcome: options.jobOutcome } : {}) });
  // In a real app both come from your secret store; the demo makes a fresh one per run.
  const sessionSecret = crypto.randomUUID() + crypto.randomUUID();
  const customerId = options.customerId ?? 'acme-customer-42';
  let origin = '';
  const templates = await (async () => {
    const set = await loadTemplatesFile(path.join(here, 'templates.json'));
    return { ...set, sources: [...set.sources, hubspotTemplate, salesforceTemplate] };
  })();
  // Made once the demo listens: Airbyte's notifications (the emulator's) go to its origin.
  let proxy: ReturnType<typeof toNodeListener> = (_req, res) => void res.writeHead(503).end();
  const makeProxy = () =>
    createEmbedProxy({
      airbyte: { baseUrl: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret },
      sessionSecret,
      operatorKey: options.operatorKey,
      templates,
      // The proxy's own state (customer → workspace, templates, onboardings) beside the emulator's.
      store: createEmbeddedStore(options.dataDir ? { dataDir: path.join(options.dataDir, 'proxy') } : {}),
      log: options.quiet ? () => undefined : undefined,
      // The emulator reaches the proxy here; a real deployment names its public https origin.
      webhooks: { publicUrl: origin },
    });
  const webhookEvents: WebhookEvent[] = [];
  let webhookSecret = '';
  await buildDone;
  const host = options.host ?? '127.0.0.1';
  let hostOk: (header: string | undefined) => boolean = () => false;
  const server: Server = createServer((req, res) => {
    if (!hostOk(req.headers.host)) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end(`This demo answers only at ${origin}.`);
      return;
    }
    const url = req.url ?? '/';
    if (url.startsWith('/api/embed/') || url === '/api/embed') return proxy(req, res);
    if (url === '/demo/webhooks' && req.method === 'POST') {
      // Stand-in for the host backend's webhook receiver (README "Webhooks"): the raw body, verified.
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void verifyWebhook({ headers: req.headers, body: Buffer.concat(chunks) }, webhookSecret).then(
          (event) => {
            if (!webhookEvents.some((e) => e.id === event.id)) {
              webhookEvents.push(event);
              options.onWebhook?.(event);
            }
            res.writeHead(204).end();
          },
          (error: Error) => res.writeHead(400, { 'content-type': 'text/plain' }).end(error.message),
        );
      });
      return;
    }
    if (url === '/demo/session' && req.method === 'POST') {
      // Stand-in for the host backend: after its own login check, it mints a token for this
      // customer, bound to the page's origin: one of the demo's own names (checked above).
      void createSessionToken({ secret: sessionSecret, customerId, allowedOrigin: `http://${req.headers.host}`, expiresIn: 900 }).then((token) => {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify({ token }));
      });
      return;
    }
    void serveStatic(req, res).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const publicHost = host === '0.0.0.0' ? 'localhost' : host;
  origin = `http://${publicHost}:${port}`;
  hostOk = allowedHosts(host, port);
  const embedProxy = makeProxy();
  proxy = toNodeListener(embedProxy);
  if (options.operatorKey) webhookSecret = await registerDemoReceiver(embedProxy, origin, options.operatorKey);
  return {
    url: `${origin}/`,
    emulator,
    webhookEvents,
    sessionToken: (id = customerId) => createSessionToken({ secret: sessionSecret, customerId: id, allowedOrigin: origin, expiresIn: 900 }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
    },
  };
}

/**
 * Registers the demo's receiver (`<origin>/demo/webhooks`) with the operator API, or, when a kept
 * store has it already, rotates its secret (with no overlap: only this run's secret signs), since a
 * secret is shown only once.
 */
async function registerDemoReceiver(proxy: (request: Request) => Promise<Response>, origin: string, operatorKey: string): Promise<string> {
  const op = async (method: string, p: string, body?: unknown) => {
    const response = await proxy(new Request(`${origin}/api/embed/operator${p}`, { method, headers: { authorization: `Bearer ${operatorKey}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }));
    if (!response.ok) throw new Error(`demo: the operator API answered ${response.status} to ${method} ${p}: ${await response.text()}`);
    return response.json() as Promise<any>;
  };
  const url = `${origin}/demo/webhooks`;
  const known = ((await op('GET', '/webhooks/endpoints')).data as Array<{ id: string; url: string }>).find((e) => e.url === url);
  const endpoint = known ? await op('POST', `/webhooks/endpoints/${known.id}/rotate_secret`, { overlapSeconds: 0 }) : await op('POST', '/webhooks/endpoints', { url, description: 'The demo host backend (demo/server.ts)' });
  return endpoint.secret as string;
}
