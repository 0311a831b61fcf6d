import type { OnboardingResult } from '../shared/contract.ts';
import type { WidgetSession } from './session.tsx';

/**
 * Reports a source the saga connected (a connect, or "Finish setup"): `source_created`, then a
 * `sync_started` for each first sync its connection templates started on create.
 *
 * Its own module (not in session.tsx): the lazy Finish setup panel imports it, and a lazy chunk that
 * imports session.tsx makes host bundlers (Vite 8) split the catalog page into more files (0.8 KiB
 * more gzip).
 */
export function reportConnected(session: Pick<WidgetSession, 'emit'>, result: OnboardingResult): void {
  const { sourceId, templateId } = result.source;
  session.emit('source_created', { sourceId, templateId, ...(result.connections[0] ? { connectionId: result.connections[0].connection.connectionId } : {}) });
  for (const { connection, firstJob } of result.connections) {
    if (firstJob) session.emit('sync_started', { sourceId, connectionId: connection.connectionId, jobId: firstJob.jobId });
  }
}
