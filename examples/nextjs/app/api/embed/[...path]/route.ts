/**
 * Next.js App Router: app/api/embed/[...path]/route.ts. A route handler receives a web Request,
 * which is exactly what the proxy takes. Runs on the Node.js runtime (the store uses Node APIs).
 */
import { createEmbedProxy, createPostgresStore, loadTemplatesFile } from 'airbyte-embed-kit/server';

const proxy = createEmbedProxy({
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
});

export const runtime = 'nodejs';
export const GET = (request: Request) => proxy(request);
export const POST = GET;
export const PATCH = GET;
export const DELETE = GET;
export const OPTIONS = GET;
