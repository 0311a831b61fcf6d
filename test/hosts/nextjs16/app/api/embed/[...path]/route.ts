/**
 * Next.js App Router: app/api/embed/[...path]/route.ts. A route handler receives a web Request,
 * which is exactly what the proxy takes. Runs on the Node.js runtime (the store uses Node APIs).
 * The proxy is created on the first request, not when the module loads: `next build` imports
 * this file, and must work without EMBED_SESSION_SECRET and without creating the store's folder.
 */
import { createEmbedProxy, createPostgresStore, loadTemplatesFile, type FetchHandler } from 'airbyte-embed-kit/server';

let proxy: Promise<FetchHandler> | undefined;

function getProxy(): Promise<FetchHandler> {
  proxy ??= (async () =>
    createEmbedProxy({
      airbyte: {
        baseUrl: process.env.AIRBYTE_API_URL ?? 'https://api.airbyte.com/v1',
        clientId: process.env.AIRBYTE_CLIENT_ID!,
        clientSecret: process.env.AIRBYTE_CLIENT_SECRET!,
      },
      sessionSecret: process.env.EMBED_SESSION_SECRET!,
      // PostgreSQL when configured; otherwise the embedded store in EMBED_DATA_DIR (default .airbyte-embed-kit).
      store: process.env.DATABASE_URL ? createPostgresStore({ connectionString: process.env.DATABASE_URL }) : undefined,
      dataDir: process.env.EMBED_DATA_DIR,
      templates: process.env.AIRBYTE_TEMPLATES_FILE ? await loadTemplatesFile(process.env.AIRBYTE_TEMPLATES_FILE) : undefined,
    }))();
  // A failed start (e.g. a missing secret) fails this request, with the reason in the server log, and is tried again on the next.
  proxy.catch(() => (proxy = undefined));
  return proxy;
}

export const runtime = 'nodejs';
export const GET = async (request: Request) => (await getProxy())(request);
export const POST = GET;
export const PATCH = GET;
export const DELETE = GET;
export const OPTIONS = GET;
