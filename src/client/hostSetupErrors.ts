import { EmbedError } from '../shared/errors.ts';

/**
 * A host's setup errors, as the developer reads them in the console (the customer reads only that
 * the page is not set up). Their own chunk, loaded by the ProxyClient only on these paths.
 */

/**
 * An answer that is not the proxy's JSON: usually a wrong `baseUrl` that a single-page app's
 * fallback answers with its index.html (`Unexpected token '<'` otherwise).
 */
export function answeredHtml(status: number, contentType: string | null, url: string): EmbedError {
  return new EmbedError('host_misconfigured', `The proxy URL ${url} answered ${status} with ${contentType || 'no content type'}, not JSON: check baseUrl (the proxy's base path, e.g. /api/embed).`, { status: 0 });
}

/** The host's own 404/405 for a kit call (not the proxy's `{ error: { code, message } }`): the request did not reach the proxy. */
export function notTheProxy(status: number, url: string, body: unknown): EmbedError {
  const seen = body === undefined ? 'no JSON' : `JSON that is not the proxy's (${JSON.stringify(body).slice(0, 80)})`;
  return new EmbedError(
    'host_misconfigured',
    `The proxy URL ${url} answered ${status} with ${seen}: the request did not reach the proxy. Check baseUrl (the proxy's base path, e.g. /api/embed) and that the proxy is mounted there, with a matching basePath in createEmbedProxy.`,
    { status: 0 },
  );
}

/** A token refused as expired again right after `getSessionToken({ refresh: true })`. */
export function expiredAgain(again: EmbedError): EmbedError {
  return new EmbedError(
    'session_expired',
    `${again.message} The token getSessionToken({ refresh: true }) returned had expired too: mint a new one on every call (createSessionToken in the token route, not a token kept past its expiresIn), and check the two servers' clocks.`,
    { status: again.status, ...(again.requestId ? { requestId: again.requestId } : {}) },
  );
}

/** `getSessionToken` threw or rejected (its route down, a 500, HTML where JSON was read…). */
export function tokenRouteFailed(cause: unknown): EmbedError {
  return new EmbedError(
    'session_unavailable',
    `getSessionToken failed: ${(cause as Error)?.message ?? String(cause)}. Is the host's token route up, answering 2xx with the JSON the function reads?`,
    { status: 0, cause },
  );
}

/** `getSessionToken` resolved to something that is not a token string. */
export function notAToken(token: unknown): EmbedError {
  const got = token === undefined ? 'nothing' : token === null ? 'null' : typeof token === 'string' ? 'an empty string' : typeof token === 'object' ? 'an object' : `a ${typeof token}`;
  return new EmbedError('session_unavailable', `getSessionToken returned ${got} instead of a token: return the string createSessionToken() made.`, { status: 0 });
}
