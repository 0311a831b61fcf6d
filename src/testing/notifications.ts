import type { ConnectionRecord, EmulatorState, JobRecord } from './emulatorState.ts';
import { DEFAULT_JOB_FAILURE, isTerminal, jobResponse, jobStatus } from './jobs.ts';

/** How the emulator sends Airbyte's workspace notifications (see {@link createNotifier}). */
export interface EmulatorNotificationOptions {
  /** How notifications are POSTed; default the global `fetch`. Tests pass the proxy's handler. */
  fetch?: typeof fetch | undefined;
  /**
   * How often (real ms) the emulator looks for jobs that ended by its clock; default 1000, and after
   * every request. 0: only {@link EmulatorNotifier.flush} sends (deterministic tests under a fake clock).
   */
  tickMs?: number | undefined;
  /** The web app's URL in the links (`WebUrlHelper`); default `https://cloud.airbyte.com`. */
  webappUrl?: string | undefined;
  /** Consecutive failed syncs before the disable warning; default 10 (airbyte-platform `max-jobs-warning`). */
  warnAfterFailures?: number | undefined;
  /** Consecutive failed syncs before the connection is disabled (`inactive`); default 20 (`max-jobs`). */
  disableAfterFailures?: number | undefined;
}

/** One notification the emulator sent (or tried to), for tests. */
export interface SentNotification {
  kind: 'success' | 'failure' | 'syncDisabled' | 'syncDisabledWarning';
  workspaceId: string;
  connectionId: string;
  jobId: number;
  /** The receiver's HTTP status; 0 when it could not be reached. */
  status: number;
}

/** The emulator's notification sender: `flush()` sends every notification due by the clock now. */
export interface EmulatorNotifier {
  /** Sends what is due and waits for every send under way; resolves to how many were sent. */
  flush(): Promise<number>;
  /** Looks for due notifications and sends them in the background (after each request, on the tick). */
  poll(): void;
  sent: SentNotification[];
  close(): void;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** `SyncSummary.kt`'s formatVolume: 1024-based, whole units. */
function volume(bytes: number): string {
  let v = bytes;
  for (const unit of ['B', 'kB', 'MB', 'GB']) {
    if (v < 1024) return `${v} ${unit}`;
    v = Math.floor(v / 1024);
  }
  return `${v} TB`;
}

/** `SyncSummary.kt`'s formatDuration. */
function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} sec`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} sec`;
  if (s < 86400) return `${Math.floor(s / 3600)} hours ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} days ${Math.floor(s / 3600)} hours`;
}

/** `Notification.createLink`. */
const link = (name: string, url: string) => `<${url}|${name.replace(/&/g, '$amp;').replace(/>/g, '&gt;').replace(/</g, '&lt;')}>`;

/**
 * Airbyte's workspace notifications, sent when the emulator's jobs end (by its clock) to the
 * webhook URLs of the workspace's `notifications`, for the kinds enabled there. The bodies are
 * airbyte-platform's `airbyte-notification/src/main/kotlin/io/airbyte/notification/SlackNotificationClient.kt`:
 * success and failure `{ text, blocks, data }` (`data`: `messages/SyncSummary.kt` as Jackson writes
 * it; `text`: `slack/success_slack_notification_template.txt`, `failure_slack_notification_template.txt`);
 * the disable warning and the disable `{ text, blocks }` with the ids only in the text
 * (`auto_disable_warning_slack_notification_template.txt`, `auto_disable_slack_notification_template.txt`).
 * After each failed sync the connection is checked as `WarnOrDisableConnectionHelper`
 * (airbyte-data `ConnectionServiceImpl.kt`) does: at `warnAfterFailures` consecutive failures
 * (once per run of failures) the warning, at `disableAfterFailures` the connection becomes
 * `inactive` and the disable notification goes. Deviation: Airbyte also requires 7 (warning) and
 * 14 (disable) days without success; the emulator counts failures only, so tests need not move
 * the clock by weeks. Each job is notified once (its record remembers it, across restarts).
 */
export function createNotifier(state: EmulatorState, now: () => number, onChange: () => void, options: EmulatorNotificationOptions = {}): EmulatorNotifier {
  const send = options.fetch ?? fetch;
  const webapp = (options.webappUrl ?? 'https://cloud.airbyte.com').replace(/\/+$/, '');
  const warnAfter = options.warnAfterFailures ?? 10;
  const disableAfter = options.disableAfterFailures ?? 20;
  const inFlight = new Set<Promise<void>>();
  const sent: SentNotification[] = [];
  // Jobs that ended before this emulator started were notified (or not) by the one before.
  for (const job of Object.values(state.jobs)) if (job.notified === undefined && isTerminal(jobStatus(job, now()))) job.notified = true;

  function webhook(workspaceId: string, kind: SentNotification['kind']): string | undefined {
    const config = (state.workspaces[workspaceId]?.notifications as Record<string, { webhook?: { enabled?: boolean; url?: string } } | undefined>)?.[kind]?.webhook;
    return config?.enabled && typeof config.url === 'string' && config.url ? config.url : undefined;
  }

  function summary(job: JobRecord, connection: ConnectionRecord) {
    const ws = state.workspaces[connection.workspaceId];
    const source = state.sources[connection.sourceId];
    const destination = state.destinations[connection.destinationId];
    const view = jobResponse(job, now());
    const success = job.outcome === 'succeeded';
    const rows = success ? (view.rowsSynced ?? 0) : 0;
    const bytes = success ? (view.bytesSynced ?? 0) : 0;
    const startedAt = job.createdAt;
    const finishedAt = job.createdAt + job.durationMs;
    const wsUrl = `${webapp}/workspaces/${connection.workspaceId}`;
    const failure = job.failure ?? DEFAULT_JOB_FAILURE;
    return {
      workspace: { id: connection.workspaceId, name: ws?.name ?? '', url: wsUrl },
      connection: { id: connection.connectionId, name: connection.name, url: `${wsUrl}/connections/${connection.connectionId}` },
      source: { id: connection.sourceId, name: source?.name ?? '', url: `${wsUrl}/source/${connection.sourceId}` },
      destination: { id: connection.destinationId, name: destination?.name ?? '', url: `${wsUrl}/destination/${connection.destinationId}` },
      jobId: job.jobId,
      startedAt: iso(startedAt),
      finishedAt: iso(finishedAt),
      bytesEmitted: bytes,
      bytesCommitted: bytes,
      recordsEmitted: rows,
      recordsCommitted: rows,
      recordsFilteredOut: 0,
      bytesFilteredOut: 0,
      errorMessage: success ? null : (failure.externalMessage ?? failure.internalMessage ?? null),
      // Jackson's names for the data class's getters: `isSuccess()` → success, `getDurationInSeconds()` → durationInSeconds, …
      durationInSeconds: Math.floor((finishedAt - startedAt) / 1000),
      durationFormatted: duration(finishedAt - startedAt),
      bytesEmittedFormatted: volume(bytes),
      bytesCommittedFormatted: volume(bytes),
      success,
    };
  }

  type Summary = ReturnType<typeof summary>;

  /** `buildJobCompletedNotification`: title, optional top text, source/destination/duration fields, failure reason, totals. */
  function blocks(s: Summary, title: string, top?: string) {
    const field = (text: string) => ({ type: 'mrkdwn', text });
    return [
      { type: 'section', text: { type: 'mrkdwn', text: `${title}: ${link(s.connection.name, s.connection.url)}` } },
      ...(top ? [{ type: 'section', text: { type: 'mrkdwn', text: top } }] : []),
      { type: 'section', fields: [field('*Source:*'), field(link(s.source.name, s.source.url)), field('*Destination:*'), field(link(s.destination.name, s.destination.url)), field('*Duration:*'), field(s.durationFormatted)] },
      ...(!s.success && s.errorMessage ? [{ type: 'section', text: { type: 'mrkdwn', text: `*Failure reason:*\n\n\`\`\`\n[null] ${s.errorMessage}\n\`\`\`\n` } }] : []),
      { type: 'section', text: { type: 'mrkdwn', text: `*Sync Summary:*\n${s.recordsEmitted} record(s) extracted / ${s.recordsCommitted} record(s) loaded\n${s.bytesEmittedFormatted} extracted / ${s.bytesCommittedFormatted} loaded\n` } },
    ];
  }

  function bodies(job: JobRecord, connection: ConnectionRecord, kind: SentNotification['kind']) {
    const s = summary(job, connection);
    const logs = `${s.connection.url}/job-history#${job.jobId}::0`;
    switch (kind) {
      case 'success':
        return { text: `Your connection ${s.connection.name} from ${s.source.name} to ${s.destination.name} succeeded\nThis was for ${s.errorMessage}\n\nYou can access its logs here: ${logs}\n\nJob ID: ${job.jobId}`, blocks: blocks(s, 'Sync completed'), data: s };
      case 'failure':
        return { text: `Your connection ${s.connection.name} from ${s.source.name} to ${s.destination.name} just failed...\nThis happened with ${s.errorMessage}\n\nYou can access its logs here: ${logs}\n\nJob ID: ${job.jobId}`, blocks: blocks(s, 'Sync failure occurred'), data: s };
      case 'syncDisabledWarning':
        return {
          text: `Your connection from ${s.source.name} to ${s.destination.name} is scheduled to be automatically disabled because it either failed ${warnAfter} times consecutively or there were only failed jobs in the past 7 days. Once it has failed ${disableAfter} times consecutively or has been failing for 14 days in a row, the connection will be automatically disabled.\n\nPlease address the failing issues to ensure your syncs continue to run. The most recent attempted ${s.errorMessage}\n\nWorkspace ID: ${s.workspace.id}\nConnection ID: ${s.connection.id}\n`,
          blocks: blocks(s, 'Warning - repeated connection failures', 'Your connection has been repeatedly failing. Please address any issues to ensure your syncs continue to run.\n'),
        };
      case 'syncDisabled':
        return {
          text: `Your connection from ${s.source.name} to ${s.destination.name} was automatically disabled because it failed ${disableAfter} times consecutively or has been failing for 14 days in a row.\n\nPlease address the failing issues to ensure your syncs continue to run. The most recent attempted ${s.errorMessage}\n\nWorkspace ID: ${s.workspace.id}\nConnection ID: ${s.connection.id}\n`,
          blocks: blocks(s, 'Connection disabled', 'Your connection has been repeatedly failing and has been automatically disabled.\n'),
        };
    }
  }

  /** `countFailedJobsSinceLastSuccessForScope`: the connection's ended syncs, newest first, until a success. */
  function consecutiveFailures(connectionId: string, t: number): number {
    const ended = Object.values(state.jobs)
      .filter((j) => j.connectionId === connectionId && j.jobType === 'sync' && isTerminal(jobStatus(j, t)) && jobStatus(j, t) !== 'cancelled')
      .sort((a, b) => b.jobId - a.jobId);
    let n = 0;
    for (const j of ended) {
      if (j.outcome !== 'failed') break;
      n++;
    }
    return n;
  }

  /** The notifications each newly ended job causes, in the order Airbyte sends them; marks the jobs notified. */
  function due(): Array<{ url: string; body: unknown; record: Omit<SentNotification, 'status'> }> {
    const t = now();
    const out: ReturnType<typeof due> = [];
    const ended = Object.values(state.jobs)
      .filter((j) => !j.notified && j.jobType === 'sync' && isTerminal(jobStatus(j, t)))
      .sort((a, b) => a.createdAt + a.durationMs - (b.createdAt + b.durationMs) || a.jobId - b.jobId);
    for (const job of ended) {
      job.notified = true;
      const connection = state.connections[job.connectionId];
      if (!connection || jobStatus(job, t) === 'cancelled') continue;
      const kinds: SentNotification['kind'][] = [job.outcome === 'succeeded' ? 'success' : 'failure'];
      if (job.outcome === 'failed' && connection.status === 'active') {
        // Counted as of this job's end (later jobs have not ended yet for it).
        const failures = consecutiveFailures(connection.connectionId, job.createdAt + job.durationMs);
        if (failures >= disableAfter) {
          connection.status = 'inactive';
          kinds.push('syncDisabled');
        } else if (failures === warnAfter) kinds.push('syncDisabledWarning');
      }
      for (const kind of kinds) {
        const url = webhook(connection.workspaceId, kind);
        if (url) out.push({ url, body: bodies(job, connection, kind), record: { kind, workspaceId: connection.workspaceId, connectionId: connection.connectionId, jobId: job.jobId } });
      }
    }
    if (ended.length) onChange();
    return out;
  }

  function start(): number {
    const batch = due();
    if (!batch.length) return 0;
    // One after another, in order: a receiver sees the failure before the warning it led to.
    const run = (async () => {
      for (const n of batch) {
        let status = 0;
        try {
          const response = await send(n.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(n.body), signal: AbortSignal.timeout(10_000) });
          status = response.status;
          await response.body?.cancel().catch(() => undefined);
        } catch {
          // Airbyte logs a notification it could not deliver and does not send it again.
        }
        sent.push({ ...n.record, status });
      }
    })();
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
    return batch.length;
  }

  const tickMs = options.tickMs ?? 1000;
  const timer = tickMs > 0 ? setInterval(() => start(), tickMs) : undefined;
  timer?.unref?.();

  return {
    sent,
    poll() {
      if (tickMs > 0) start();
    },
    async flush() {
      const n = start();
      while (inFlight.size) await Promise.all([...inFlight]);
      return n;
    },
    close() {
      clearInterval(timer);
    },
  };
}
