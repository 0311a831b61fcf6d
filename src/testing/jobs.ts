import type { JobRecord } from './emulatorState.ts';

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
