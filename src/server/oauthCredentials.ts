/**
 * The operator's own OAuth app per connector (Airbyte's OAuth credentials overrides), so the
 * provider's consent screen names the operator's product, not Airbyte. Scope `organization`: one
 * `PUT /organizations/{id}/oauthCredentials`, which every workspace of the organization inherits.
 * Scope `workspaces`: the proxy keeps the credentials and applies them
 * (`PUT /workspaces/{id}/oauthCredentials`) to every workspace it knows and to each one it creates
 * or adopts later ({@link applyPendingOAuthCredentials}, called by `workspaceFor`).
 *
 * The credentials never leave the server: no answer, error or log line holds a value from
 * `configuration` (Airbyte's messages are scrubbed of them too).
 */
import { EmbedError } from '../shared/errors.ts';
import { AirbyteApiError, type OAuthCredentialsRequest } from './airbyteClient.ts';
import type { OnboardingContext } from './onboarding.ts';
import type { OAuthCredentialsSummary } from './store/proxyStore.ts';

export interface OAuthCredentialsBody {
  actorType: 'source' | 'destination';
  name: string;
  configuration: Record<string, unknown>;
  scope: 'organization' | 'workspaces';
  organizationId?: string | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Airbyte's OAuthActorNames: a connector's type name, e.g. `hubspot`, `google-ads`. */
const ACTOR_NAME = /^[a-z0-9][a-z0-9-]{0,99}$/;
const FIELDS = new Set(['actorType', 'name', 'configuration', 'scope', 'organizationId']);

const bad = (field: string, message: string) =>
  new EmbedError('invalid_request', `"${field}" ${message}`, { fieldErrors: [{ path: [field], message }] });

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Validates the operator's body; errors name the field and never quote `configuration`. */
export function oauthCredentialsFromBody(body: unknown): OAuthCredentialsBody {
  if (!isObject(body)) throw new EmbedError('invalid_request', 'Send a JSON object: { "actorType": "source", "name": "hubspot", "configuration": { … }, "scope": "workspaces" | "organization", "organizationId"? }.');
  for (const key of Object.keys(body)) if (!FIELDS.has(key)) throw bad(key, 'is not a field of this body (actorType, name, configuration, scope, organizationId)');
  const { actorType, name, configuration, scope, organizationId } = body;
  if (actorType !== 'source' && actorType !== 'destination') throw bad('actorType', 'must be "source" or "destination"');
  if (typeof name !== 'string' || !ACTOR_NAME.test(name)) throw bad('name', "must be the connector's name as Airbyte's OAuthActorNames spell it (lowercase, e.g. \"hubspot\", \"google-ads\")");
  if (!isObject(configuration) || !Object.keys(configuration).length) {
    throw bad('configuration', "must be a non-empty object: the OAuth app's credentials at the connector's paths (e.g. { \"credentials\": { \"client_id\": …, \"client_secret\": … } })");
  }
  if (JSON.stringify(configuration).length > 20_000) throw bad('configuration', 'is too large (over 20,000 characters)');
  if (scope !== 'organization' && scope !== 'workspaces') throw bad('scope', 'must be "organization" (one call for every workspace of an Airbyte organization) or "workspaces" (each workspace this proxy knows or creates)');
  if (scope === 'organization') {
    if (typeof organizationId !== 'string' || !UUID.test(organizationId)) throw bad('organizationId', 'is required with scope "organization": the Airbyte organization id (a UUID)');
  } else if (organizationId !== undefined) {
    throw bad('organizationId', 'is only for scope "organization"');
  }
  return { actorType, name, configuration, scope, ...(scope === 'organization' ? { organizationId: organizationId as string } : {}) };
}

/** Every string in the configuration (the values that must not appear in a message). */
function secretStrings(configuration: unknown, out: string[] = []): string[] {
  if (typeof configuration === 'string') {
    if (configuration.length >= 3) out.push(configuration);
  } else if (Array.isArray(configuration)) configuration.forEach((v) => secretStrings(v, out));
  else if (isObject(configuration)) Object.values(configuration).forEach((v) => secretStrings(v, out));
  return out;
}

/** Airbyte's reason for refusing (its problem's message or title), with any credential value blanked out. */
function airbyteReason(error: AirbyteApiError, configuration: Record<string, unknown>): string {
  const p = error.problem as { title?: unknown; detail?: unknown; message?: unknown; data?: { message?: unknown; value?: unknown } } | undefined;
  let reason = [p?.data?.message, p?.message, p?.data?.value === undefined ? undefined : `unknown value ${String(p.data.value)}`, p?.title]
    .find((v) => typeof v === 'string' && v.trim()) as string | undefined;
  reason = (reason ?? `status ${error.status}`).slice(0, 300);
  for (const s of secretStrings(configuration)) reason = reason.split(s).join('***');
  return reason;
}

/** The Airbyte failure as the operator sees it: 4xx refusals are 400s with Airbyte's reason; the rest stay upstream errors. */
function refusal(error: unknown, what: string, configuration: Record<string, unknown>): Error {
  if (!(error instanceof AirbyteApiError)) return error as Error;
  if (error.status === 501) return new EmbedError('invalid_request', `Airbyte does not implement ${what} here (501: self-managed Airbyte has no workspace OAuth credentials); use scope "organization".`);
  if (error.status >= 400 && error.status < 500 && error.status !== 401 && error.status !== 429) {
    return new EmbedError('invalid_request', `Airbyte refused ${what} (${error.status}): ${airbyteReason(error, configuration)}.`);
  }
  return error;
}

const request = (c: OAuthCredentialsBody): OAuthCredentialsRequest => ({ actorType: c.actorType, name: c.name, configuration: c.configuration });

/**
 * `PUT <operator>/oauth_credentials`. Scope `organization`: Airbyte first (a refusal stores
 * nothing), then recorded without values. Scope `workspaces`: stored, then applied to every known
 * workspace; the first workspace's refusal (wrong name, missing client id…) is the operator's to
 * fix and answers 400; later failures are counted and retried at that customer's next onboarding.
 */
export async function setOAuthCredentials(ctx: OnboardingContext, body: unknown) {
  const c = oauthCredentialsFromBody(body);
  if (c.scope === 'organization') {
    try {
      await ctx.airbyte.setOrganizationOAuthCredentials(c.organizationId!, request(c));
    } catch (error) {
      throw refusal(error, `the organization's OAuth credentials for ${c.actorType} "${c.name}"`, c.configuration);
    }
    await ctx.store.putOAuthCredentials({ actorType: c.actorType, name: c.name, scope: 'organization', organizationId: c.organizationId });
    return { body: { actorType: c.actorType, name: c.name, scope: c.scope, applied: { organization: true, workspaces: 0 }, failed: 0 } };
  }
  const workspaces = await ctx.store.listCustomerWorkspaces();
  // The first workspace checks the credentials before they are kept (a refused body stores nothing).
  const [first, ...rest] = workspaces;
  if (first) {
    try {
      await ctx.airbyte.setWorkspaceOAuthCredentials(first.workspaceId, request(c));
    } catch (error) {
      throw refusal(error, `the OAuth credentials for ${c.actorType} "${c.name}"`, c.configuration);
    }
  }
  const revision = await ctx.store.putOAuthCredentials({ actorType: c.actorType, name: c.name, scope: 'workspaces', configuration: c.configuration });
  let applied = 0;
  let failed = 0;
  if (first) {
    await ctx.store.markOAuthCredentialsApplied(first.workspaceId, c.actorType, c.name, revision);
    applied++;
  }
  // A few at a time: a proxy with thousands of customers must not open thousands of requests.
  for (let i = 0; i < rest.length; i += 8) {
    const results = await Promise.all(
      rest.slice(i, i + 8).map(async (w) => {
        try {
          await ctx.airbyte.setWorkspaceOAuthCredentials(w.workspaceId, request(c));
          await ctx.store.markOAuthCredentialsApplied(w.workspaceId, c.actorType, c.name, revision);
          return true;
        } catch (error) {
          warn(ctx, `OAuth credentials for ${c.actorType} "${c.name}" not applied to workspace ${w.workspaceId} (customer ${w.customerId}); retried at its next onboarding: ${safeMessage(error, c.configuration)}`);
          return false;
        }
      }),
    );
    applied += results.filter(Boolean).length;
    failed += results.filter((ok) => !ok).length;
  }
  return { body: { actorType: c.actorType, name: c.name, scope: c.scope, applied: { organization: false, workspaces: applied }, failed } };
}

export async function listOAuthCredentials(ctx: OnboardingContext): Promise<{ body: { data: OAuthCredentialsSummary[] } }> {
  return { body: { data: await ctx.store.listOAuthCredentials() } };
}

/**
 * `DELETE <operator>/oauth_credentials/:actorType/:name`: the proxy forgets the credentials and
 * stops applying them to new workspaces. Workspaces (and an organization) that have them keep
 * them: Airbyte's `DELETE /workspaces/{id}/oauthCredentials/{actorType}/{name}` and
 * `DELETE /organizations/{id}/oauthCredentials/{actorType}/{name}` exist (AirbyteClient has them),
 * but removing an override in use breaks its sources' next sync, so that is left to the operator.
 */
export async function deleteOAuthCredentials(ctx: OnboardingContext, params: Record<string, string>) {
  const actorType = params.actorType;
  const name = params.name ?? '';
  if (actorType !== 'source' && actorType !== 'destination') throw bad('actorType', 'must be "source" or "destination"');
  if (!ACTOR_NAME.test(name)) throw bad('name', "must be the connector's name as Airbyte's OAuthActorNames spell it");
  const removed = await ctx.store.deleteOAuthCredentials(actorType, name);
  if (!removed.length) throw new EmbedError('not_found', `No OAuth credentials for ${actorType} "${name}" were set through this proxy.`);
  await ctx.store.takeOAuthCredentialWorkspaces(actorType, name);
  return { status: 204, body: null };
}

/**
 * Applies the `workspaces`-scope credentials a workspace lacks (new, adopted, or one whose earlier
 * attempt failed). Never throws: a failure is a warning (no values in it) and the next call for
 * this workspace tries again; onboarding goes on, the sign-in then shows Airbyte's app.
 */
export async function applyPendingOAuthCredentials(ctx: OnboardingContext, workspaceId: string, customerId: string): Promise<void> {
  let pending;
  try {
    pending = await ctx.store.pendingOAuthCredentials(workspaceId);
  } catch (error) {
    warn(ctx, `Could not read the OAuth credentials to apply to workspace ${workspaceId}: ${(error as Error).message}`);
    return;
  }
  for (const p of pending) {
    try {
      await ctx.airbyte.setWorkspaceOAuthCredentials(workspaceId, { actorType: p.actorType, name: p.name, configuration: p.configuration });
      await ctx.store.markOAuthCredentialsApplied(workspaceId, p.actorType, p.name, p.revision);
    } catch (error) {
      warn(ctx, `OAuth credentials for ${p.actorType} "${p.name}" not applied to workspace ${workspaceId} (customer ${customerId}); retried at its next onboarding: ${safeMessage(error, p.configuration)}`);
    }
  }
}

function safeMessage(error: unknown, configuration: Record<string, unknown>): string {
  let message = error instanceof AirbyteApiError ? error.message : error instanceof Error ? `${error.name}` : 'unknown error';
  for (const s of secretStrings(configuration)) message = message.split(s).join('***');
  return message;
}

function warn(ctx: OnboardingContext, message: string) {
  const entry = { level: 'warn' as const, message, requestId: 'oauth-credentials' };
  if (ctx.log) ctx.log(entry);
  else console.warn(JSON.stringify(entry));
}
