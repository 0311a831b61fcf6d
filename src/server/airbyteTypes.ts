/**
 * The subset of the Airbyte public API (`api.yaml`, https://api.airbyte.com/v1) that the proxy
 * calls, typed by hand from the official spec. Field names follow the spec exactly.
 */

export interface AccessTokenResponse {
  access_token: string;
  token_type?: string;
  expires_in: number;
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
  configurations: { streams?: unknown[] };
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
