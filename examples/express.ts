/**
 * Mounting the proxy in an Express 5 app. The proxy reads the raw body itself, so it is mounted
 * before `express.json()` (which would consume it); your own routes follow as usual.
 */
import express from 'express';
import { createSessionToken, toNodeListener, type FetchHandler } from 'airbyte-embed-kit/server';

export function createExpressApp(proxy: FetchHandler, options: { sessionSecret: string; allowedOrigin: string; currentCustomerId: (req: express.Request) => string }) {
  const app = express();
  const embed = toNodeListener(proxy);
  app.all('/api/embed/{*rest}', (req, res) => embed(req, res));
  app.use(express.json());
  // Your backend mints a session token for the signed-in customer.
  app.post('/my-backend/airbyte-session', async (req, res) => {
    const token = await createSessionToken({ secret: options.sessionSecret, customerId: options.currentCustomerId(req), allowedOrigin: options.allowedOrigin });
    res.json({ token });
  });
  return app;
}
