import { SignJWT, jwtVerify } from 'jose';
import type { OAuthStart, SourceOverview } from '../shared/contract.ts';
import { EmbedError } from '../shared/errors.ts';
import { oauthInputs, oauthPlan, withoutOAuthOutputs, type OAuthPlan } from '../shared/oauthSpec.ts';
import { AirbyteApiError } from './airbyteClient.ts';
import { findTemplate, mayBeGoneWorkspace, workspaceFor, workspaceGone, type OnboardingContext } from './onboarding.ts';
import type { Session } from './sessionToken.ts';
import type { SourceRecord } from './store/proxyStore.ts';
import type { SourceTemplate } from './templates.ts';
import { emitEvent } from './webhooks/events.ts';
import { clearBroken } from './webhooks/inbound.ts';

/** How long a sign-in may take from "Sign in" to the callback. */
const STATE_SECONDS = 10 * 60;
/** How long a finished sign-in (a grant) can be used to create or reconnect a source. */
export const GRANT_MS = 30 * 60_000;
const AUDIENCE = 'airbyte-embed-kit:oauth-state';

/**
 * How sign-ins reach Airbyte: `public` (Airbyte Cloud: `POST /sources/initiateOAuth`, Airbyte
 * returns `secret_id`) or `config` (self-managed: the Config API's `source_oauths/get_consent_url`
 * and `complete_oauth`, whose secret coordinate the proxy keeps).
 */
export type OAuthFlowKind = 'public' | 'config';

/** The sign-in plan of a template, when it has `advancedAuth`. */
export function templateOAuthPlan(template: SourceTemplate): OAuthPlan | undefined {
  return oauthPlan(template.partialUserConfigSpec.advancedAuth);
}

/** The template as the customer fills it: with OAuth, the option's token fields are gone (the flow fills them). */
export function customerTemplate(template: SourceTemplate): SourceTemplate {
  const plan = templateOAuthPlan(template);
  if (!plan) return template;
  return { ...template, partialUserConfigSpec: { ...template.partialUserConfigSpec, connectionSpecification: withoutOAuthOutputs(template.partialUserConfigSpec.connectionSpecification, plan) } };
}

// Uint8Array.from: a TextEncoder from another realm (jsdom, some edge runtimes) fails jose's instanceof check (as in sessionToken.ts).
const stateKey = (secret: string) => Uint8Array.from(new TextEncoder().encode(`oauth-state:${secret}`));

/** Airbyte's `sourceType` for a definition: its docker repository without `airbyte/source-`. */
async function sourceTypeOf(ctx: OnboardingContext, workspaceId: string, template: SourceTemplate): Promise<string> {
  const def = await ctx.airbyte.getSourceDefinition(workspaceId, template.actorDefinitionId);
  const repo = def.dockerRepository ?? '';
  const type = repo.replace(/^airbyte\//, '').replace(/^source-/, '');
  if (!type) throw new EmbedError('misconfigured', `Airbyte gave no connector type for definition ${template.actorDefinitionId}; the site's team must check the template.`);
  return type;
}

/**
 * Starts "Sign in with …": the customer's workspace (the onboarding's rules), then Airbyte's
 * `initiateOAuth` with a redirect to this proxy's callback that carries a signed, single-use
 * state bound to the customer, the template, the page origin and this flow (10 minutes). The
 * browser gets the consent URL and the flow id its callback page will answer with.
 */
export async function startOAuth(ctx: OnboardingContext, session: Session, body: unknown, callbackUrl: string, secret: string, flow: OAuthFlowKind = 'public'): Promise<OAuthStart> {
  const req = (body ?? {}) as { templateId?: unknown; inputs?: unknown; returnTo?: unknown };
  if (typeof req.templateId !== 'string') throw new EmbedError('invalid_request', '"templateId" is required.');
  const template = await findTemplate(ctx, session, req.templateId);
  const plan = templateOAuthPlan(template);
  if (!plan) throw new EmbedError('invalid_request', `${template.name} has no sign-in; fill in its form instead.`);
  let returnTo: string | undefined;
  if (req.returnTo !== undefined) {
    // The full-page flow comes back to the page it left, and only to the session's own origin.
    let url: URL | null = null;
    try {
      url = typeof req.returnTo === 'string' ? new URL(req.returnTo) : null;
    } catch {
      url = null;
    }
    if (!url || url.origin !== session.allowedOrigin) throw new EmbedError('invalid_request', `"returnTo" must be a page on ${session.allowedOrigin}.`);
    url.hash = '';
    returnTo = url.toString();
  }
  const flowId = crypto.randomUUID();
  const inputs = oauthInputs(plan, req.inputs ?? {});
  // One Airbyte round for a workspace; a workspace Airbyte no longer has is repaired once (see workspaceGone).
  const begin = async (workspaceId: string): Promise<OAuthStart> => {
    const state = await new SignJWT({ tpl: template.id, origin: session.allowedOrigin, flow: flowId, ws: workspaceId, def: template.actorDefinitionId, api: flow, ...(returnTo ? { returnTo } : {}) })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(session.customerId)
      .setJti(crypto.randomUUID())
      .setAudience(AUDIENCE)
      .setIssuedAt(Math.floor(ctx.now() / 1000))
      .setExpirationTime(Math.floor(ctx.now() / 1000) + STATE_SECONDS)
      .sign(stateKey(secret));
    // The state rides in the path: the provider adds its own `state` (and Airbyte `secret_id`) to the query.
    const redirect = `${callbackUrl}/${state}`;
    if (flow === 'config') {
      const { consentUrl } = await ctx.airbyte.getOAuthConsentUrl({ sourceDefinitionId: template.actorDefinitionId, workspaceId, redirectUrl: redirect, ...(Object.keys(inputs).length ? { oAuthInputConfiguration: inputs } : {}) });
      return { consentUrl, flowId };
    }
    const { consentUrl } = await ctx.airbyte.initiateOAuth({
      sourceType: await sourceTypeOf(ctx, workspaceId, template),
      workspaceId,
      redirectUrl: redirect,
      ...(Object.keys(inputs).length ? { oAuthInputConfiguration: inputs } : {}),
      ...(template.requestedScopes ? { requestedScopes: template.requestedScopes } : {}),
      ...(template.requestedOptionalScopes ? { requestedOptionalScopes: template.requestedOptionalScopes } : {}),
    });
    return { consentUrl, flowId };
  };
  try {
    const { workspaceId } = await workspaceFor(ctx, session.customerId);
    try {
      return await begin(workspaceId);
    } catch (error) {
      if (!(mayBeGoneWorkspace(error) && (await workspaceGone(ctx, session.customerId, workspaceId, flowId)))) throw error;
      return await begin((await workspaceFor(ctx, session.customerId)).workspaceId);
    }
  } catch (error) {
    if (error instanceof AirbyteApiError && error.status === 501) {
      throw new EmbedError('misconfigured', 'This Airbyte does not run sign-ins through its public API (self-managed Airbyte answers 501; only Airbyte Cloud does). The site\'s team must set `oauth: { flow: "config" }` in createEmbedProxy.');
    }
    if (error instanceof AirbyteApiError && error.status === 400) {
      throw new EmbedError('invalid_config', `${template.name} needs more details before signing in: ${(error.problem as { detail?: string } | undefined)?.detail ?? 'check the fields above the button'}.`);
    }
    throw error;
  }
}

/** What the callback page hands to the widget. */
export interface OAuthOutcome {
  type: 'aek-oauth';
  flowId: string;
  grantId?: string | undefined;
  error?: 'denied' | 'expired' | 'provider_error' | undefined;
  reason?: string | undefined;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The callback page's script: reads its data, tells the widget (postMessage to the page origin, BroadcastChannel), then closes or returns. */
const CALLBACK_SCRIPT =
  "(function(){var d=JSON.parse(document.getElementById('aek-oauth-result').textContent);var o=d.origin,r=d.returnTo;delete d.origin;delete d.returnTo;" +
  "try{new BroadcastChannel('aek-oauth').postMessage(d)}catch(e){}" +
  "if(r){location.replace(r+'#aek-oauth='+encodeURIComponent(JSON.stringify(d)));return}" +
  "try{if(window.opener)window.opener.postMessage(d,o)}catch(e){}setTimeout(function(){window.close()},50)})();";

let scriptHash: Promise<string> | undefined;
async function callbackScriptHash(): Promise<string> {
  scriptHash ??= crypto.subtle.digest('SHA-256', new TextEncoder().encode(CALLBACK_SCRIPT)).then((b) => Buffer.from(b).toString('base64'));
  return scriptHash;
}

/**
 * `GET <basePath>/oauth/callback`: where Airbyte sends the browser after consent, with
 * `secret_id` (or the provider's `error`). Checks the state (signature, expiry, single use),
 * keeps the secret id server side as a one-time grant for that customer, template and origin,
 * and answers a tiny page, under a CSP that allows only its own script, which hands the outcome
 * (a grant id, never a token) to the widget.
 */
export async function oauthCallbackPage(ctx: OnboardingContext, url: URL, secret: string, stateInPath?: string): Promise<Response> {
  let claims: { sub?: string; tpl?: string; origin?: string; flow?: string; jti?: string; returnTo?: string; ws?: string; def?: string; api?: OAuthFlowKind };
  const token = stateInPath ?? url.searchParams.get('state') ?? '';
  try {
    claims = (await jwtVerify(token, stateKey(secret), { audience: AUDIENCE, algorithms: ['HS256'], currentDate: new Date(ctx.now()) })).payload as typeof claims;
  } catch {
    return page(400, 'This sign-in link has expired or is not valid. Close this window and sign in again.');
  }
  const { sub, tpl, origin, flow, jti, returnTo } = claims;
  if (!sub || !tpl || !origin || !flow || !jti) return page(400, 'This sign-in link is not valid. Close this window and sign in again.');
  if (!(await ctx.store.useOAuthState(jti))) return page(400, 'This sign-in was already finished. Close this window.');
  const error = url.searchParams.get('error');
  let secretId = url.searchParams.get('secret_id');
  let providerError: string | undefined;
  if (claims.api === 'config' && !error && claims.ws && claims.def) {
    // Self-managed: trade the provider's code for a secret coordinate (the tokens stay in Airbyte).
    const redirectUrl = `${url.origin}${url.pathname}`;
    const done = await ctx.airbyte
      .completeOAuth({ sourceDefinitionId: claims.def, workspaceId: claims.ws, redirectUrl, queryParams: Object.fromEntries(url.searchParams) })
      .catch((e: unknown) => ({ request_succeeded: false, request_error: e instanceof AirbyteApiError ? `${e.status}` : 'unreachable', auth_payload: undefined }));
    secretId = done.request_succeeded ? (done.auth_payload?.secretId ?? null) : null;
    if (!secretId) providerError = done.request_error === 'access_denied' ? 'access_denied' : `Airbyte could not finish the sign-in (${done.request_error ?? 'no secret'}).`;
  }
  let outcome: OAuthOutcome;
  if (secretId && !error) {
    const grantId = crypto.randomUUID();
    await ctx.store.saveOAuthGrant({ grantId, customerId: sub, templateId: tpl, origin, secretId });
    outcome = { type: 'aek-oauth', flowId: flow, grantId };
  } else {
    const code = error ?? providerError;
    const denied = code === 'access_denied' || code === 'denied';
    outcome = { type: 'aek-oauth', flowId: flow, error: denied ? 'denied' : 'provider_error', reason: (url.searchParams.get('error_description') ?? code ?? 'The provider sent no result.').slice(0, 300) };
  }
  const data = JSON.stringify({ ...outcome, origin, ...(returnTo ? { returnTo } : {}) }).replace(/</g, '\\u003c');
  const hash = await callbackScriptHash();
  const text = outcome.grantId ? 'Signed in. You can close this window.' : 'Sign-in did not finish. You can close this window.';
  return new Response(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in</title></head><body><p>${escapeHtml(text)}</p><script type="application/json" id="aek-oauth-result">${data}</script><script>${CALLBACK_SCRIPT}</script></body></html>`,
    { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'content-security-policy': `default-src 'none'; script-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'` } },
  );
}

function page(status: number, text: string): Response {
  return new Response(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in</title></head><body><p>${escapeHtml(text)}</p></body></html>`, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; frame-ancestors 'none'" },
  });
}

/** The secret id of a grant, taken once: only its customer, for its template, from its page origin, within 30 minutes. */
export async function takeGrant(ctx: OnboardingContext, session: Session, templateId: string, grant: unknown): Promise<string> {
  const grantId = (grant as { grantId?: unknown } | null)?.grantId;
  if (typeof grantId !== 'string' || !/^[0-9a-f-]{36}$/i.test(grantId)) throw new EmbedError('invalid_request', '"oauth.grantId" must be the id the sign-in window gave.');
  const secretId = await ctx.store.takeOAuthGrant(grantId, session.customerId, templateId, session.allowedOrigin, GRANT_MS);
  if (!secretId) throw new EmbedError('invalid_request', 'This sign-in has expired or was already used. Sign in again.');
  return secretId;
}

/**
 * "Reconnect": a new sign-in's secret on an existing source (`PATCH /sources/{id}` with `secretId`);
 * every other setting stays. A source marked as having broken credentials is marked fixed, with
 * `credentials.restored` (`via: 'reconnect'`) in the outbox in the same transaction; a sync failing
 * on the new sign-in marks it again.
 */
export async function reconnectSource(ctx: OnboardingContext, session: Session, sourceId: string, body: unknown, overview: (record: SourceRecord) => Promise<SourceOverview>): Promise<SourceOverview> {
  const record = await ctx.store.getSource(sourceId);
  if (!record || record.customerId !== session.customerId) throw new EmbedError('not_found', 'This source does not exist or is not yours. Reload the page to see your sources.');
  const template = await findTemplate(ctx, session, record.templateId);
  if (!templateOAuthPlan(template)) throw new EmbedError('invalid_request', `${template.name} has no sign-in; edit its details instead.`);
  const secretId = await takeGrant(ctx, session, template.id, (body as { oauth?: unknown } | null)?.oauth);
  await ctx.airbyte.patchSource(sourceId, { secretId });
  const restored = await ctx.store.transaction(async (tx) => (await clearBroken(tx, sourceId)) && (await emitEvent(tx, ctx.now(), { type: 'credentials.restored', customerId: session.customerId, data: { sourceId, via: 'reconnect' } })) !== undefined);
  if (restored) ctx.webhooks?.kick?.();
  return overview(record);
}
