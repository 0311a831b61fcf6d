import { createSessionToken } from 'airbyte-embed-kit/server';

export const runtime = 'nodejs';

// The host's token route: after its own login check, a session for the signed-in customer,
// bound to the page's origin (APP_ORIGIN).
export async function POST() {
  const secret = process.env.EMBED_SESSION_SECRET;
  const allowedOrigin = process.env.APP_ORIGIN;
  if (!secret || !allowedOrigin) return Response.json({ error: 'EMBED_SESSION_SECRET and APP_ORIGIN must be set on the server' }, { status: 500 });
  const token = await createSessionToken({ secret, customerId: 'host-customer-1', allowedOrigin });
  return Response.json({ token }, { headers: { 'cache-control': 'no-store' } });
}
