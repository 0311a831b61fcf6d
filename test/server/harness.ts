/**
 * A proxy wired to an in-process emulator (no sockets): tests call the proxy with `new Request()`.
 */
import templatesJson from '../../demo/templates.json';
import { AirbyteClient } from '../../src/server/airbyteClient.ts';
import { createEmbedProxy, type EmbedProxyOptions, type LogEntry } from '../../src/server/proxy.ts';
import type { ProxyStore } from '../../src/server/store/proxyStore.ts';
import { freshEmbeddedStore } from '../fixtures/stores.ts';
import { createSessionToken } from '../../src/server/sessionToken.ts';
import { parseTemplates } from '../../src/server/templates.ts';
import { createAirbyteEmulatorHandler, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, type AirbyteEmulatorOptions } from '../../src/testing/emulator.ts';

export const ORIGIN = 'https://app.example.com';
export const SESSION_SECRET = 'test-session-secret-0123456789abcdef0123456789';
export const EMULATOR_URL = 'http://emulator.test/v1';

export interface HarnessOptions {
  templates?: unknown;
  /** Default: a fresh embedded store. */
  store?: ProxyStore;
  operatorKey?: string;
  proxy?: Partial<EmbedProxyOptions>;
  /** Return a Response to replace the emulator's answer for that request. */
  intercept?: (request: Request) => Response | undefined | Promise<Response | undefined>;
  emulator?: AirbyteEmulatorOptions;
  /** The Airbyte application secret (both sides); default the emulator's. */
  clientSecret?: string;
}

export async function harness(options: HarnessOptions = {}) {
  const clock = { now: Date.parse('2026-11-23T06:00:00Z') };
  const clientSecret = options.clientSecret ?? DEFAULT_CLIENT_SECRET;
  const emulatorHandler = await createAirbyteEmulatorHandler({ jobDurationMs: 10_000, discoverMs: 0, now: () => clock.now, clientSecret, ...options.emulator });
  const { calls } = emulatorHandler;
  const emulator = emulatorHandler.handle;
  const fetchImpl: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    return (await options.intercept?.(request.clone())) ?? emulator(request);
  };
  const airbyte = new AirbyteClient({ baseUrl: EMULATOR_URL, clientId: DEFAULT_CLIENT_ID, clientSecret, fetch: fetchImpl, now: () => clock.now, retryDelayMs: 1 });
  const logs: LogEntry[] = [];
  const templates = parseTemplates(structuredClone(options.templates ?? templatesJson));
  const store = options.store ?? (await freshEmbeddedStore());
  const proxy = createEmbedProxy({
    airbyte,
    sessionSecret: SESSION_SECRET,
    templates,
    store,
    operatorKey: options.operatorKey,
    log: (e) => logs.push(e),
    now: () => clock.now,
    // Call-counting tests see every Airbyte call a request makes; the start-up check has its own tests.
    checkAirbyteOnStart: false,
    ...options.proxy,
  });

  async function token(customerId = 'customer-a', allowedOrigin = ORIGIN, expiresIn = 900) {
    return createSessionToken({ secret: SESSION_SECRET, customerId, allowedOrigin, expiresIn });
  }

  async function call(method: string, path: string, init: { token?: string | null; body?: unknown; origin?: string | null; headers?: Record<string, string>; idempotencyKey?: string } = {}) {
    const headers = new Headers(init.headers);
    const tok = init.token === undefined ? await token() : init.token;
    if (init.idempotencyKey) headers.set('idempotency-key', init.idempotencyKey);
    if (tok) headers.set('authorization', `Bearer ${tok}`);
    if (init.origin !== null) headers.set('origin', init.origin ?? ORIGIN);
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    const response = await proxy(
      new Request(`${ORIGIN}/api/embed${path}`, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) }),
    );
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
  }

  /** Reads the emulator's state directly, as an operator would through the Airbyte API. */
  async function upstream(path: string) {
    const auth = await emulator(new Request(`${EMULATOR_URL}/applications/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: DEFAULT_CLIENT_ID, client_secret: clientSecret }),
    }));
    const { access_token } = (await auth.json()) as { access_token: string };
    const res = await emulator(new Request(`${EMULATOR_URL}${path}`, { headers: { authorization: `Bearer ${access_token}` } }));
    return res.json() as Promise<any>;
  }

  return { proxy, call, token, upstream, calls, logs, clock, airbyte, store, emulator: emulatorHandler };
}
