/**
 * `airbyte-embed-kit/server`: the backend proxy. Runs in your backend only; it holds the Airbyte
 * credentials. Never import this entry in browser code.
 */
export { createEmbedProxy, type EmbedProxyOptions, type FetchHandler, type LogEntry } from './server/proxy.ts';
export { createSessionToken, verifySessionToken, type Session, type SessionTokenOptions } from './server/sessionToken.ts';
export { toNodeListener } from './server/nodeAdapter.ts';
export { verifyWebhook, WebhookSignatureError, type RawWebhookRequest } from './server/webhooks/verify.ts';
export { WEBHOOK_EVENT_TYPES, type WebhookEvent, type WebhookEventType } from './server/webhooks/events.ts';
export { AirbyteClient, AirbyteApiError, type AirbyteClientOptions, type AirbyteCredentials } from './server/airbyteClient.ts';
export { ProxyStore, createEmbeddedStore, createPostgresStore, type SourceRecord, type OnboardingRecord } from './server/store/proxyStore.ts';
export type { SqlDriver } from './server/store/sqlDriver.ts';
export type { PgPool } from './server/store/postgresDriver.ts';
export {
  loadTemplatesFile,
  parseTemplates,
  sourceTemplateFromBody,
  connectionTemplateFromBody,
  type ConnectionTemplate,
  type SourceTemplate,
  type TemplateSet,
} from './server/templates.ts';
export { EmbedError } from './shared/errors.ts';
// The contract's values (its types come with `export type *`): the dts bundler drops `type` from
// names re-exported that way, so each value the declarations name must exist at runtime too.
export { SECRET_MASK, IDEMPOTENCY_HEADER, routes, buildPath, isTerminalJobStatus, isOnboardingPending } from './shared/contract.ts';
export type * from './shared/contract.ts';
