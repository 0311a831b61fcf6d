import type { ConnectionStatus, JobSummary } from '../shared/contract.ts';

const STATUS_TEXT: Record<JobSummary['status'], string> = {
  pending: 'Waiting to start',
  queued: 'Queued',
  running: 'Syncing',
  incomplete: 'Retrying',
  succeeded: 'Synced',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** A connection, its schedule and its latest sync, as the success step and a manage view show it. */
export function ConnectionStatusView({ status }: { status: ConnectionStatus }) {
  const { connection, latestJob } = status;
  return (
    <section className="aek-connection" aria-label={`Connection ${connection.name}`} data-job-status={latestJob?.status ?? 'none'}>
      <dl className="aek-facts">
        <div>
          <dt>Connection</dt>
          <dd className="aek-connection-name">{connection.name}</dd>
        </div>
        <div>
          <dt>Destination</dt>
          <dd>{connection.destinationName}</dd>
        </div>
        <div>
          <dt>Schedule</dt>
          <dd className="aek-schedule" title={connection.schedule.cronExpression ?? undefined}>
            {connection.schedule.description}
          </dd>
        </div>
        <div>
          <dt>First sync</dt>
          <dd className="aek-job" role="status" aria-live="polite" data-status={latestJob?.status ?? 'none'}>
            {latestJob ? (
              <>
                <span className="aek-badge" data-status={latestJob.status}>
                  {STATUS_TEXT[latestJob.status]}
                </span>
                {latestJob.rowsSynced !== undefined && (
                  <span className="aek-job-progress">
                    {' '}
                    {latestJob.rowsSynced.toLocaleString('en-US')} rows · {formatBytes(latestJob.bytesSynced ?? 0)}
                  </span>
                )}
              </>
            ) : (
              'No sync started yet'
            )}
          </dd>
        </div>
      </dl>
    </section>
  );
}
