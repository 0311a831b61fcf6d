import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { WebhookEvent } from './events.ts';

/** A request as Node frameworks give it: headers and the raw body (not a re-serialized JSON object). */
export interface RawWebhookRequest {
  headers: Record<string, string | string[] | undefined> | Headers;
  body: string | Uint8Array;
}

/** Why a webhook was refused by {@link verifyWebhook}: answer it with 400 and do not act on it. */
export class WebhookSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookSignatureError';
  }
}

function headerRecord(headers: RawWebhookRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  // Any Fetch Headers, also another copy's (undici's, node-fetch's): Object.entries of one is empty.
  const fetchHeaders = headers as { forEach?: unknown };
  if (headers instanceof Headers || typeof fetchHeaders.forEach === 'function') {
    (headers as unknown as Headers).forEach((value, key) => (out[key.toLowerCase()] = value));
    return out;
  }
  for (const [key, value] of Object.entries(headers)) if (value !== undefined) out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/**
 * Checks a webhook from the proxy and returns its event: the `webhook-signature` must be the
 * HMAC of `webhook-id.webhook-timestamp.body` under one of `secret` (pass both during a rotation),
 * and the timestamp within 5 minutes of this machine's clock (a replayed old message is refused).
 * Verified with the `standardwebhooks` library. Throws {@link WebhookSignatureError} otherwise.
 *
 * Trap: pass the body exactly as received (`express.raw()`, `await request.text()`): a body parsed
 * and serialized again no longer matches its signature. Deduplicate on `event.id` (equal to the
 * `webhook-id` header): delivery is at least once.
 */
export async function verifyWebhook<D = Record<string, unknown>>(request: Request | RawWebhookRequest, secret: string | string[]): Promise<WebhookEvent<D>> {
  // A Fetch Request, also one of another copy of the Fetch classes (undici's): it reads its own body.
  const isRequest = (r: Request | RawWebhookRequest): r is Request => r instanceof Request || (typeof (r as { text?: unknown }).text === 'function' && typeof (r as { bodyUsed?: unknown }).bodyUsed === 'boolean');
  const secrets = (Array.isArray(secret) ? secret : [secret]).filter((s) => typeof s === 'string' && s.length > 0);
  if (!secrets.length) throw new WebhookSignatureError('verifyWebhook: no secret given; pass the endpoint secret the operator API showed (whsec_…).');
  if (!isRequest(request) && typeof request.body !== 'string' && !(request.body instanceof Uint8Array)) {
    throw new WebhookSignatureError('verifyWebhook: the body must be the raw text or bytes as received (e.g. express.raw({ type: "application/json" })), not a parsed object.');
  }
  if (isRequest(request) && request.bodyUsed) {
    throw new WebhookSignatureError('verifyWebhook: the request body was already read (e.g. by request.json()); pass the request before reading it, or { headers, body } with the raw text you read.');
  }
  const body = isRequest(request) ? await request.text() : typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body);
  const headers = headerRecord(request.headers);
  let lastProblem = 'No matching signature found';
  for (const s of secrets) {
    let hook: Webhook;
    try {
      hook = new Webhook(s);
    } catch {
      throw new WebhookSignatureError('verifyWebhook: a secret is not a Standard Webhooks secret (whsec_ and base64).');
    }
    try {
      const event = hook.verify(body, headers) as WebhookEvent<D>;
      if (!event || typeof event !== 'object' || event.id !== headers['webhook-id']) throw new WebhookSignatureError('The signed body is not an event of this webhook id.');
      return event;
    } catch (error) {
      if (!(error instanceof WebhookVerificationError) && !(error instanceof WebhookSignatureError)) throw new WebhookSignatureError(`The webhook body is not JSON: ${(error as Error).message}`);
      lastProblem = error.message;
      // A stale or missing header fails the same way for every secret.
      if (lastProblem !== 'No matching signature found') break;
    }
  }
  throw new WebhookSignatureError(`Webhook refused: ${lastProblem === 'No matching signature found' ? 'the signature matches none of the secrets (a wrong secret, or the body was changed)' : lastProblem.toLowerCase()}.`);
}
