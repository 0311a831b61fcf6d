import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { FetchHandler } from './proxy.ts';

/**
 * Wraps the fetch handler as a Node `http` / Express request listener.
 * Trap: with Express, mount it before any body parser (`express.json()`), which would consume the
 * body; a request whose body is already read is answered with a 500 that says so (never the
 * runtime's "Body is unusable").
 */
export function toNodeListener(handler: FetchHandler): (req: IncomingMessage, res: ServerResponse) => void {
  const listener = getRequestListener(handler) as (req: IncomingMessage, res: ServerResponse) => void;
  return (req, res) => {
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
}
