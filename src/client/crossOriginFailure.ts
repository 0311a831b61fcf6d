import type { PingAnswer } from '../shared/contract.ts';
import { EmbedError } from '../shared/errors.ts';

/** What a call the browser refused leaves to go on. */
export interface CrossOriginFailure {
  doFetch: typeof fetch;
  /** The client's `baseUrl`, where the proxy's ping is. */
  baseUrl: string;
  method: string;
  url: string;
  /** The page's origin and the proxy's. */
  here: string;
  there: string;
  cause: unknown;
  /** The client's own memory of its last ping (one per client, so clients of two proxies never mix). */
  memo: PingMemo;
}

/** Where a client keeps its last ping. */
export interface PingMemo {
  last?: { at: number; answer: Promise<PingAnswer | undefined> } | undefined;
}

/**
 * The proxy's ping (`GET <baseUrl>/ping`, readable from any origin), or undefined when it cannot be
 * read (down, unreachable, or not this kit's proxy). Asked at most once per 30 s per client,
 * however many calls fail meanwhile.
 */
function ping(doFetch: typeof fetch, baseUrl: string, memo: PingMemo): Promise<PingAnswer | undefined> {
  const now = Date.now();
  if (memo.last && now - memo.last.at < 30_000) return memo.last.answer;
  const answer = (async () => {
    try {
      const res = await doFetch(`${baseUrl}/ping`, { method: 'GET', credentials: 'omit', cache: 'no-store', signal: AbortSignal.timeout(3_000) });
      const body = (await res.json()) as Partial<PingAnswer>;
      return res.ok && body.service === 'airbyte-embed-kit' && typeof body.originAllowed === 'boolean' ? { service: body.service, originAllowed: body.originAllowed } : undefined;
    } catch {
      return undefined;
    }
  })();
  memo.last = { at: now, answer };
  return answer;
}

/**
 * Why a cross-origin call failed, for the developer: a browser tells a page nothing more about a
 * refused cross-origin request than about a proxy that is down, and the proxy's ping tells them
 * apart. Its own chunk, loaded only on this error path, so the messages weigh nothing until then.
 */
export async function crossOriginFailure({ doFetch, baseUrl, method, url, here, there, cause, memo }: CrossOriginFailure): Promise<EmbedError> {
  const answer = await ping(doFetch, baseUrl, memo);
  if (answer?.originAllowed === false) {
    return new EmbedError(
      'origin_not_allowed',
      `The proxy at ${there} is up but does not allow this page's origin ${here} (CORS), so the browser refused its answers. Add ${here} to the proxy's allowedOrigins, or serve the proxy from ${here}.`,
      { status: 0, cause },
    );
  }
  if (answer) {
    return new EmbedError(
      'upstream_unavailable',
      `The proxy at ${there} is up and allows this origin, but the browser could not read its answer to ${method} ${new URL(url, here).pathname}: usually a session token minted for another origin (mint it with allowedOrigin ${here}), or a server in front of the proxy that answered without CORS headers (a 502 or 504).`,
      { status: 0, cause },
    );
  }
  return new EmbedError('upstream_unavailable', `Could not reach the proxy at ${there}: it is down or unreachable from this page (check baseUrl, and that a Content-Security-Policy connect-src allows ${there}).`, { status: 0, cause });
}
