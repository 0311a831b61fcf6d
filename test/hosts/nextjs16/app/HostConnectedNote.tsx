'use client';
import { useSources } from 'airbyte-embed-kit';

// The host's own view of what was connected, through the kit's headless hook.
export function HostConnectedNote() {
  const sources = useSources();
  const ids = (sources.data ?? []).map((s) => s.sourceId);
  return ids.length ? <p data-testid="host-connected">Host saw source {ids.join(', ')}</p> : null;
}
