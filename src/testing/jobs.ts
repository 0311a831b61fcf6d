import type { JobFailureRecord, JobRecord } from './emulatorState.ts';

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** Whether a job status is final (succeeded, failed, cancelled). */
export function isTerminal(status: string): boolean {
  return TERMINAL.has(status);
}

/**
 * A job's status at time `now`, derived from its record so a controllable clock moves it:
 * pending for the first 15% of its duration, then running; a job bound to fail shows
 * `incomplete` (an attempt failed, Airbyte retries) from 60%, then `failed` at the end.
 */
export function jobStatus(job: JobRecord, now: number): string {
  if (job.cancelledAt !== undefined && job.cancelledAt <= now) return 'cancelled';
  const age = now - job.createdAt;
  if (age < job.durationMs * 0.15) return 'pending';
  if (age < job.durationMs) return job.outcome === 'failed' && age >= job.durationMs * 0.6 ? 'incomplete' : 'running';
  return job.outcome;
}

function isoDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${sec || (!h && !m) ? `${sec}S` : ''}`;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** When the job last changed: its end for terminal jobs, else now. */
export function jobUpdatedAt(job: JobRecord, now: number): number {
  const status = jobStatus(job, now);
  if (status === 'cancelled') return job.cancelledAt!;
  return isTerminal(status) ? job.createdAt + job.durationMs : now;
}

/** The API's `JobResponse` for a job at time `now`. */
export function jobResponse(job: JobRecord, now: number) {
  const status = jobStatus(job, now);
  const terminal = isTerminal(status);
  const end = jobUpdatedAt(job, now);
  const progress = status === 'pending' ? 0 : status === 'succeeded' ? 1 : Math.min(1, (end - job.createdAt) / job.durationMs) * (job.outcome === 'failed' ? 0.5 : 1);
  const rows = Math.floor(job.rowsTotal * progress);
  return {
    jobId: job.jobId,
    status,
    jobType: job.jobType,
    startTime: iso(job.createdAt),
    connectionId: job.connectionId,
    ...(terminal ? { lastUpdatedAt: iso(end) } : {}),
    ...(status === 'pending' ? {} : { duration: isoDuration(end - job.createdAt), rowsSynced: rows, bytesSynced: rows * 187 }),
  };
}

/**
 * A failed job's reason when `jobOutcome` gives none: `FailureHelper.sourceFailure`
 * (airbyte-commons-worker/src/main/kotlin/io/airbyte/workers/helper/FailureHelper.kt), what a sync
 * whose source crashed without an error trace message carries.
 */
export const DEFAULT_JOB_FAILURE: JobFailureRecord = { failureOrigin: 'source', externalMessage: 'Something went wrong within the source connector' };

/** `FailureHelper.failureSummaryForCancellation`: the attempt a cancel interrupted. */
const CANCELLED_FAILURE: JobFailureRecord = { failureType: 'manual_cancellation', internalMessage: 'Setting attempt to FAILED because the job was cancelled', externalMessage: 'This attempt was cancelled' };

/** One attempt of a job at time `now`: when it ran (ms), how it ended, why it failed. */
interface AttemptView {
  number: number;
  startedAt: number;
  endedAt?: number | undefined;
  status: 'running' | 'failed' | 'succeeded';
  failure?: JobFailureRecord | undefined;
}

/**
 * The attempts a job has had by `now`, on the same clock as {@link jobStatus}: the first starts
 * when the job leaves `pending` (15% of its duration). A job bound to fail has two, both failing with
 * its reason: the first at 60% (the public status is then `incomplete`, Airbyte retries), the retry
 * at the end. A cancel fails the attempt under way with the cancellation reason.
 */
export function jobAttempts(job: JobRecord, now: number): AttemptView[] {
  const at = (f: number) => job.createdAt + job.durationMs * f;
  const stop = job.cancelledAt !== undefined && job.cancelledAt <= now ? job.cancelledAt : undefined;
  const until = Math.min(now, stop ?? Number.POSITIVE_INFINITY);
  const plan: Array<{ start: number; end: number; status: 'failed' | 'succeeded'; failure?: JobFailureRecord }> =
    job.outcome === 'failed'
      ? [
          { start: at(0.15), end: at(0.6), status: 'failed', failure: job.failure ?? DEFAULT_JOB_FAILURE },
          { start: at(0.6), end: at(1), status: 'failed', failure: job.failure ?? DEFAULT_JOB_FAILURE },
        ]
      : [{ start: at(0.15), end: at(1), status: 'succeeded' }];
  const out: AttemptView[] = [];
  for (const [number, p] of plan.entries()) {
    if (p.start > until || (stop !== undefined && p.start >= stop)) break;
    if (p.end <= until) out.push({ number, startedAt: p.start, endedAt: p.end, status: p.status, ...(p.failure ? { failure: p.failure } : {}) });
    else if (stop !== undefined) out.push({ number, startedAt: p.start, endedAt: stop, status: 'failed', failure: CANCELLED_FAILURE });
    else out.push({ number, startedAt: p.start, status: 'running' });
  }
  return out;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/** The public job type as the Config API's `JobConfigType` (JobConverter.getJobRead). */
const CONFIG_TYPES: Record<string, string> = { sync: 'sync', reset: 'reset_connection', clear: 'clear', refresh: 'refresh' };

/** What a Config API job read needs besides the job: the connection's streams (`enabledStreams`). */
export interface ConfigJobContext {
  streams: Array<{ name: string; namespace?: string }>;
}

/**
 * The Config API's `JobRead` (airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/converters/JobConverter.kt
 * `getJobRead`): times in epoch seconds, `configId` the connection id, `enabledStreams` from the
 * configured catalog.
 */
export function configJobRead(job: JobRecord, now: number, ctx: ConfigJobContext) {
  const status = jobStatus(job, now);
  const attempts = jobAttempts(job, now);
  return {
    id: job.jobId,
    configType: CONFIG_TYPES[job.jobType] ?? job.jobType,
    configId: job.connectionId,
    enabledStreams: ctx.streams.map((s) => ({ name: s.name, ...(s.namespace === undefined ? {} : { namespace: s.namespace }) })),
    createdAt: seconds(job.createdAt),
    updatedAt: seconds(jobUpdatedAt(job, now)),
    ...(attempts.length ? { startedAt: seconds(attempts[0]!.startedAt) } : {}),
    status,
  };
}

/**
 * The Config API's `AttemptRead` (JobConverter `getAttemptRead`, `getAttemptFailureSummary`,
 * `getFailureReason`): `id` is the attempt number, times in seconds, a failure's `timestamp` in
 * milliseconds; a succeeded attempt carries its sync summary's totals.
 */
function attemptRead(job: JobRecord, a: AttemptView) {
  const rows = a.status === 'succeeded' ? job.rowsTotal : 0;
  return {
    id: a.number,
    status: a.status,
    createdAt: seconds(a.startedAt),
    updatedAt: seconds(a.endedAt ?? a.startedAt),
    ...(a.endedAt === undefined ? {} : { endedAt: seconds(a.endedAt) }),
    ...(a.status === 'succeeded'
      ? { bytesSynced: rows * 187, recordsSynced: rows, totalStats: { recordsEmitted: rows, bytesEmitted: rows * 187, recordsCommitted: rows, stateMessagesEmitted: 1 } }
      : {}),
    ...(a.failure ? { failureSummary: { failures: [{ ...a.failure, timestamp: a.endedAt ?? a.startedAt }], partialSuccess: false } } : {}),
  };
}

/** The log lines of one attempt (the emulator's own wording; Airbyte's logs are the worker's output). */
function attemptLogLines(a: AttemptView): string[] {
  const stamp = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '');
  const lines = [`${stamp(a.startedAt)} platform > Attempt ${a.number} started (airbyte-emulator)`];
  if (a.endedAt !== undefined) {
    lines.push(a.failure ? `${stamp(a.endedAt)} platform > ERROR ${a.failure.externalMessage ?? a.failure.internalMessage ?? 'Attempt failed'}` : `${stamp(a.endedAt)} platform > Attempt ${a.number} succeeded`);
  }
  return lines;
}

/**
 * `POST /api/v1/jobs/get` (`JobConverter.getJobInfoRead`: every attempt with its logs),
 * `/jobs/get_without_logs` (`JobHistoryHandler.getJobInfoWithoutLogsStatic`: attempts without logs,
 * the job hydrated with aggregated stats) and `/jobs/get_light` (`getJobInfoLightRead`: the job only).
 */
export function configJobInfo(job: JobRecord, now: number, ctx: ConfigJobContext, variant: 'get' | 'get_without_logs' | 'get_light') {
  const read = configJobRead(job, now, ctx);
  if (variant === 'get_light') return { job: read };
  const attempts = jobAttempts(job, now);
  if (variant === 'get') {
    return { job: read, attempts: attempts.map((a) => ({ attempt: attemptRead(job, a), logType: 'formatted', logs: { logLines: attemptLogLines(a) } })) };
  }
  const committed = attempts.reduce((n, a) => n + (a.status === 'succeeded' ? job.rowsTotal : 0), 0);
  return {
    job: { ...read, aggregatedStats: { recordsEmitted: committed, bytesEmitted: committed * 187, recordsCommitted: committed, bytesCommitted: committed * 187, recordsRejected: 0 } },
    attempts: attempts.map((a) => ({ attempt: attemptRead(job, a) })),
  };
}
