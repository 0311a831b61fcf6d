import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Airbyte's `DEFAULT_ORGANIZATION_ID` (airbyte-commons/src/main/kotlin/io/airbyte/commons/Constants.kt): a workspace created without an organization belongs to it. */
export const DEFAULT_ORGANIZATION_ID = '00000000-0000-0000-0000-000000000000';

/** A stored workspace. */
export interface WorkspaceRecord {
  workspaceId: string;
  name: string;
  dataResidency: string;
  notifications: Record<string, unknown>;
  createdAt: number;
  /** The organization it belongs to (absent in workspaces saved by older emulators: the default organization). */
  organizationId?: string | undefined;
  /** Deleted: Airbyte keeps the row with `tombstone` set (WorkspacesHandler.deleteWorkspace). */
  tombstone?: boolean | undefined;
}

/**
 * An OAuth credentials override (Airbyte's `actor_oauth_parameter` row): the app a workspace or an
 * organization uses for a connector's sign-in instead of Airbyte's own. Exactly one of
 * `workspaceId` and `organizationId` is set.
 */
export interface OAuthParamRecord {
  actorType: 'source' | 'destination';
  definitionId: string;
  workspaceId?: string | undefined;
  organizationId?: string | undefined;
  configuration: Record<string, unknown>;
  updatedAt: number;
}

/** A stored source or destination (an Airbyte "actor"). */
export interface ActorRecord {
  id: string;
  name: string;
  definitionId: string;
  workspaceId: string;
  configuration: Record<string, unknown>;
  createdAt: number;
  resourceAllocation?: Record<string, unknown> | undefined;
  /** Deleted: Airbyte keeps the record (tombstone) and clears its configuration. */
  tombstone?: boolean | undefined;
}

/** A stream of a connection, as `configurations.streams[]` reads it back. */
export interface StreamConfig {
  name: string;
  namespace?: string | undefined;
  syncMode: string;
  cursorField?: string[] | undefined;
  primaryKey?: string[][] | undefined;
  selectedFields?: Array<{ fieldPath: string[] }> | undefined;
}

/** A stored connection; `status` is `deprecated` once deleted. */
export interface ConnectionRecord {
  connectionId: string;
  name: string;
  sourceId: string;
  destinationId: string;
  workspaceId: string;
  status: string;
  schedule: { scheduleType: string; cronExpression?: string };
  nonBreakingSchemaUpdatesBehavior: string;
  namespaceDefinition: string;
  namespaceFormat?: string | undefined;
  prefix: string;
  configurations: { streams: StreamConfig[] };
  createdAt: number;
  tags: unknown[];
  /** Up to when cron runs have been turned into jobs (ms). */
  scheduledUntil: number;
}

/**
 * Why a job's attempts failed: the Config API's `FailureReason` (config.yaml), as the worker's
 * airbyte-commons-worker/src/main/kotlin/io/airbyte/workers/helper/FailureHelper.kt builds it.
 */
export interface JobFailureRecord {
  failureOrigin?: 'source' | 'destination' | 'replication' | 'persistence' | 'airbyte_platform' | 'normalization' | 'dbt' | 'unknown' | undefined;
  failureType?: 'config_error' | 'system_error' | 'manual_cancellation' | 'refresh_schema' | 'heartbeat_timeout' | 'destination_timeout' | 'transient_error' | undefined;
  externalMessage?: string | undefined;
  internalMessage?: string | undefined;
  retryable?: boolean | undefined;
}

/** A stored job; its status is derived from the clock (see jobs.ts). */
export interface JobRecord {
  jobId: number;
  jobType: string;
  connectionId: string;
  workspaceId: string;
  createdAt: number;
  durationMs: number;
  outcome: 'succeeded' | 'failed';
  /** For a failed job: the reason each of its attempts failed with. */
  failure?: JobFailureRecord | undefined;
  cancelledAt?: number | undefined;
  rowsTotal: number;
  /** Its end was seen and the workspace's notifications sent (notifications.ts). */
  notified?: boolean | undefined;
}

/** An OAuth flow, from its consent URL to its completion (the key is its `state`). */
export interface OAuthRecord {
  workspaceId: string;
  sourceType: string;
  redirectUrl: string;
  createdAt: number;
  /** The source definition (absent in flows saved by older emulators). */
  definitionId?: string | undefined;
  /** `public`: initiateOAuth → oauth/callback → secret_id (Cloud); `config`: get_consent_url → code → complete_oauth (self-managed). */
  api?: 'public' | 'config' | undefined;
  /** The `oAuthInputConfiguration` the flow was started with. */
  input?: Record<string, unknown> | undefined;
  /** The source being re-authenticated (Config API `sourceId`). */
  sourceId?: string | undefined;
  /** The authorization code issued on Allow; completing the flow needs it. */
  code?: string | undefined;
  /** The operator's app the consent URL was made for (an OAuth credentials override), as the provider names it. */
  appName?: string | undefined;
}

/** Everything the emulator knows, as plain JSON so it can be written to disk. */
export interface EmulatorState {
  version: 1;
  workspaces: Record<string, WorkspaceRecord>;
  sources: Record<string, ActorRecord>;
  destinations: Record<string, ActorRecord>;
  connections: Record<string, ConnectionRecord>;
  jobs: Record<string, JobRecord>;
  nextJobId: number;
  /** initiateOAuth `state` → the flow it belongs to. */
  oauthFlows: Record<string, OAuthRecord>;
  /** `secret_id` → a completed flow's `auth_payload` (tokens, masked server outputs) to put into a source configuration. */
  oauthSecrets: Record<string, { workspaceId: string; sourceType: string; values: Record<string, unknown> }>;
  /** sourceId → the last successful discover: Airbyte's actor catalog cache, keyed by connector version and config hash. */
  catalogs: Record<string, CatalogCacheRecord>;
  /** `workspace:<id>:<actorType>:<definitionId>` or `organization:<id>:…` → an OAuth credentials override. */
  oauthParams: Record<string, OAuthParamRecord>;
}

/** A cached discover result: which configuration (hash) and connector version it was made with. */
export interface CatalogCacheRecord {
  configHash: string;
  dockerImageTag: string;
  discoveredAt: number;
}

const TABLES = ['workspaces', 'sources', 'destinations', 'connections', 'jobs', 'oauthFlows', 'oauthSecrets', 'catalogs', 'oauthParams'] as const;

/**
 * A table keyed by ids that arrive in URLs: without a prototype, so `/v1/workspaces/constructor`
 * finds nothing (a 404, as Airbyte, which looks ids up in its database) instead of `Object`.
 */
function table<T>(rows: Record<string, T> = {}): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, rows);
}

/** A state with every table empty. */
export function emptyState(): EmulatorState {
  const state = { version: 1, nextJobId: 1 } as EmulatorState;
  for (const name of TABLES) (state as unknown as Record<string, unknown>)[name] = table();
  return state;
}

const FILE = 'airbyte-emulator-state.json';

/** Loads the state saved in `dataDir`, or an empty one. Refuses a file it cannot read, rather than losing it. */
export function loadState(dataDir: string | undefined): EmulatorState {
  if (!dataDir) return emptyState();
  let text: string;
  try {
    text = readFileSync(path.join(dataDir, FILE), 'utf8');
  } catch {
    return emptyState();
  }
  const state = JSON.parse(text) as EmulatorState;
  if (state.version !== 1) throw new Error(`${path.join(dataDir, FILE)} has state version ${String(state.version)}; this emulator reads version 1. Move the file away to start fresh.`);
  const loaded = { ...emptyState(), ...state };
  for (const name of TABLES) (loaded as unknown as Record<string, unknown>)[name] = table(loaded[name] as Record<string, unknown>);
  return loaded;
}

/** Writes the state atomically (temp file + rename), so a crash never leaves half a file. */
export function saveState(dataDir: string | undefined, state: EmulatorState): void {
  if (!dataDir) return;
  mkdirSync(dataDir, { recursive: true });
  const target = path.join(dataDir, FILE);
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, target);
}
