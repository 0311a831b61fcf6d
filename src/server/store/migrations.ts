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
];
