import type { IncomingMessage, ServerResponse } from 'node:http';
import { importOptionalPeer, type OptionalPeerNeed } from '../shared/optionalPeer.ts';
import type { FetchHandler } from './proxy.ts';

type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;
const NEED: OptionalPeerNeed = { entry: 'server', feature: 'toNodeListener (Node http / Express)', alternative: "serve the proxy's fetch handler with your framework's own Fetch adapter" };

/**
 * Wraps the fetch handler as a Node `http` / Express request listener.
 * Trap: with Express, mount it before any body parser (`express.json()`), which would consume the
 * body; a request whose body is already read is answered with a 500 that says so (never the
 * runtime's "Body is unusable"). It needs `@hono/node-server` (an optional peer dependency,
 * loaded as this is called): without it, the error saying what to install is logged at once and
 * every request is answered 500 with it.
 */
export function toNodeListener(handler: FetchHandler): NodeListener {
  let listener: NodeListener | undefined;
  let missing: Error | undefined;
  const ready = importOptionalPeer('@hono/node-server', () => import(/* webpackIgnore: true */ /* turbopackIgnore: true */ '@hono/node-server'), NEED).then(
    (m) => void (listener = m.getRequestListener(handler) as NodeListener),
    (error: Error) => {
      missing = error;
      console.error(JSON.stringify({ level: 'error', message: error.message, at: new Date().toISOString() }));
    },
  );
  const serve = (req: IncomingMessage, res: ServerResponse, listener: NodeListener) => {
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS';
    // A body parser ran first: the stream is drained (a parser that skipped this request, e.g. for
    // its content type, leaves it unread).
    if (hasBody && req.readableEnded && Number(req.headers['content-length'] ?? '1') !== 0) {
      const message =
        'The request body was already read by a body parser mounted before the proxy (express.json(), bodyParser…). Mount toNodeListener(proxy) before it, e.g. app.use(\'/api/embed\', toNodeListener(proxy)) first, or exclude the proxy\'s path from the parser.';
      console.error(JSON.stringify({ level: 'error', message, path: req.url, at: new Date().toISOString() }));
      res.writeHead(500, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ error: { code: 'internal_error', message } }));
      return;
    }
    listener(req, res);
  };
  return (req, res) => {
    if (listener) return serve(req, res, listener);
    // Only the first requests, while the adapter loads (the module is usually ready long before).
    void ready.then(() => {
      if (listener) return serve(req, res, listener);
      res.writeHead(500, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ error: { code: 'internal_error', message: missing?.message ?? 'The Node adapter did not load.' } }));
    });
  };
}
