import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { FetchHandler } from './proxy.ts';

/**
 * Wraps the fetch handler as a Node `http` / Express request listener.
 * Trap: with Express, mount it before any body parser (`express.json()`), which would consume the body.
 */
export function toNodeListener(handler: FetchHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return getRequestListener(handler) as (req: IncomingMessage, res: ServerResponse) => void;
}
