import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { EmbedError } from '../shared/errors.ts';

const AUDIENCE = 'airbyte-embed-kit';
const ISSUER = 'airbyte-embed-kit/server';

export interface SessionTokenOptions {
  /** The signing secret shared by the host backend and the proxy; at least 32 characters. */
  secret: string;
  /** The host product's stable id for the customer (tenant). Every proxy call is scoped to it. */
  customerId: string;
  /** The exact origin (scheme://host[:port]) of the page allowed to use the token. */
  allowedOrigin: string;
  /** Lifetime in seconds; default 900 (15 minutes). */
  expiresIn?: number;
  /** Show only source templates with these tags (see `templateTagsMode`); default: all templates. */
  templateTags?: string[];
  /** `any` (default): a template needs one of the tags; `all`: every one. */
  templateTagsMode?: 'any' | 'all';
}

/** What a verified session token grants. */
export interface Session {
  customerId: string;
  allowedOrigin: string;
  expiresAt: number;
  templateTags?: string[];
  templateTagsMode?: 'any' | 'all';
}

function key(secret: string): Uint8Array {
  if (typeof secret !== 'string' || secret.length < 32) {
    throw new Error('The session secret must be a string of at least 32 characters (e.g. `openssl rand -hex 32`).');
  }
  // Uint8Array.from: a TextEncoder from another realm (jsdom, some edge runtimes) fails jose's instanceof check.
  return Uint8Array.from(new TextEncoder().encode(secret));
}

function normalizeOrigin(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    throw new Error(`allowedOrigin must be an origin such as https://app.example.com, got "${origin}".`);
  }
}

/**
 * Mints the short-lived token the browser holds: an HS256 JWT bound to one customer and one
 * origin. Call it in the host app's backend after your own login check, and hand the result to
 * the widget. Trap: never mint from a customer id the browser sent you unchecked.
 */
export async function createSessionToken(options: SessionTokenOptions): Promise<string> {
  if (!options.customerId) throw new Error('createSessionToken needs a non-empty customerId.');
  const tags = options.templateTags?.length ? { tags: options.templateTags, tagsMode: options.templateTagsMode ?? 'any' } : {};
  return new SignJWT({ origin: normalizeOrigin(options.allowedOrigin), ...tags })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.customerId)
    .setAudience(AUDIENCE)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${options.expiresIn ?? 900}s`)
    .sign(key(options.secret));
}

/** Verifies a session token; throws an {@link EmbedError} (`unauthorized` or `session_expired`). */
export async function verifySessionToken(token: string, secret: string): Promise<Session> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { audience: AUDIENCE, issuer: ISSUER, algorithms: ['HS256'] });
    if (typeof payload.sub !== 'string' || typeof payload.origin !== 'string' || typeof payload.exp !== 'number') {
      throw new EmbedError('unauthorized', 'The session token is missing its customer or origin. Mint it with createSessionToken().');
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
    throw new EmbedError('unauthorized', 'The session token is invalid. Ask the host app for a new session token.');
  }
}
