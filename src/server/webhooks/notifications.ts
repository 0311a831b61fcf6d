import type { NotificationsConfig } from '../airbyteTypes.ts';
import type { OnboardingContext } from '../onboarding.ts';
import type { ProxyStore } from '../store/proxyStore.ts';

/** The kinds of Airbyte workspace notifications (api.yaml `NotificationsConfig`), each a webhook the proxy can receive. */
export const NOTIFICATION_KINDS = ['failure', 'success', 'syncDisabled', 'syncDisabledWarning', 'connectionUpdateActionRequired', 'connectionUpdate'] as const;

/** One of {@link NOTIFICATION_KINDS}. */
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * Where Airbyte's notifications for the proxy's workspaces go: `<publicUrl><basePath>/airbyte/notifications/<token>`,
 * one random token per workspace. Built by the proxy from `webhooks.publicUrl`; absent without it.
 */
export interface InboundNotifications {
  /** `<publicUrl><basePath>/airbyte/notifications`, without the token. */
  base: string;
  kinds: NotificationKind[];
}

/** SHA-256 of a token, hex: tokens are stored hashed and looked up by hash (a stolen store holds none that work). */
export async function hashToken(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A new path token: 32 random bytes in base64url (43 characters). */
export function newNotificationToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
}

/**
 * The workspace's `notifications`: a webhook to the proxy for each enabled kind, the others off.
 * Trap: Airbyte replaces the whole setting on PATCH, so every kind is sent.
 */
export function notificationsConfig(inbound: InboundNotifications, token: string): NotificationsConfig {
  const url = `${inbound.base}/${token}`;
  return Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, inbound.kinds.includes(k) ? { webhook: { enabled: true, url } } : { webhook: { enabled: false } }])) as NotificationsConfig;
}

/** What a token row records of where it was pointed: a change (new public URL, other kinds) points the workspace again. */
function target(inbound: InboundNotifications): string {
  return `${inbound.base} ${[...inbound.kinds].sort().join(',')}`;
}

/** Records a workspace's token (hashed), replacing an older one. */
export async function saveNotificationToken(store: ProxyStore, now: number, inbound: InboundNotifications, workspaceId: string, customerId: string, token: string): Promise<void> {
  await store.query(
    `INSERT INTO aek_notification_tokens (workspace_id, customer_id, token, kinds, target, created_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (workspace_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, token = EXCLUDED.token, kinds = EXCLUDED.kinds, target = EXCLUDED.target, created_at = EXCLUDED.created_at`,
    [workspaceId, customerId, await hashToken(token), inbound.kinds.join(','), target(inbound), now],
  );
}

/**
 * Points an existing workspace's notifications at the proxy unless they already are (same public
 * URL and kinds): an adopted workspace, one known from before `publicUrl` was set, or after the
 * operator changed the kinds. A new token each time (only its hash is kept, so an old one cannot
 * be sent again). Never throws: Airbyte refusing it only costs the inbound events, said in the log.
 */
export async function ensureWorkspaceNotifications(ctx: OnboardingContext, workspaceId: string, customerId: string): Promise<void> {
  const inbound = ctx.notifications;
  if (!inbound) return;
  const current = async () => (await ctx.store.query<{ target: string; customer_id: string }>('SELECT target, customer_id FROM aek_notification_tokens WHERE workspace_id = $1', [workspaceId]))[0];
  const fresh = (row: { target: string; customer_id: string } | undefined) => row?.target === target(inbound) && row.customer_id === customerId;
  if (fresh(await current())) return;
  try {
    await ctx.store.withLock(`notifications:${workspaceId}`, async () => {
      if (fresh(await current())) return;
      const token = newNotificationToken();
      await ctx.airbyte.updateWorkspace(workspaceId, { notifications: notificationsConfig(inbound, token) });
      await saveNotificationToken(ctx.store, ctx.now(), inbound, workspaceId, customerId, token);
    });
  } catch (error) {
    ctx.log?.({ level: 'warn', message: `Airbyte's notifications for workspace ${workspaceId} (customer "${customerId}") could not be pointed at the proxy: ${(error as Error).message}. Its sync events will not arrive until this succeeds (retried at the next start and the customer's next connect).`, requestId: 'webhooks' });
  }
}

/** Every workspace the store knows, pointed at the proxy (at start-up), one after another. */
export async function ensureAllWorkspaceNotifications(ctx: OnboardingContext): Promise<void> {
  if (!ctx.notifications) return;
  for (const { customerId, workspaceId } of await ctx.store.listCustomerWorkspaces()) await ensureWorkspaceNotifications(ctx, workspaceId, customerId);
}
