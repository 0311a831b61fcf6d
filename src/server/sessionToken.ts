import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { EmbedError } from '../shared/errors.ts';

const AUDIENCE = 'airbyte-embed-kit';
const ISSUER = 'airbyte-embed-kit/server';

export interface SessionTokenOptions {
  /** The signing secret shared by the host backend and the proxy; at least 32 characters. */
  secret: string;
  /** The host product's stable id for the customer (tenant). Every proxy call is scoped to it. */
  customerId: string;
  /** The exact origin (`http(s)://host[:port]`, no path) of the page allowed to use the token. */
  allowedOrigin: string;
  /** Lifetime in seconds; default 900 (15 minutes), at most 86,400 (24 hours). */
  expiresIn?: number | undefined;
  /** Show only source templates with these tags (see `templateTagsMode`); default: all templates. */
  templateTags?: string[] | undefined;
  /** `any` (default): a template needs one of the tags; `all`: every one. */
  templateTagsMode?: 'any' | 'all' | undefined;
}

/** What a verified session token grants. */
export interface Session {
  customerId: string;
  allowedOrigin: string;
  expiresAt: number;
  templateTags?: string[] | undefined;
  templateTagsMode?: 'any' | 'all' | undefined;
}

/**
 * Refuses a session secret that is missing (an unset variable: said so, naming it) or shorter
 * than 32 characters. `who` starts the message: the proxy's option or the token's.
 */
export function checkSessionSecret(secret: unknown, who: string): void {
  if (secret === undefined || secret === null || secret === '') {
    throw new Error(`${who} is missing (got ${secret === '' ? 'an empty string' : String(secret)}). Pass the secret the proxy and your backend share, e.g. from process.env.EMBED_SESSION_SECRET, and set that variable where the server runs (make one with \`openssl rand -hex 32\`).`);
  }
  if (typeof secret !== 'string' || secret.length < 32) {
    throw new Error(`${who} must be a string of at least 32 characters (got ${typeof secret === 'string' ? `${secret.length}` : `a ${typeof secret}`}); make one with \`openssl rand -hex 32\`.`);
  }
}

function key(secret: string): Uint8Array {
  checkSessionSecret(secret, 'The session secret');
  // Uint8Array.from: a TextEncoder from another realm (jsdom, some edge runtimes) fails jose's instanceof check.
  return Uint8Array.from(new TextEncoder().encode(secret));
}

/** The longest a session token may live: the widget refreshes tokens, so long ones only widen a leak. */
export const MAX_SESSION_SECONDS = 24 * 60 * 60;

/**
 * The origin a token is bound to: `http(s)://host[:port]` exactly, nothing else. Opaque origins
 * (`null`, from `file://`, `data:`, sandboxed iframes) are shared by every such page, so a token
 * bound to one would work from any of them; a path or query means the caller passed a page URL.
 */
export function checkOrigin(origin: unknown): string {
  const fail = (why: string) => new Error(`allowedOrigin must be the page's origin, http(s)://host[:port], such as https://app.example.com: ${why}.`);
  if (typeof origin !== 'string' || !origin) throw fail('none given');
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw fail(`"${origin.slice(0, 100)}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw fail(`"${origin.slice(0, 100)}" is not an http(s) origin (opaque origins such as file:, data: or null match any such page)`);
  if (url.username || url.password) throw fail('it must not carry a user name or password');
  if (origin.replace(/\/$/, '') !== url.origin) throw fail(`"${origin.slice(0, 100)}" has a path, query or fragment; pass ${url.origin}`);
  return url.origin;
}

/** A customer id the proxy can name a workspace after: 1 to 200 characters, no control characters. */
function checkCustomerId(customerId: unknown): string {
  if (typeof customerId !== 'string' || !customerId.trim() || customerId.length > 200 || /[\u0000-\u001f\u007f]/.test(customerId)) {
    throw new Error('createSessionToken needs a customerId of 1 to 200 characters without control characters (your own stable id for the customer).');
  }
  return customerId;
}

/**
 * Mints the short-lived token the browser holds: an HS256 JWT bound to one customer and one
 * origin. Call it in the host app's backend after your own login check, and hand the result to
 * the widget. Trap: never mint from a customer id the browser sent you unchecked.
 */
export async function createSessionToken(options: SessionTokenOptions): Promise<string> {
  const customerId = checkCustomerId(options.customerId);
  const origin = checkOrigin(options.allowedOrigin);
  const expiresIn = options.expiresIn ?? 900;
  if (!Number.isFinite(expiresIn) || expiresIn > MAX_SESSION_SECONDS) {
    throw new Error(`createSessionToken: expiresIn is ${expiresIn} s; at most ${MAX_SESSION_SECONDS} (24 hours) is allowed. The widget asks for a new token when one expires.`);
  }
  const tags = options.templateTags?.length ? { tags: options.templateTags, tagsMode: options.templateTagsMode ?? 'any' } : {};
  return new SignJWT({ origin, ...tags })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(customerId)
    .setAudience(AUDIENCE)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${Math.round(expiresIn)}s`)
    .sign(key(options.secret));
}

/** Verifies a session token; throws an {@link EmbedError} (`unauthorized` or `session_expired`). */
export async function verifySessionToken(token: string, secret: string): Promise<Session> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { audience: AUDIENCE, issuer: ISSUER, algorithms: ['HS256'] });
    if (typeof payload.sub !== 'string' || typeof payload.origin !== 'string' || typeof payload.exp !== 'number') {
      throw new EmbedError('unauthorized', 'The session token is missing its customer or origin. Mint it with createSessionToken().');
    }
    // Tokens minted before these rules (or by hand) are held to them too.
    try {
      checkOrigin(payload.origin);
    } catch {
      throw new EmbedError('unauthorized', 'The session token is bound to an origin no page can prove (such as "null"). Mint it for the page\'s http(s) origin.');
    }
    if (typeof payload.iat === 'number' && payload.exp - payload.iat > MAX_SESSION_SECONDS) {
      throw new EmbedError('unauthorized', 'The session token lives longer than 24 hours. Mint a shorter one with createSessionToken().');
    }
    const tags = Array.isArray(payload.tags) ? (payload.tags as string[]) : undefined;
    return {
      customerId: payload.sub,
      allowedOrigin: payload.origin,
      expiresAt: payload.exp * 1000,
      ...(tags ? { templateTags: tags, templateTagsMode: payload.tagsMode === 'all' ? ('all' as const) : ('any' as const) } : {}),
    };
  } catch (error) {
    if (error instanceof EmbedError) throw error;
    if (error instanceof joseErrors.JWTExpired) {
      throw new EmbedError('session_expired', 'The session has expired. Ask the host app for a new session token.');
    }
    // Which check failed says what the host's developer fixes; none of it helps forge a token.
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
      throw new EmbedError('unauthorized', "The session token's signature does not match this proxy's sessionSecret: the route that mints tokens (createSessionToken({ secret })) must use the same secret as createEmbedProxy({ sessionSecret }).");
    }
    if (error instanceof joseErrors.JWTClaimValidationFailed) {
      throw new EmbedError('unauthorized', `The session token's "${error.claim}" claim is not this kit's (${error.reason}): mint it with createSessionToken() from airbyte-embed-kit/server.`);
    }
    if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid || error instanceof joseErrors.JOSEAlgNotAllowed) {
      throw new EmbedError('unauthorized', 'What getSessionToken returned is not a session token from createSessionToken() (not an HS256 JWT): return the token string itself.');
    }
    throw new EmbedError('unauthorized', 'The session token is invalid. Ask the host app for a new session token.');
  }
}
