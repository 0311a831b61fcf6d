/**
 * The emulator's OAuth: Airbyte's two source OAuth flows plus an emulated identity provider with a
 * consent page. Paths below are airbyte-platform (commit 310e6cb6ac0e) files:
 * - public API (Cloud): `POST /sources/initiateOAuth` → consent page → `GET /oauth/callback` →
 *   `redirectUrl?secret_id=…`; the secret is Airbyte's `CompleteOAuthResponse` stored by
 *   `OAuthHandler.writeOAuthResponseSecret`
 *   (airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/handlers/OAuthHandler.kt).
 * - Config API (self-managed): `POST /api/v1/source_oauths/get_consent_url` → consent page →
 *   `redirectUrl?code=…&state=…` → `POST /api/v1/source_oauths/complete_oauth`
 *   (`OAuthHandler.getSourceOAuthConsent`, `completeSourceOAuthHandleReturnSecret`).
 */
import type { ConnectorDefinition } from './connectors.ts';
import type { EmulatorState, OAuthRecord } from './emulatorState.ts';

type Json = Record<string, unknown>;

/**
 * `MoreOAuthParameters.SECRET_MASK` (airbyte-oauth/src/main/kotlin/io/airbyte/oauth/MoreOAuthParameters.kt):
 * what `BaseOAuthFlow.formatOAuthOutput` puts in place of the server outputs (client_id/secret).
 */
export const OAUTH_SECRET_MASK = '******';

/** The parts of a spec's `advancedAuth.oauth_config_specification` the emulator uses. */
export interface OAuthConfigSpec {
  userInput?: Json | undefined;
  output?: Json | undefined;
  serverOutput?: Json | undefined;
  connectorInput?: Json | undefined;
}

/** The `oauth_config_specification` of a definition (snake or camel case), or undefined without advancedAuth. */
export function oauthConfigSpec(def: ConnectorDefinition): OAuthConfigSpec | undefined {
  const aa = def.advancedAuth as Json | undefined;
  const spec = (aa?.oauth_config_specification ?? aa?.oauthConfigSpecification) as Json | undefined;
  if (!spec) return undefined;
  const pick = (snake: string, camel: string) => (spec[snake] ?? spec[camel]) as Json | undefined;
  return {
    userInput: pick('oauth_user_input_from_connector_config_specification', 'oauthUserInputFromConnectorConfigSpecification'),
    output: pick('complete_oauth_output_specification', 'completeOauthOutputSpecification'),
    serverOutput: pick('complete_oauth_server_output_specification', 'completeOauthServerOutputSpecification'),
    connectorInput: pick('oauth_connector_input_specification', 'oauthConnectorInputSpecification'),
  };
}

/**
 * `property → path_in_connector_config` of an OAuth schema, as `OAuthHelper.extractOauthConfigurationPaths`
 * (airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/handlers/helpers/OAuthHelper.kt).
 */
export function oauthPaths(schema: Json | undefined): Record<string, string[]> {
  const props = (schema?.properties ?? {}) as Record<string, { path_in_connector_config?: unknown }>;
  const out: Record<string, string[]> = {};
  for (const [k, p] of Object.entries(props)) if (Array.isArray(p?.path_in_connector_config)) out[k] = p.path_in_connector_config.map(String);
  return out;
}

/**
 * The user inputs a flow lacks. Airbyte validates `oAuthInputConfiguration` against
 * `oauth_user_input_from_connector_config_specification` (`BaseOAuth2Flow.validateInputOAuthConfiguration`,
 * airbyte-oauth/src/main/kotlin/io/airbyte/oauth/BaseOAuth2Flow.kt): its `required` inputs; and a
 * declarative flow cannot render its consent URL without the `{{input}}` it names
 * (airbyte-oauth/src/main/kotlin/io/airbyte/oauth/declarative/DeclarativeOAuthFlow.kt), so those count too.
 */
export function missingOAuthInputs(spec: OAuthConfigSpec, input: Json): string[] {
  const props = Object.keys((spec.userInput?.properties ?? {}) as Json);
  const required = new Set(((spec.userInput?.required ?? []) as unknown[]).map(String));
  const templates = JSON.stringify(spec.connectorInput ?? {});
  for (const p of props) if (templates.includes(`{{${p}}}`) || templates.includes(`{{ ${p} }}`)) required.add(p);
  return [...required].filter((k) => input[k] === undefined || input[k] === null || input[k] === '');
}

/** Airbyte's JsonSchemaValidator message for missing inputs (airbyte-json-validation/…/JsonSchemaValidator.kt `ensure`, without the schema part). */
export function missingInputsMessage(missing: string[]): string {
  return `json schema validation failed when comparing the data to the json schema. \nErrors: ${missing.map((m) => `$.${m}: is missing but it is required`).join(', ')} `;
}

/** A value the emulated provider returns for one output property (tokens, expiry dates, other values). */
function providerValue(key: string, schema: Json | undefined, flowId: string, input: Json, now: number): unknown {
  if (input[key] !== undefined) return input[key]; // e.g. Shopify's `shop`: the shop the user signed in to
  const type = schema?.type;
  if (type === 'integer' || type === 'number') return 3600;
  if (type === 'boolean') return false;
  if (/expir|date|_at$/.test(key)) return new Date(now + 3600_000).toISOString();
  return /token|secret|key|password/i.test(key) ? `emu_${key}_${flowId}` : `emulator-${key.replace(/_/g, '-')}`;
}

/**
 * What a completed flow returns, as `BaseOAuthFlow.formatOAuthOutput`
 * (airbyte-oauth/src/main/kotlin/io/airbyte/oauth/BaseOAuthFlow.kt): the provider's values for the
 * `complete_oauth_output_specification` properties, and the mask for the
 * `complete_oauth_server_output_specification` ones (client_id/client_secret, which Airbyte injects
 * from its instance-wide OAuth parameters when a job runs: OAuthConfigSupplier.kt in
 * airbyte-persistence/job-persistence). A spec without output properties gets access and refresh tokens.
 */
export function oauthOutputs(spec: OAuthConfigSpec, flowId: string, input: Json, now: number): Json {
  const out: Json = {};
  for (const k of Object.keys((spec.serverOutput?.properties ?? {}) as Json)) out[k] = OAUTH_SECRET_MASK;
  const props = (spec.output?.properties ?? {}) as Record<string, Json>;
  const keys = Object.keys(props).length ? Object.keys(props) : ['access_token', 'refresh_token'];
  for (const k of keys) out[k] = providerValue(k, props[k], flowId, input, now);
  return out;
}

function setAt(target: Json, pathParts: string[], value: unknown) {
  let node = target;
  for (const key of pathParts.slice(0, -1)) {
    if (!node[key] || typeof node[key] !== 'object' || Array.isArray(node[key])) node[key] = {};
    node = node[key] as Json;
  }
  node[pathParts[pathParts.length - 1]!] = value;
}

/**
 * `OAuthSecretHelper.setSecretsInConnectionConfiguration`
 * (airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/handlers/helpers/OAuthSecretHelper.kt):
 * every server-output and output property of the spec is set at its `path_in_connector_config`
 * from the (flattened) secret; other settings stay. Without an OAuth config spec Airbyte throws
 * `IllegalStateException("No OAuth data in specification")`: returns undefined then.
 */
export function setSecretsInConnectionConfiguration(def: ConnectorDefinition, secret: Json, configuration: Json): Json | undefined {
  const spec = oauthConfigSpec(def);
  if (!spec) return undefined;
  const out = structuredClone(configuration);
  const paths = { ...oauthPaths(spec.serverOutput), ...oauthPaths(spec.output) };
  for (const [key, p] of Object.entries(paths)) if (secret[key] !== undefined) setAt(out, p, secret[key]);
  return out;
}

/** The value at `pathParts` of a JSON object, or undefined. */
export function valueAtPath(target: unknown, pathParts: string[]): unknown {
  let node = target;
  for (const key of pathParts) node = node && typeof node === 'object' && !Array.isArray(node) ? (node as Json)[key] : undefined;
  return node;
}

/**
 * `OAuthConfigSupplier.checkOAuthPredicate` (airbyte-persistence/job-persistence/src/main/kotlin/io/airbyte/persistence/job/factory/OAuthConfigSupplier.kt):
 * whether the configuration has the OAuth option chosen (always, without a predicate).
 */
function oauthPredicateHolds(def: ConnectorDefinition, configuration: Json): boolean {
  const aa = (def.advancedAuth ?? {}) as Json;
  const key = (aa.predicate_key ?? aa.predicateKey) as unknown;
  const value = aa.predicate_value ?? aa.predicateValue;
  if (!Array.isArray(key) || !key.length || value === undefined || value === null) return true;
  const found = valueAtPath(configuration, key.map(String));
  return found !== undefined && String(found) === String(value);
}

/** `MoreOAuthParameters.flattenOAuthConfig`: nested objects' leaves by their own key. */
function flattenOAuthConfig(config: Json, out: Json = {}): Json {
  for (const [k, v] of Object.entries(config)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) flattenOAuthConfig(v as Json, out);
    else out[k] = v;
  }
  return out;
}

/**
 * `OAuthConfigSupplier.injectSourceOAuthParameters`: what a job's connector gets, the stored
 * configuration with the OAuth override's server outputs (client_id/client_secret) at their
 * `path_in_connector_config`, where the stored one holds the mask. Without an OAuth config spec
 * Airbyte merges the override into the configuration.
 */
export function injectOAuthParameters(def: ConnectorDefinition, params: Json, configuration: Json): Json {
  const out = structuredClone(configuration);
  const spec = oauthConfigSpec(def);
  if (!spec) return { ...out, ...structuredClone(params) };
  if (!oauthPredicateHolds(def, out)) return out;
  const flat = flattenOAuthConfig(params);
  for (const [key, p] of Object.entries(oauthPaths(spec.serverOutput))) if (flat[key] !== undefined) setAt(out, p, flat[key]);
  return out;
}

/** `OAuthConfigSupplier.maskSourceOAuthParameters`: a read of a source whose workspace has an override shows the mask at the server outputs. */
export function maskOAuthParameters(def: ConnectorDefinition, configuration: Json): Json {
  const spec = oauthConfigSpec(def);
  if (!spec || !oauthPredicateHolds(def, configuration)) return configuration;
  const out = structuredClone(configuration);
  for (const p of Object.values(oauthPaths(spec.serverOutput))) if (valueAtPath(out, p) !== undefined) setAt(out, p, OAUTH_SECRET_MASK);
  return out;
}

/**
 * The name the emulated provider shows for an OAuth credentials override's app: its
 * `configuration.app_name` when given (an emulator convention; a real provider knows the app by
 * its client id), else "your app (client id …<last 4>)".
 */
export function overrideAppName(def: ConnectorDefinition, params: Json): string {
  if (typeof params.app_name === 'string' && params.app_name.trim()) return params.app_name.trim().slice(0, 100);
  const flat = flattenOAuthConfig(params);
  const spec = oauthConfigSpec(def);
  const idKey = Object.keys((spec?.serverOutput?.properties ?? {}) as Json).find((k) => /client_?id|app_?id|consumer_key/i.test(k)) ?? 'client_id';
  const id = flat[idKey];
  return typeof id === 'string' && id ? `your app (client id …${id.slice(-4)})` : 'your app';
}

/** A new secret coordinate, as `OAuthHandler.generateOAuthSecretCoordinate` + `AirbyteManagedSecretCoordinate.fullCoordinate` print it. */
export function newSecretId(workspaceId: string): string {
  return `airbyte_oauth_workspace_${workspaceId}_secret_${crypto.randomUUID()}_v1`;
}

/** A new OAuth flow's state record. */
export function newFlow(fields: Omit<OAuthRecord, 'createdAt'>, now: number): OAuthRecord {
  return { ...fields, createdAt: now };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE =
  'body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}' +
  'main{background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.12);padding:32px;max-width:420px}' +
  'h1{font-size:20px;margin:0 0 12px}p,li{color:#444;font-size:14px}.actions{display:flex;gap:12px;margin-top:24px}' +
  'button{flex:1;padding:10px;border-radius:6px;font-size:15px;cursor:pointer;border:1px solid #888;background:#fff}' +
  'button[value=allow]{background:#ff7a59;border-color:#ff7a59;color:#fff}.note{font-size:12px;color:#777}';

/** The sha256 CSP source of the page's only `<style>` element (no inline script anywhere). */
async function styleHash(): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(STYLE));
  return `'sha256-${Buffer.from(digest).toString('base64')}'`;
}

/** Headers of the emulated provider's pages: HTML, strict CSP, not framed, not cached. */
async function pageHeaders(): Promise<HeadersInit> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; style-src ${await styleHash()}; base-uri 'none'; frame-ancestors 'none'`,
    'x-frame-options': 'DENY',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
  };
}

/** The consent page of the emulated identity provider: "Allow <app> to access your <connector> account?" with Allow and Deny. */
export async function consentPage(opts: { appName: string; connectorName: string; action: string; state: string; redirectOrigin: string; grants: string[] }): Promise<Response> {
  const app = escapeHtml(opts.appName);
  const provider = escapeHtml(opts.connectorName);
  const title = `Allow ${app} to access your ${provider} account?`;
  const grants = opts.grants.length ? `<p>${app} will receive:</p><ul>${opts.grants.map((g) => `<li>${escapeHtml(g)}</li>`).join('')}</ul>` : '';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><style>${STYLE}</style></head>
<body><main>
<p class="note">${provider} sign-in (Airbyte emulator)</p>
<h1>${title}</h1>
${grants}
<p>After you choose, you will return to ${escapeHtml(opts.redirectOrigin)}.</p>
<form method="post" action="${escapeHtml(opts.action)}">
<input type="hidden" name="state" value="${escapeHtml(opts.state)}">
<div class="actions"><button type="submit" name="decision" value="deny">Deny</button><button type="submit" name="decision" value="allow">Allow</button></div>
</form>
</main></body></html>`;
  return new Response(html, { status: 200, headers: await pageHeaders() });
}

/** The provider's page for a link it does not know (unknown, used or expired `state`). */
export async function consentErrorPage(message: string): Promise<Response> {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in link not valid</title><style>${STYLE}</style></head><body><main><h1>Sign-in link not valid</h1><p>${escapeHtml(message)}</p></main></body></html>`;
  return new Response(html, { status: 400, headers: await pageHeaders() });
}

/** A 303 redirect (after the consent form's POST) or 302 (after a GET), to `target` with `params` added. */
export function redirectWith(target: string, params: Record<string, string>, status: 302 | 303 = 302): Response {
  const url = new URL(target);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return new Response(null, { status, headers: { location: url.toString(), 'cache-control': 'no-store' } });
}

/** Drops flows older than an hour (a provider's authorization codes and states expire). */
export function expireFlows(state: EmulatorState, now: number): boolean {
  let changed = false;
  for (const [k, f] of Object.entries(state.oauthFlows)) {
    if (now - f.createdAt > 3600_000) {
      delete state.oauthFlows[k];
      changed = true;
    }
  }
  return changed;
}
