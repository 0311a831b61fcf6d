import { EmbedError } from '../../shared/errors.ts';
import type { JobResponse } from '../airbyteTypes.ts';
import type { OnboardingContext } from '../onboarding.ts';
import type { ProxyStore } from '../store/proxyStore.ts';
import { emitEvent } from './events.ts';
import { hashToken } from './notifications.ts';

/**
 * Airbyte's workspace notifications as the proxy reads them. Their shape is airbyte-platform's
 * `airbyte-notification/src/main/kotlin/io/airbyte/notification/SlackNotificationClient.kt` (every
 * webhook kind is a Slack-style message, `slack/Notification.kt`: `{ text, blocks, data? }`):
 * - success and failure (`notifyJobSuccess`/`notifyJobFailure`) carry `data`: the
 *   `messages/SyncSummary.kt` serialized by Jackson (`workspace{id,name,url}`, `connection{…}`,
 *   `source{…}`, `destination{…}`, `jobId`, `startedAt`/`finishedAt` as ISO 8601 (JavaTimeModule,
 *   dates not as timestamps), `bytesCommitted`, `recordsCommitted`, `errorMessage`, and `isSuccess`
 *   read as `success` through its `isSuccess()` getter);
 * - auto-disable and its warning (`notifyConnectionDisabled`/`notifyConnectionDisableWarning`) have
 *   no `data`: the ids are only in the text, from `slack/auto_disable_slack_notification_template.txt`
 *   and `auto_disable_warning_slack_notification_template.txt` (`Workspace ID: …`, `Connection ID: …`);
 * - schema changes (`notifySchemaPropagated`, `notifySchemaDiffToApply…`) name the connection only as
 *   a Slack link `<url|name>`, its URL `…/workspaces/{workspaceId}/connections/{connectionId}`.
 */
export type ParsedNotification =
  | { kind: 'success' | 'failure'; workspaceId: string; connectionId: string; jobId?: number; startedAt?: number; finishedAt?: number; rows?: number; bytes?: number; errorMessage?: string; errorType?: string }
  | { kind: 'syncDisabled' | 'syncDisabledWarning'; workspaceId: string; connectionId: string; reason?: string }
  | { kind: 'connectionUpdate' | 'connectionUpdateActionRequired'; workspaceId: string; connectionId: string };

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
/** PostgreSQL refuses a NUL in text and jsonb (a 500 that would lose the event): each becomes U+FFFD. */
const clean = (v: string) => v.replace(/\u0000/g, '\uFFFD');
const str = (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length <= 200 ? clean(v) : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
/** A job id is a bigint in the store: a fraction or one past 2^53 is none. */
const jobIdOf = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined);
/**
 * How much of a message's text is read: Airbyte's are a few KB; the cap keeps every pattern below
 * (some backtrack over the text) far from holding the event loop on a megabyte of crafted text.
 */
const MAX_TEXT = 16_000;

/** An Instant as Jackson writes it: ISO 8601 here; epoch seconds (with a fraction) if an ObjectMapper writes timestamps. */
function instant(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v < 1e11 ? Math.round(v * 1000) : v;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/** Every `text` of the message: the legacy text and each block's (sections and their fields). */
function texts(body: Record<string, unknown>): string[] {
  const out = typeof body.text === 'string' ? [body.text] : [];
  for (const block of Array.isArray(body.blocks) ? body.blocks : []) {
    const b = block as { text?: { text?: unknown }; fields?: Array<{ text?: unknown }> };
    if (typeof b?.text?.text === 'string') out.push(b.text.text);
    for (const f of Array.isArray(b?.fields) ? b.fields : []) if (typeof f?.text === 'string') out.push(f.text);
  }
  return out;
}

/** A message's text as the parser reads it (capped, NULs replaced). */
function messageText(body: unknown): string {
  return body && typeof body === 'object' && !Array.isArray(body) ? clean(texts(body as Record<string, unknown>).join('\n').slice(0, MAX_TEXT)) : '';
}

/** Reads one notification; undefined when it is none the proxy knows (e.g. Airbyte's "test" message). */
export function parseNotification(body: unknown): ParsedNotification | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  const data = b.data && typeof b.data === 'object' ? (b.data as Record<string, unknown>) : undefined;
  const all = messageText(b);
  if (data) {
    const workspaceId = str((data.workspace as { id?: unknown } | undefined)?.id);
    const connectionId = str((data.connection as { id?: unknown } | undefined)?.id);
    if (!workspaceId || !connectionId) return undefined;
    const success = typeof data.success === 'boolean' ? data.success : typeof data.isSuccess === 'boolean' ? data.isSuccess : !/Sync failure occurred/.test(all);
    return {
      kind: success ? 'success' : 'failure',
      workspaceId,
      connectionId,
      jobId: jobIdOf(data.jobId),
      startedAt: instant(data.startedAt),
      finishedAt: instant(data.finishedAt),
      rows: num(data.recordsCommitted),
      bytes: num(data.bytesCommitted),
      errorMessage: typeof data.errorMessage === 'string' ? clean(data.errorMessage.slice(0, 1000)) : undefined,
      errorType: str(data.errorType),
    };
  }
  const ws = new RegExp(`Workspace ID: (${UUID})`).exec(all)?.[1];
  const conn = new RegExp(`Connection ID: (${UUID})`).exec(all)?.[1];
  if (ws && conn) {
    const warning = /scheduled to be automatically disabled|Warning - repeated connection failures/.test(all);
    if (!warning && !/was automatically disabled|Connection disabled/.test(all)) return undefined;
    const reason = /The most recent attempted ([\s\S]*?)\n[ \t\r]*\nWorkspace ID:/.exec(all)?.[1]?.trim().slice(0, 1000);
    return { kind: warning ? 'syncDisabledWarning' : 'syncDisabled', workspaceId: ws, connectionId: conn, ...(reason ? { reason } : {}) };
  }
  const schema = /The schema of '<([^|>]+)\|/.exec(all) ?? /Airbyte detected schema changes for '<([^|>]+)\|/.exec(all);
  if (schema) {
    const ids = new RegExp(`/workspaces/(${UUID})/connections/(${UUID})`).exec(schema[1]!);
    if (!ids) return undefined;
    return { kind: schema[0].startsWith('The schema') ? 'connectionUpdate' : 'connectionUpdateActionRequired', workspaceId: ids[1]!, connectionId: ids[2]! };
  }
  return undefined;
}

/** `PT1H2M3S` (the public API's job `duration`) in ms. */
function isoDurationMs(value: string | undefined): number | undefined {
  const m = value && /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(value);
  if (!m) return undefined;
  return Math.round(((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000);
}

/** What the route answers Airbyte: 200 for anything valid, accepted or not, so Airbyte does not retry it. */
export interface InboundAnswer {
  status: 200;
  body: { received: true; events: number } | { received: true; ignored: string };
}

/** 404 with nothing said: a guessed token, another workspace's ids and an unknown one look the same. */
const refused = () => new EmbedError('not_found', 'Not found.');

/** Whether a failure's cause is the source refusing its configuration (the customer's credentials). */
async function configError(ctx: OnboardingContext, n: { jobId?: number; errorType?: string }): Promise<boolean> {
  if (n.errorType) return /^config_error$/i.test(n.errorType);
  // Self-managed: the Config API's `jobs/get` says what kind of failure it was (the public API does not).
  if (!ctx.configApi || n.jobId === undefined) return false;
  const failure = await ctx.airbyte.jobFailure(n.jobId).catch(() => undefined);
  return failure?.failureType === 'config_error' && (failure.failureOrigin === undefined || failure.failureOrigin === 'source');
}

/**
 * Handles `POST <basePath>/airbyte/notifications/{token}`: finds the workspace by the token's hash
 * (an indexed equality on SHA-256, so the comparison's timing says nothing about the token),
 * checks that the notification's workspace is that one and its connection one of that customer's
 * sources' (else 404, whatever the reason), and records the events in the outbox in one
 * transaction with the replay guard (`aek_notifications_seen`) and the source's credentials state.
 * A kind the operator turned off, or a message it does not know, is answered 200 and dropped, so
 * Airbyte does not send it again and again. A job's outcome is recorded once: a second success, or
 * a failure after its success (or the reverse), is a replay. `readBody` is called only once the
 * token is known (the route's body reader: its 400/413/415 are for a known token only).
 */
export async function receiveNotification(ctx: OnboardingContext, token: string, readBody: () => Promise<unknown>, requestId: string): Promise<InboundAnswer> {
  const inbound = ctx.notifications;
  if (!inbound || !/^[A-Za-z0-9_-]{32,128}$/.test(token)) throw refused();
  const [row] = await ctx.store.query<{ workspace_id: string; customer_id: string }>('SELECT workspace_id, customer_id FROM aek_notification_tokens WHERE token = $1', [await hashToken(token)]);
  if (!row) throw refused();
  // Read only now: a wrong token gets its bare 404 whatever it sent, and costs no body read.
  const body = await readBody();
  const warn = (message: string) => ctx.log?.({ level: 'warn', message, requestId });
  const n = parseNotification(body);
  if (!n) return { status: 200, body: { received: true, ignored: 'not a notification the proxy reads' } };
  if (n.workspaceId !== row.workspace_id) {
    warn(`An Airbyte notification for workspace ${n.workspaceId} came with the token of workspace ${row.workspace_id}: refused.`);
    throw refused();
  }
  const customerId = row.customer_id;
  const source = (await ctx.store.listSources(customerId)).find((s) => s.connectionIds.includes(n.connectionId));
  if (!source) {
    warn(`An Airbyte notification for connection ${n.connectionId} names none of customer "${customerId}"'s connections: refused.`);
    throw refused();
  }
  if (!inbound.kinds.includes(n.kind)) return { status: 200, body: { received: true, ignored: `the ${n.kind} notifications are turned off` } };
  // One outcome per job (success and failure share the key); other messages have no id but what
  // was read of them (not the whole body: JSON.stringify of a deeply nested one throws).
  const replayKey = (n.kind === 'success' || n.kind === 'failure') && n.jobId !== undefined ? `${n.workspaceId}:job:${n.jobId}` : `${n.workspaceId}:${n.kind}:${await hashToken(`${JSON.stringify(n)}\n${messageText(body)}`)}`;
  if ((await ctx.store.query('SELECT 1 FROM aek_notifications_seen WHERE key = $1', [replayKey])).length) return { status: 200, body: { received: true, ignored: 'already received' } };

  const sourceId = source.sourceId;
  const connectionId = n.connectionId;
  // The public API's job: the details a notification lacks (no times, no totals), and the check that
  // the job is this connection's and ended as the notification says (a leaked token cannot invent a
  // sync of another connection, or flip an outcome). Airbyte unreachable: the notification's word.
  let job: JobResponse | undefined;
  if ((n.kind === 'success' || n.kind === 'failure') && n.jobId !== undefined) {
    job = await ctx.airbyte.getJob(n.jobId).catch(() => undefined);
    if (job && job.connectionId !== connectionId) {
      warn(`An Airbyte notification named job ${n.jobId} for connection ${connectionId}, but Airbyte has that job on another connection: refused.`);
      throw refused();
    }
    const contradicts = job && (n.kind === 'success' ? job.status === 'failed' || job.status === 'cancelled' : job.status === 'succeeded');
    if (contradicts) {
      warn(`An Airbyte ${n.kind} notification for job ${n.jobId} contradicts the job's status in Airbyte (${job!.status}): ignored.`);
      return { status: 200, body: { received: true, ignored: "the job's status in Airbyte says otherwise" } };
    }
  }
  const broken = n.kind === 'failure' && (await configError(ctx, n));
  const at = ctx.now();
  const events = await ctx.store.transaction(async (tx) => {
    if (!(await tx.query('INSERT INTO aek_notifications_seen (key, at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key', [replayKey, at])).length) return 0;
    let count = 0;
    const emit = async (type: Parameters<typeof emitEvent>[2]['type'], key: string, data: Record<string, unknown>) => {
      if (await emitEvent(tx, at, { type, customerId, dedupeKey: `${type}:${key}`, data: { sourceId, connectionId, ...data } })) count++;
    };
    switch (n.kind) {
      case 'success':
      case 'failure': {
        const durationMs = n.startedAt !== undefined && n.finishedAt !== undefined ? Math.max(0, n.finishedAt - n.startedAt) : isoDurationMs(job?.duration);
        const common = { jobId: n.jobId ?? null, rows: n.rows ?? job?.rowsSynced ?? 0, bytes: n.bytes ?? job?.bytesSynced ?? 0, ...(durationMs !== undefined ? { durationMs } : {}), ...(n.startedAt !== undefined ? { startedAt: new Date(n.startedAt).toISOString() } : {}), ...(n.finishedAt !== undefined ? { finishedAt: new Date(n.finishedAt).toISOString() } : {}) };
        // With the connection: a job id taken from another customer's job must not take that event's id.
        const key = n.jobId !== undefined ? `${connectionId}:${n.jobId}` : replayKey;
        if (n.kind === 'success') {
          await emit('sync.succeeded', key, common);
          if (await clearBroken(tx, sourceId)) await emit('credentials.restored', `${sourceId}:${key}`, { jobId: n.jobId ?? null, via: 'sync' });
        } else {
          const reason = n.errorMessage ?? 'The sync failed (Airbyte gave no reason).';
          await emit('sync.failed', key, { ...common, reason });
          if (broken && (await markBroken(tx, at, customerId, sourceId, connectionId, n.jobId, reason))) await emit('credentials.broken', `${sourceId}:${key}`, { jobId: n.jobId ?? null, reason });
        }
        break;
      }
      case 'syncDisabled':
        await emit('connection.disabled', replayKey, { reason: n.reason ?? 'Airbyte disabled the connection after repeated failures.' });
        break;
      case 'syncDisabledWarning':
        await emit('connection.disable_warning', replayKey, { reason: n.reason ?? 'The connection keeps failing; Airbyte will disable it if it goes on.' });
        break;
      default:
        await emit('schema.changed', replayKey, { actionRequired: n.kind === 'connectionUpdateActionRequired' });
    }
    return count;
  });
  if (events) ctx.webhooks?.kick?.();
  return { status: 200, body: { received: true, events } };
}

/** Marks a source's credentials broken; true when they were not already. */
export async function markBroken(store: ProxyStore, now: number, customerId: string, sourceId: string, connectionId: string, jobId: number | undefined, reason: string): Promise<boolean> {
  const rows = await store.query(
    'INSERT INTO aek_credentials_broken (source_id, customer_id, connection_id, job_id, reason, at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (source_id) DO NOTHING RETURNING source_id',
    [sourceId, customerId, connectionId, jobId ?? null, reason.slice(0, 1000), now],
  );
  return rows.length > 0;
}

/** Clears a source's broken mark; true when it had one (then `credentials.restored` is due). */
export async function clearBroken(store: ProxyStore, sourceId: string): Promise<boolean> {
  return (await store.query('DELETE FROM aek_credentials_broken WHERE source_id = $1 RETURNING source_id', [sourceId])).length > 0;
}

/** The customer's sources whose credentials broke (ids), for the manage view's `credentialsBroken`. */
export async function brokenSources(store: ProxyStore, customerId: string): Promise<Set<string>> {
  return new Set((await store.query<{ source_id: string }>('SELECT source_id FROM aek_credentials_broken WHERE customer_id = $1', [customerId])).map((r) => r.source_id));
}
