/**
 * The store's schema, one migration per entry, applied in order and recorded in
 * `aek_migrations`. Append only: never edit a migration that has shipped.
 */
export const MIGRATIONS: string[] = [
  `CREATE TABLE aek_customers (
     customer_id text PRIMARY KEY,
     workspace_id text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now()
   );
   CREATE TABLE aek_destinations (
     workspace_id text NOT NULL,
     name text NOT NULL,
     destination_id text NOT NULL,
     PRIMARY KEY (workspace_id, name)
   );
   CREATE TABLE aek_source_templates (
     id text PRIMARY KEY,
     body jsonb NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now()
   );
   CREATE TABLE aek_connection_templates (
     id text PRIMARY KEY,
     body jsonb NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now()
   );
   CREATE TABLE aek_sources (
     source_id text PRIMARY KEY,
     customer_id text NOT NULL,
     template_id text NOT NULL,
     body jsonb NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now()
   );
   CREATE INDEX aek_sources_customer ON aek_sources (customer_id);
   CREATE TABLE aek_onboardings (
     customer_id text NOT NULL,
     idempotency_key text NOT NULL,
     body jsonb NOT NULL,
     updated_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (customer_id, idempotency_key)
   );`,
  // Workspaces without a list call per new customer: the ones Airbyte had when this store first
  // needed one (so a store that was reset adopts them), and creations whose outcome is unknown.
  `CREATE TABLE aek_meta (
     key text PRIMARY KEY,
     value text NOT NULL
   );
   CREATE TABLE aek_workspace_snapshot (
     name text NOT NULL,
     workspace_id text NOT NULL
   );
   CREATE INDEX aek_workspace_snapshot_name ON aek_workspace_snapshot (name);
   CREATE TABLE aek_workspace_intents (
     customer_id text PRIMARY KEY,
     at timestamptz NOT NULL DEFAULT now()
   );`,
  // OAuth: each sign-in's one-time state (replay guard) and the grant it produced (Airbyte's
  // secret id, server side only), bound to one customer, template and page origin.
  `CREATE TABLE aek_oauth_grants (
     grant_id text PRIMARY KEY,
     customer_id text NOT NULL,
     template_id text NOT NULL,
     origin text NOT NULL,
     secret_id text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     used_at timestamptz
   );
   CREATE TABLE aek_oauth_states (
     nonce text PRIMARY KEY,
     used_at timestamptz NOT NULL DEFAULT now()
   );`,
  // The operator's own OAuth apps (Airbyte's OAuth credentials overrides). Scope `workspaces`: the
  // app's credentials (kept to apply them to each new customer's workspace; never read back out)
  // and which workspaces have which revision. Scope `organization`: set in Airbyte once, recorded
  // without the credentials so the operator API can list it.
  `CREATE TABLE aek_oauth_credentials (
     actor_type text NOT NULL,
     name text NOT NULL,
     scope text NOT NULL,
     organization_id text,
     configuration jsonb,
     revision int NOT NULL DEFAULT 1,
     updated_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (actor_type, name, scope)
   );
   CREATE TABLE aek_oauth_credentials_applied (
     workspace_id text NOT NULL,
     actor_type text NOT NULL,
     name text NOT NULL,
     revision int NOT NULL,
     applied_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (workspace_id, actor_type, name)
   );`,
  // Signed webhooks (src/server/webhooks/): the operator's endpoints, the outbox of events (written
  // in the transaction of the change they report) and one delivery per event and endpoint. Times
  // the worker schedules by are epoch ms (the proxy's clock, injectable in tests). Each workspace's
  // secret path token for Airbyte's own notifications, and the notifications already turned into
  // events (a replay is dropped).
  `CREATE TABLE aek_webhook_endpoints (
     id text PRIMARY KEY,
     url text NOT NULL,
     event_types text[] NOT NULL,
     description text,
     secret text NOT NULL,
     previous_secret text,
     previous_expires_at bigint,
     enabled boolean NOT NULL DEFAULT true,
     disabled_reason text,
     created_at bigint NOT NULL,
     updated_at bigint NOT NULL
   );
   CREATE TABLE aek_webhook_events (
     seq bigserial PRIMARY KEY,
     id text NOT NULL UNIQUE,
     type text NOT NULL,
     customer_id text NOT NULL,
     payload jsonb NOT NULL,
     created_at bigint NOT NULL
   );
   CREATE TABLE aek_webhook_deliveries (
     id text PRIMARY KEY,
     event_seq bigint NOT NULL REFERENCES aek_webhook_events (seq) ON DELETE CASCADE,
     endpoint_id text NOT NULL REFERENCES aek_webhook_endpoints (id) ON DELETE CASCADE,
     customer_id text NOT NULL,
     status text NOT NULL DEFAULT 'pending',
     attempts int NOT NULL DEFAULT 0,
     next_attempt_at bigint NOT NULL,
     lease_until bigint,
     last_status int,
     last_error text,
     last_attempt_at bigint,
     delivered_at bigint,
     UNIQUE (event_seq, endpoint_id)
   );
   CREATE INDEX aek_webhook_deliveries_due ON aek_webhook_deliveries (status, next_attempt_at) WHERE status = 'pending';
   CREATE INDEX aek_webhook_deliveries_order ON aek_webhook_deliveries (endpoint_id, customer_id, event_seq) WHERE status = 'pending';
   CREATE TABLE aek_notification_tokens (
     workspace_id text PRIMARY KEY,
     customer_id text NOT NULL,
     token text NOT NULL UNIQUE,
     kinds text NOT NULL,
     created_at bigint NOT NULL
   );
   CREATE TABLE aek_notifications_seen (
     key text PRIMARY KEY,
     at bigint NOT NULL
   );`,
  // Airbyte's workspace notifications (src/server/webhooks/notifications.ts, inbound.ts): where each
  // workspace's webhooks were pointed (a change of URL or kinds points them again), and the
  // sources whose last sync failed on their credentials (`credentialsBroken` in the manage view).
  `ALTER TABLE aek_notification_tokens ADD COLUMN target text NOT NULL DEFAULT '';
   CREATE TABLE aek_credentials_broken (
     source_id text PRIMARY KEY,
     customer_id text NOT NULL,
     connection_id text NOT NULL,
     job_id bigint,
     reason text,
     at bigint NOT NULL
   );
   CREATE INDEX aek_credentials_broken_customer ON aek_credentials_broken (customer_id);`,
];
