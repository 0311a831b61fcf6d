/** Mounting the proxy in a Hono app: the proxy is a fetch handler, so it takes the raw Request. */
import { Hono } from 'hono';
import type { FetchHandler } from 'airbyte-embed-kit/server';

export function createHonoApp(proxy: FetchHandler) {
  const app = new Hono();
  app.all('/api/embed/*', (c) => proxy(c.req.raw));
  return app;
}
