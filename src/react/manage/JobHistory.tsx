
import { ErrorBanner } from '../ErrorBanner.tsx';
import { useJobs, type HookOptions } from '../hooks.ts';
import { useTranslator } from '../i18n.tsx';

/** A connection's syncs, newest first: status, start, duration, rows and bytes. Polled while the newest runs. */
export function JobHistory({ connectionId, name, id, client }: HookOptions & { connectionId: string; name: string; id?: string }) {
  const tr = useTranslator();
  const jobs = useJobs(connectionId, { client });
  if (jobs.isPending) {
    return (
      <p id={id} className="aek-loading" role="status">
        {tr.t('history.loading')}
      </p>
    );
  }
  if (jobs.isError) return <div id={id}><ErrorBanner error={jobs.error} onRetry={() => void jobs.refetch()} /></div>;
  if (!jobs.data.length) {
    return (
      <p id={id} className="aek-muted aek-history-empty">
        {tr.t('history.empty')}
      </p>
    );
  }
  return (
    <div id={id} className="aek-history">
      <table className="aek-table">
        <caption className="aek-visually-hidden">
          {tr.t('history.caption', { name })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{tr.t('history.status')}</th>
            <th scope="col">{tr.t('history.started')}</th>
            <th scope="col">{tr.t('history.duration')}</th>
            <th scope="col" className="aek-num">
              {tr.t('history.rows')}
            </th>
            <th scope="col" className="aek-num">
              {tr.t('history.bytes')}
            </th>
          </tr>
        </thead>
        <tbody>
          {jobs.data.map((job) => (
            <tr key={job.jobId} data-status={job.status}>
              <td>
                <span className="aek-badge" data-status={job.status}>
                  {tr.t(`job.${job.status}`)}
                </span>
              </td>
              <td>{tr.dateTime(job.startTime)}</td>
              <td>{job.duration ? tr.duration(job.duration) : '—'}</td>
              <td className="aek-num">{job.rowsSynced === undefined ? '—' : tr.number(job.rowsSynced)}</td>
              <td className="aek-num">{job.bytesSynced === undefined ? '—' : tr.bytes(job.bytesSynced)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
