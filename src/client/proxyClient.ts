import { buildPath, IDEMPOTENCY_HEADER, isOnboardingPending, routes, type OnboardingPending, type OnboardingResult, type RouteBody, type RouteName, type RouteSuccess } from '../shared/contract.ts';
import { EmbedError } from '../shared/errors.ts';
import type { PingMemo } from './crossOriginFailure.ts';

export interface ProxyClientOptions {
  /** URL of the proxy's base path, e.g. `/api/embed` or `https://api.example.com/api/embed`. */
  baseUrl: string;
  /**
   * Returns the session token the host backend minted for this customer. Called before the first
   * request and again (with `{ refresh: true }`) when the proxy says the session expired.
   */
  getSessionToken: (options: { refresh: boolean }) => string | Promise<string>;
  fetch?: typeof fetch | undefined;
}

/**
 * A framework-free client for the proxy's customer API, typed by the shared contract. Errors are
 * {@link EmbedError}s carrying the proxy's code, message and per-field errors. The React hooks are
 * a thin layer over it; use it directly for a non-React UI.
 */
export class ProxyClient {
  /** The session token being used (or fetched). Shared by concurrent calls, so one refresh serves all. */
  private token: Promise<string> | undefined;
  private readonly baseUrl: string;
  private readonly pingMemo: PingMemo = {};

  constructor(private readonly options: ProxyClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  listTemplates() {
    return this.call('listTemplates', {});
  }

  getTemplate(templateId: string) {
    return this.call('getTemplate', { templateId });
  }

  /**
   * Onboards a source. Pass the same `idempotencyKey` when retrying the same submission: the proxy
   * then resumes it instead of creating anything twice.
   */
  createSource(body: RouteBody<'createSource'>, options: { idempotencyKey?: string } = {}) {
    return this.call('createSource', {}, body, options.idempotencyKey ? { [IDEMPOTENCY_HEADER]: options.idempotencyKey } : {});
  }

  /**
   * Onboards a source and waits for its outcome. When the proxy answers 202 `running` (a slow
   * credentials check: a discover can take minutes), it polls {@link getOnboarding} every `pollMs`
   * (default 1 s) until the onboarding ends. Resolves with the result, or with a `needs_streams`
   * answer: show the streams, then call again with `streams` and the same `idempotencyKey`.
   * Rejects with the onboarding's {@link EmbedError} (`check_failed` carries the connector's words).
   */
  async connectSource(body: RouteBody<'createSource'>, options: { idempotencyKey: string; pollMs?: number; signal?: AbortSignal }): Promise<OnboardingResult | OnboardingPending> {
    return this.settle(await this.createSource(body, options), options);
  }

  /**
   * "Finish setup": resumes an onboarding that stopped midway (its key comes from the sources
   * list's `setup`), server side, and waits for its outcome like {@link connectSource}: the
   * result, or `needs_streams` (call again with `streams`). The browser needs nothing it typed.
   */
  async resumeOnboarding(onboardingKey: string, body: RouteBody<'resumeOnboarding'> = {}, options: { pollMs?: number; signal?: AbortSignal } = {}): Promise<OnboardingResult | OnboardingPending> {
    const first = await this.call('resumeOnboarding', { key: onboardingKey }, body);
    return this.settle(first, options);
  }

  /** "Remove" for an unfinished setup: deletes what it made in Airbyte; it no longer shows. */
  removeOnboarding(onboardingKey: string) {
    return this.call('removeOnboarding', { key: onboardingKey });
  }

  /** Polls a 202 `running` answer to its end (see {@link connectSource}). */
  private async settle(first: OnboardingResult | OnboardingPending, options: { pollMs?: number; signal?: AbortSignal }): Promise<OnboardingResult | OnboardingPending> {
    if (!isOnboardingPending(first) || first.status === 'needs_streams') return first;
    for (;;) {
      await pause(options.pollMs ?? 1000, options.signal);
      const progress = await this.getOnboarding(first.onboardingKey, { signal: options.signal });
      if (progress.status === 'succeeded' && progress.result) return progress.result;
      if (progress.status === 'needs_streams') return { status: 'needs_streams', onboardingKey: first.onboardingKey, streams: progress.streams ?? [] };
      if ((progress.status === 'failed' || progress.status === 'stalled') && progress.error) throw new EmbedError(progress.error.code, progress.error.message, { requestId: progress.error.requestId });
    }
  }

  /** Starts "Sign in with …" for a template: the consent URL to open, and the flow id the callback page answers with. */
  startOAuth(body: RouteBody<'startOAuth'>) {
    return this.call('startOAuth', {}, body);
  }

  /** Gives an existing source the tokens of a new sign-in ("Reconnect"). */
  reconnectSource(sourceId: string, grantId: string) {
    return this.call('reconnectSource', { sourceId }, { oauth: { grantId } });
  }

  /** The origin the proxy's pages (the sign-in callback) are served from. */
  proxyOrigin(): string {
    return new URL(this.baseUrl, globalThis.location?.href ?? 'http://localhost').origin;
  }

  /** Every stream a connection's source discovers, with what it syncs now. */
  getConnectionStreams(connectionId: string) {
    return this.call('getConnectionStreams', { connectionId });
  }

  /** Changes which streams a connection syncs (where its template lets the customer choose). */
  updateConnectionStreams(connectionId: string, body: RouteBody<'updateConnectionStreams'>) {
    return this.call('updateConnectionStreams', { connectionId }, body);
  }

  getConnection(connectionId: string) {
    return this.call('getConnection', { connectionId });
  }

  listSources() {
    return this.call('listSources', {});
  }

  getSource(sourceId: string) {
    return this.call('getSource', { sourceId });
  }

  updateSource(sourceId: string, body: RouteBody<'updateSource'>) {
    return this.call('updateSource', { sourceId }, body);
  }

  deleteSource(sourceId: string) {
    return this.call('deleteSource', { sourceId });
  }

  startSync(connectionId: string) {
    return this.call('startSync', { connectionId });
  }

  listJobs(connectionId: string) {
    return this.call('listJobs', { connectionId });
  }

  /** How far the `createSource` sent with this idempotency key has got (poll it while that call runs). */
  getOnboarding(idempotencyKey: string, options: { signal?: AbortSignal } = {}) {
    return this.call('getOnboarding', { key: idempotencyKey }, undefined, {}, options.signal);
  }

  private async call<R extends RouteName>(name: R, params: Record<string, string>, body?: RouteBody<R>, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<RouteSuccess<R>> {
    const route = routes[name];
    const url = `${this.baseUrl}${buildPath(route.path, params)}`;
    const used = this.currentToken();
    let res = await this.send(route.method, url, body, await used, headers, signal);
    if (res.status === 401) {
      const err = await this.errorFrom(res);
      if (err.code !== 'session_expired') throw err;
      res = await this.send(route.method, url, body, await this.refreshedToken(used), headers, signal);
      if (res.status === 401) {
        const again = await this.errorFrom(res);
        if (again.code !== 'session_expired') throw again;
        throw (await setupErrors())?.expiredAgain(again) ?? again;
      }
    }
    if (!res.ok) throw await this.errorFrom(res, url);
    if (/html/i.test(res.headers.get('content-type') ?? '')) throw await notJson(res, url);
    try {
      return (await res.json()) as RouteSuccess<R>;
    } catch (cause) {
      throw Object.assign(await notJson(res, url), { cause });
    }
  }

  private currentToken(): Promise<string> {
    this.token ??= this.askHost(false);
    return this.token;
  }

  /**
   * A new token after `stale` was refused as expired. Several calls refused at once share one
   * request to the host: only the first replaces the token they all used.
   */
  private refreshedToken(stale: Promise<string>): Promise<string> {
    // Another call's refresh may have failed and been forgotten: then ask again.
    if (this.token === stale || !this.token) this.token = this.askHost(true);
    return this.token;
  }

  private askHost(refresh: boolean): Promise<string> {
    const asked = (async () => {
      try {
        let token: unknown;
        try {
          token = await this.options.getSessionToken({ refresh });
        } catch (cause) {
          throw (await setupErrors())?.tokenRouteFailed(cause) ?? new EmbedError('session_unavailable', `getSessionToken failed: ${String(cause)}`, { status: 0, cause });
        }
        if (typeof token !== 'string' || !token.trim()) {
          throw (await setupErrors())?.notAToken(token) ?? new EmbedError('session_unavailable', 'getSessionToken returned no token.', { status: 0 });
        }
        return token;
      } catch (error) {
        if (error instanceof EmbedError) throw error;
        throw new EmbedError('session_unavailable', 'Could not start a session. Reload the page and try again.', { status: 0, cause: error });
      }
    })();
    // A failed ask is not cached: the next call asks the host again.
    asked.catch(() => {
      if (this.token === asked) this.token = undefined;
    });
    return asked;
  }

  private async send(method: string, url: string, body: unknown, token: string, extraHeaders: Record<string, string>, signal?: AbortSignal): Promise<Response> {
    const doFetch = this.options.fetch ?? globalThis.fetch.bind(globalThis);
    try {
      return await doFetch(url, {
        method,
        headers: {
          ...extraHeaders,
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (cause) {
      if (signal?.aborted) throw cause;
      const here = (globalThis as { location?: { origin?: string } }).location?.origin;
      const there = new URL(url, here ?? 'http://localhost').origin;
      if (here === undefined || there === here) {
        throw new EmbedError('upstream_unavailable', 'Could not reach the connection service. Check your internet connection and try again.', { status: 0, cause });
      }
      // Which of down, refusing this origin, or a token for another origin: asked of the proxy's
      // ping by code loaded only now. Should that code not load either, the short answer.
      const diagnosis = await import('./crossOriginFailure.ts').then(
        (m) => m.crossOriginFailure({ doFetch, baseUrl: this.baseUrl, method, url, here, there, cause, memo: this.pingMemo }),
        () => new EmbedError('upstream_unavailable', `Could not reach the proxy at ${there}.`, { status: 0, cause }),
      );
      if (signal?.aborted) throw cause;
      throw diagnosis;
    }
  }

  private async errorFrom(res: Response, url?: string): Promise<EmbedError> {
    if (url && !isJson(res) && /html/i.test(res.headers.get('content-type') ?? '')) return notJson(res, url);
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    // A 404 or 405 that is not the proxy's own answer (its `{ error: { code, message } }`): the host's
    // router answered, so baseUrl, or where the proxy is mounted, is wrong. The customer would
    // otherwise read "This item no longer exists".
    if (url && (res.status === 404 || res.status === 405) && !EmbedError.isBody(body)) {
      return (await setupErrors())?.notTheProxy(res.status, url, body) ?? new EmbedError('host_misconfigured', `${url} answered ${res.status}, not as the proxy: check baseUrl.`, { status: 0 });
    }
    return EmbedError.fromBody(res.status, body);
  }
}

const isJson = (res: Response) => /\bjson\b/i.test(res.headers.get('content-type') ?? '');

/**
 * The messages of a host's setup errors, in a chunk loaded only on that path (a page that works
 * never downloads them); undefined if even that chunk cannot load.
 */
const setupErrors = () => import('./hostSetupErrors.ts').catch(() => undefined);

/** An answer that is not the proxy's JSON (an SPA's index.html for a wrong baseUrl). */
async function notJson(res: Response, url: string): Promise<EmbedError> {
  return (await setupErrors())?.answeredHtml(res.status, res.headers.get('content-type'), url) ?? new EmbedError('host_misconfigured', `${url} did not answer JSON: check baseUrl.`, { status: 0 });
}

/** Waits `ms`, or rejects when `signal` aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}
