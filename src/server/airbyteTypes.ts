/**
 * The subset of the Airbyte public API (`api.yaml`, https://api.airbyte.com/v1) that the proxy
 * calls, typed by hand from the official spec. Field names follow the spec exactly.
 */

export interface AccessTokenResponse {
  access_token: string;
  token_type?: string;
  expires_in: number;
}

/** One notification kind's settings (api.yaml `NotificationConfig`). */
export interface NotificationConfig {
  email?: { enabled?: boolean };
  webhook?: { enabled?: boolean; url?: string };
}

/** A workspace's notifications (api.yaml `NotificationsConfig`): one entry per kind. */
export interface NotificationsConfig {
  failure?: NotificationConfig;
  success?: NotificationConfig;
  connectionUpdate?: NotificationConfig;
  connectionUpdateActionRequired?: NotificationConfig;
  syncDisabled?: NotificationConfig;
  syncDisabledWarning?: NotificationConfig;
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
  namespace?: string;
  syncMode?: ConnectionSyncMode;
  cursorField?: string[];
  primaryKey?: string[][];
}

/** `GET /streams` (the spec's `StreamProperties`): `syncModes` is empty without a `destinationId`. */
export interface StreamProperties {
  streamName: string;
  streamnamespace?: string;
  syncModes?: ConnectionSyncMode[];
  defaultCursorField?: string[];
  sourceDefinedCursorField?: boolean;
  sourceDefinedPrimaryKey?: string[][];
  propertyFields?: string[][];
}

export interface ConnectionCreateRequest {
  sourceId: string;
  destinationId: string;
  name?: string;
  schedule?: { scheduleType: ScheduleType; cronExpression?: string };
  nonBreakingSchemaUpdatesBehavior?: NonBreakingSchemaUpdatesBehavior;
  namespaceDefinition?: 'source' | 'destination' | 'custom_format';
  namespaceFormat?: string;
  prefix?: string;
  status?: 'active' | 'inactive';
  configurations?: { streams: StreamConfiguration[] };
  dataResidency?: string;
}

export interface ConnectionResponse {
  connectionId: string;
  name: string;
  sourceId: string;
  destinationId: string;
  workspaceId: string;
  status: 'active' | 'inactive' | 'deprecated' | 'locked';
  schedule: { scheduleType: 'manual' | 'cron' | 'basic'; cronExpression?: string; basicTiming?: string };
  nonBreakingSchemaUpdatesBehavior?: NonBreakingSchemaUpdatesBehavior;
  namespaceDefinition?: string;
  namespaceFormat?: string;
  prefix?: string;
  configurations: { streams?: StreamConfiguration[] };
  dataResidency?: string;
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
  lastUpdatedAt?: string;
  duration?: string;
  bytesSynced?: number;
  rowsSynced?: number;
}

export interface ListResponse<T> {
  data: T[];
  next?: string;
  previous?: string;
}

/** Airbyte's error ("problem") body. */
export interface AirbyteProblem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  data?: unknown;
}
