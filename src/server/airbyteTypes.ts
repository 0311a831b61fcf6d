/**
 * The subset of the Airbyte public API (`api.yaml`, https://api.airbyte.com/v1) that the proxy
 * calls, typed by hand from the official spec. Field names follow the spec exactly.
 */

export interface AccessTokenResponse {
  access_token: string;
  token_type?: string | undefined;
  expires_in: number;
}

/** One notification kind's settings (api.yaml `NotificationConfig`). */
export interface NotificationConfig {
  email?: { enabled?: boolean } | undefined;
  webhook?: { enabled?: boolean; url?: string } | undefined;
}

/** A workspace's notifications (api.yaml `NotificationsConfig`): one entry per kind. */
export interface NotificationsConfig {
  failure?: NotificationConfig | undefined;
  success?: NotificationConfig | undefined;
  connectionUpdate?: NotificationConfig | undefined;
  connectionUpdateActionRequired?: NotificationConfig | undefined;
  syncDisabled?: NotificationConfig | undefined;
  syncDisabledWarning?: NotificationConfig | undefined;
}

export interface WorkspaceResponse {
  workspaceId: string;
  name: string;
  dataResidency: string;
  notifications: Record<string, unknown>;
}

export interface SourceResponse {
  sourceId: string;
  name: string;
  sourceType: string;
  definitionId: string;
  workspaceId: string;
  configuration: Record<string, unknown>;
  createdAt: number;
}

export interface DestinationResponse {
  destinationId: string;
  name: string;
  destinationType: string;
  definitionId: string;
  workspaceId: string;
  configuration: Record<string, unknown>;
  createdAt: number;
}

export type ScheduleType = 'manual' | 'cron';
export type NonBreakingSchemaUpdatesBehavior = 'ignore' | 'disable_connection' | 'propagate_columns' | 'propagate_fully';

/** The public API's `ConnectionSyncModeEnum`. */
export type ConnectionSyncMode =
  | 'full_refresh_overwrite'
  | 'full_refresh_overwrite_deduped'
  | 'full_refresh_append'
  | 'full_refresh_update'
  | 'full_refresh_soft_delete'
  | 'incremental_append'
  | 'incremental_deduped_history'
  | 'incremental_update'
  | 'incremental_soft_delete';

/** One entry of `configurations.streams` (the public API's `StreamConfiguration`). */
export interface StreamConfiguration {
  name: string;
  namespace?: string | undefined;
  syncMode?: ConnectionSyncMode | undefined;
  cursorField?: string[] | undefined;
  primaryKey?: string[][] | undefined;
}

/** `GET /streams` (the spec's `StreamProperties`): `syncModes` is empty without a `destinationId`. */
export interface StreamProperties {
  streamName: string;
  streamnamespace?: string | undefined;
  syncModes?: ConnectionSyncMode[] | undefined;
  defaultCursorField?: string[] | undefined;
  sourceDefinedCursorField?: boolean | undefined;
  sourceDefinedPrimaryKey?: string[][] | undefined;
  propertyFields?: string[][] | undefined;
}

export interface ConnectionCreateRequest {
  sourceId: string;
  destinationId: string;
  name?: string | undefined;
  schedule?: { scheduleType: ScheduleType; cronExpression?: string } | undefined;
  nonBreakingSchemaUpdatesBehavior?: NonBreakingSchemaUpdatesBehavior | undefined;
  namespaceDefinition?: 'source' | 'destination' | 'custom_format' | undefined;
  namespaceFormat?: string | undefined;
  prefix?: string | undefined;
  status?: 'active' | 'inactive' | undefined;
  configurations?: { streams: StreamConfiguration[] } | undefined;
  dataResidency?: string | undefined;
}

export interface ConnectionResponse {
  connectionId: string;
  name: string;
  sourceId: string;
  destinationId: string;
  workspaceId: string;
  status: 'active' | 'inactive' | 'deprecated' | 'locked';
  schedule: { scheduleType: 'manual' | 'cron' | 'basic'; cronExpression?: string; basicTiming?: string };
  nonBreakingSchemaUpdatesBehavior?: NonBreakingSchemaUpdatesBehavior | undefined;
  namespaceDefinition?: string | undefined;
  namespaceFormat?: string | undefined;
  prefix?: string | undefined;
  configurations: { streams?: StreamConfiguration[] };
  dataResidency?: string | undefined;
  createdAt: number;
  tags: unknown[];
}

export type JobStatusEnum = 'pending' | 'queued' | 'running' | 'incomplete' | 'failed' | 'succeeded' | 'cancelled';

export interface JobResponse {
  jobId: number;
  status: JobStatusEnum;
  jobType: 'sync' | 'reset' | 'refresh' | 'clear';
  startTime: string;
  connectionId: string;
  lastUpdatedAt?: string | undefined;
  duration?: string | undefined;
  bytesSynced?: number | undefined;
  rowsSynced?: number | undefined;
}

export interface ListResponse<T> {
  data: T[];
  next?: string | undefined;
  previous?: string | undefined;
}

/** Airbyte's error ("problem") body. */
export interface AirbyteProblem {
  type?: string | undefined;
  title?: string | undefined;
  status?: number | undefined;
  detail?: string | undefined;
  data?: unknown | undefined;
}
