import type { IncomingMessage, ServerResponse } from 'node:http';
import { importOptionalPeer, type OptionalPeerNeed } from '../shared/optionalPeer.ts';
import type { FetchHandler } from './proxy.ts';

/**
 * What the listener reads of Node's `http.IncomingMessage` (an Express `Request` is one). Declared
 * here so the package's types need no `@types/node` in a host that never uses this adapter.
 */
export interface NodeRequest {
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  readonly readableEnded: boolean;
}

/** What the listener writes of Node's `http.ServerResponse` (an Express `Response` is one). */
export interface NodeResponse {
  writeHead(statusCode: number, headers?: Record<string, string>): this;
  end(chunk?: string): unknown;
}

/** A Node `http` / Express request listener. */
export type NodeListener = (req: NodeRequest, res: NodeResponse) => void;
type RealListener = (req: IncomingMessage, res: ServerResponse) => void;
const NEED: OptionalPeerNeed = { entry: 'server', feature: 'toNodeListener (Node http / Express)', alternative: "serve the proxy's fetch handler with your framework's own Fetch adapter" };

/**
 * Wraps the fetch handler as a Node `http` / Express request listener.
 * With Express, `app.use('/api/embed', listener)` works (the full path is read from
 * `originalUrl`). Trap: mount it before any body parser (`express.json()`), which would consume the
 * body; a request whose body is already read is answered with a 500 that says so (never the
 * runtime's "Body is unusable"). It needs `@hono/node-server` (an optional peer dependency,
 * loaded as this is called): without it, the error saying what to install is logged at once and
 * every request is answered 500 with it.
 */
export function toNodeListener(handler: FetchHandler): NodeListener {
  let listener: RealListener | undefined;
  let missing: Error | undefined;
  const ready = importOptionalPeer('@hono/node-server', () => import(/* webpackIgnore: true */ /* turbopackIgnore: true */ '@hono/node-server'), NEED).then(
    (m) => void (listener = m.getRequestListener(handler) as RealListener),
    (error: Error) => {
      missing = error;
      console.error(JSON.stringify({ level: 'error', message: error.message, at: new Date().toISOString() }));
    },
  );
  const base = (handler as { basePath?: unknown }).basePath;
  const under = (url: string, prefix: string) => {
    const path = url.split('?')[0]!;
    return path === prefix || path.startsWith(`${prefix}/`);
  };
  // A handler of the host's own (no `basePath`) gets the full path, as plain Node would give it; so
  // does the proxy when the stripped path is outside its base path (mounted at a prefix of it, it
  // then routes; mounted elsewhere, its 404 names the path the browser asked for).
  const restore = (url: string) => typeof base !== 'string' || !under(url, base);
  const serve = (req: IncomingMessage, res: ServerResponse, listener: RealListener) => {
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS';
    // A body parser ran first: the stream is drained (a parser that skipped this request, e.g. for
    // its content type, leaves it unread).
    if (hasBody && req.readableEnded && Number(req.headers['content-length'] ?? '1') !== 0) {
      const message =
        'The request body was already read by a body parser mounted before the proxy (express.json(), bodyParser…). Mount toNodeListener(proxy) before it, e.g. app.use(\'/api/embed\', toNodeListener(proxy)) first, or exclude the proxy\'s path from the parser; in a Next.js Pages Router API route, export const config = { api: { bodyParser: false } }.';
      console.error(JSON.stringify({ level: 'error', message, path: req.url, at: new Date().toISOString() }));
      res.writeHead(500, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      // host_misconfigured: the widget tells the customer the page is not set up (no retry helps) and
      // the developer's console says this message.
      res.end(JSON.stringify({ error: { code: 'host_misconfigured', message } }));
      return;
    }
    // Express (and Connect) strip a mount path from `req.url` (`app.use('/api/embed', …)` gives
    // `/templates`); the proxy routes on the full path, which they keep in `originalUrl`. Only a
    // path outside the proxy's base path is replaced (a proxy made with `basePath: '/'` for such a
    // mount keeps the stripped one).
    const original = (req as IncomingMessage & { originalUrl?: unknown }).originalUrl;
    if (typeof original === 'string' && original.startsWith('/') && original !== req.url && restore(req.url ?? '/')) req.url = original;
    listener(req, res);
  };
  return (request, response) => {
    // The host passes Node's own objects; the declared types are only what this code touches.
    const req = request as unknown as IncomingMessage;
    const res = response as unknown as ServerResponse;
    if (listener) return serve(req, res, listener);
    // Only the first requests, while the adapter loads (the module is usually ready long before).
    void ready.then(() => {
      if (listener) return serve(req, res, listener);
      res.writeHead(500, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ error: { code: 'internal_error', message: missing?.message ?? 'The Node adapter did not load.' } }));
    });
  };
}
