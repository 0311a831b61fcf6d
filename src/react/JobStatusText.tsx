import type { JobSummary } from '../shared/contract.ts';
import { useTranslator } from './i18n.tsx';

/** A job's rows and bytes so far (" 1,200 rows · 224.4 kB"), or nothing before it has any. */
export function JobProgress({ job }: { job: JobSummary | null | undefined }) {
  const tr = useTranslator();
  if (job?.rowsSynced === undefined) return null;
  return (
    <span className="aek-job-progress">
      {' '}
      {tr.t('job.progress', { count: job.rowsSynced, rows: job.rowsSynced, bytes: tr.bytes(job.bytesSynced ?? 0) })}
    </span>
  );
}

/** A job's status as a badge, and its rows and bytes so far when it has any. */
export function JobStatusText({ job }: { job: JobSummary | null | undefined }) {
  const tr = useTranslator();
  if (!job) {
    return (
      <span className="aek-badge" data-status="none">
        {tr.t('job.none')}
      </span>
    );
  }
  return (
    <>
      <span className="aek-badge" data-status={job.status}>
        {tr.t(`job.${job.status}`)}
      </span>
      <JobProgress job={job} />
    </>
  );
}
