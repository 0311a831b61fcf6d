import type { ConnectionTemplate, SourceTemplate } from '../templates.ts';
import { MIGRATIONS } from './migrations.ts';
import { pgliteDriver } from './pgliteDriver.ts';
import { postgresDriver, type PgPool } from './postgresDriver.ts';
import type { SqlDriver } from './sqlDriver.ts';

/** A source the proxy created for a customer, with what the manage view needs without asking Airbyte. */
export interface SourceRecord {
  sourceId: string;
  customerId: string;
  templateId: string;
  name: string;
  connectionIds: string[];
  /** destinationId → destination name. */
  destinationNames: Record<string, string>;
  createdAt: number;
  /** One identifying detail the customer typed (host, account…), for the manage view. */
  detail?: string | undefined;
  /** The onboarding (idempotency key) that made it: while that has not finished, the source shows "Setup not finished". */
  onboardingKey?: string | undefined;
  /** Airbyte answered that it no longer has this source (or its workspace): listed as "Removed in Airbyte". */
  removedInAirbyte?: boolean | undefined;
}

/** The durable state of one onboarding (one idempotency key), updated as each step completes. */
export interface OnboardingRecord {
  customerId: string;
  idempotencyKey: string;
  /** Hash of the request body: a key reused with other values is refused. */
  requestHash: string;
  templateId: string;
  /** `needs_streams`: waiting for the customer's choice; `stalled`: stopped on a transient failure, resumed by a retry. */
  status: 'running' | 'needs_streams' | 'succeeded' | 'failed' | 'stalled';
  /** Airbyte's secret id from the customer's sign-in (server side only). */
  oauthSecretId?: string | undefined;
  /** The source's name, decided once ("Postgres 2" when "Postgres" is taken). */
  sourceName?: string | undefined;
  /** The identifying detail (host, account…) taken from the customer's values, kept for a resume that has no values. */
  detail?: string | undefined;
  /** Self-managed: the details passed the Config API's check before the source was made. */
  prechecked?: boolean | undefined;
  /** What the credentials check (a discover) found. */
  catalog?: Array<{ name: string; namespace?: string; suggested: boolean }> | undefined;
  /** The check's streams as the first connection template's destination allows them (modes, cursors, keys). */
  checkedWith?: { destinationId: string; properties: Array<import('../airbyteTypes.ts').StreamProperties> } | undefined;
  /** The customer's stream choice, when a template asks for one. */
  chosenStreams?: Array<{ name: string; namespace?: string }> | undefined;
  workspaceId?: string | undefined;
  /** Whether this onboarding created the workspace (then its destinations need no lookup). */
  workspaceCreated?: boolean | undefined;
  /** Set just before `POST /sources`, so a retry after an unknown outcome looks before creating again. */
  sourceIntentAt?: number | undefined;
  sourceId?: string | undefined;
  /** Per connection template id. */
  connections: Record<string, { destinationIntentAt?: number; destinationId?: string; connectionIntentAt?: number; connectionId?: string; jobId?: number | null }>;
  /** The success answer, replayed for repeats of the same key. */
  result?: unknown | undefined;
  /** The final error (code and message), replayed for repeats of the same key. */
  error?: { code: string; message: string } | undefined;
}

/** A finished sign-in: Airbyte's secret id, usable once by its customer, for its template, from its page origin. */
export interface OAuthGrant {
  grantId: string;
  customerId: string;
  templateId: string;
  origin: string;
  secretId: string;
}

/** An OAuth credentials override the proxy set, without its values (what the operator API lists). */
export interface OAuthCredentialsSummary {
  actorType: 'source' | 'destination';
  name: string;
  scope: 'organization' | 'workspaces';
  organizationId?: string | undefined;
  /** Scope `workspaces`: how many workspaces have the current credentials. */
  workspaces?: number | undefined;
  updatedAt: string;
}

/** Credentials of scope `workspaces` still to apply to one workspace (server side only: holds the app's secret). */
export interface PendingOAuthCredentials {
  actorType: 'source' | 'destination';
  name: string;
  revision: number;
  configuration: Record<string, unknown>;
}

/** How long a store instance trusts its in-memory copy of the source templates. */
const TEMPLATE_CACHE_MS = 5000;

/**
 * What the proxy remembers that Airbyte cannot tell it cheaply: customer → workspace, destination
 * ids by name, templates, the sources it created, and onboarding progress. One SQL schema for
 * PGlite and PostgreSQL; migrations run on first use.
 */
export class ProxyStore {
  private ready: Promise<void> | undefined;
  private readonly workspaces = new Map<string, string>();
  private templates: { at: number; list: SourceTemplate[] } | undefined;
  private connectionTemplates: { at: number; list: Array<ConnectionTemplate & { id: string }> } | undefined;

  constructor(private readonly db: SqlDriver) {}

  /**
   * A query on the store's database once its migrations ran: for modules that keep their own
   * tables (src/server/webhooks/). Trap: outside {@link transaction}, each call commits alone.
   */
  query<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    return this.q<R>(sql, params);
  }

  /**
   * Runs `fn` with a store whose every query is one transaction (commits together, or not at all
   * when `fn` throws): a change and the webhook event reporting it are written together. Trap:
   * no `withLock` inside, and the in-memory caches of `tx` are its own.
   */
  async transaction<T>(fn: (tx: ProxyStore) => Promise<T>): Promise<T> {
    await this.init();
    return this.db.transaction((q) => {
      const tx = new ProxyStore({ query: q.query, withLock: () => Promise.reject(new Error('withLock inside a store transaction')), transaction: (inner) => inner(q), close: async () => undefined });
      tx.ready = Promise.resolve();
      return fn(tx);
    });
  }

  /** Applies pending migrations once (under a lock, so concurrent instances do not race). */
  init(): Promise<void> {
    this.ready ??= this.db.withLock('aek:migrations', async () => {
      await this.db.query('CREATE TABLE IF NOT EXISTS aek_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      const done = new Set((await this.db.query<{ version: number }>('SELECT version FROM aek_migrations')).map((r) => Number(r.version)));
      for (const [i, sql] of MIGRATIONS.entries()) {
        if (done.has(i + 1)) continue;
        for (const statement of sql.split(/;\s*$/m).map((s) => s.trim()).filter(Boolean)) await this.db.query(statement);
        await this.db.query('INSERT INTO aek_migrations (version) VALUES ($1)', [i + 1]);
      }
    });
    return this.ready;
  }

  private async q<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    await this.init();
    return this.db.query<R>(sql, params);
  }

  /** Runs `fn` exclusively for `key` across every proxy instance on this database. */
  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    await this.init();
    return this.db.withLock(key, fn);
  }

  async getWorkspaceId(customerId: string): Promise<string | undefined> {
    // A customer's workspace never changes once recorded: read it once per process.
    const known = this.workspaces.get(customerId);
    if (known) return known;
    const found = (await this.q<{ workspace_id: string }>('SELECT workspace_id FROM aek_customers WHERE customer_id = $1', [customerId]))[0]?.workspace_id;
    if (found) {
      if (this.workspaces.size > 50_000) this.workspaces.clear();
      this.workspaces.set(customerId, found);
    }
    return found;
  }

  async setWorkspaceId(customerId: string, workspaceId: string): Promise<void> {
    await this.q('INSERT INTO aek_customers (customer_id, workspace_id) VALUES ($1, $2) ON CONFLICT (customer_id) DO NOTHING', [customerId, workspaceId]);
    await this.q('DELETE FROM aek_workspace_intents WHERE customer_id = $1', [customerId]);
  }

  /** Marks that a workspace is about to be created for the customer: until it is recorded, its outcome is unknown. */
  async recordWorkspaceIntent(customerId: string): Promise<void> {
    await this.q('INSERT INTO aek_workspace_intents (customer_id) VALUES ($1) ON CONFLICT (customer_id) DO NOTHING', [customerId]);
  }

  async hasWorkspaceIntent(customerId: string): Promise<boolean> {
    return (await this.q('SELECT 1 FROM aek_workspace_intents WHERE customer_id = $1', [customerId])).length > 0;
  }

  /** The workspaces Airbyte had when this store first needed one, or undefined before that. */
  async hasWorkspaceSnapshot(): Promise<boolean> {
    return (await this.q("SELECT 1 FROM aek_meta WHERE key = 'workspace_snapshot'")).length > 0;
  }

  async saveWorkspaceSnapshot(workspaces: Array<{ name: string; workspaceId: string }>): Promise<void> {
    for (const w of workspaces) await this.q('INSERT INTO aek_workspace_snapshot (name, workspace_id) VALUES ($1, $2)', [w.name, w.workspaceId]);
    await this.q("INSERT INTO aek_meta (key, value) VALUES ('workspace_snapshot', $1) ON CONFLICT (key) DO NOTHING", [new Date().toISOString()]);
  }

  async snapshotWorkspaces(name: string): Promise<string[]> {
    return (await this.q<{ workspace_id: string }>('SELECT workspace_id FROM aek_workspace_snapshot WHERE name = $1', [name])).map((r) => r.workspace_id);
  }

  async getDestinationId(workspaceId: string, name: string): Promise<string | undefined> {
    return (await this.q<{ destination_id: string }>('SELECT destination_id FROM aek_destinations WHERE workspace_id = $1 AND name = $2', [workspaceId, name]))[0]?.destination_id;
  }

  async setDestinationId(workspaceId: string, name: string, destinationId: string): Promise<void> {
    await this.q(
      'INSERT INTO aek_destinations (workspace_id, name, destination_id) VALUES ($1, $2, $3) ON CONFLICT (workspace_id, name) DO UPDATE SET destination_id = EXCLUDED.destination_id',
      [workspaceId, name, destinationId],
    );
  }

  async forgetDestination(workspaceId: string, name: string): Promise<void> {
    await this.q('DELETE FROM aek_destinations WHERE workspace_id = $1 AND name = $2', [workspaceId, name]);
  }

  // ---- templates ----
  /**
   * Every source template. Read on most customer requests, written rarely: kept in memory for a
   * few seconds (another instance's change shows within TEMPLATE_CACHE_MS; this one's at once).
   * Trap: callers share the objects and must not mutate them.
   */
  async listSourceTemplates(): Promise<SourceTemplate[]> {
    if (this.templates && Date.now() - this.templates.at < TEMPLATE_CACHE_MS) return this.templates.list;
    const list = (await this.q<{ body: SourceTemplate }>('SELECT body FROM aek_source_templates ORDER BY created_at, id')).map((r) => r.body);
    this.templates = { at: Date.now(), list };
    return list;
  }

  async getSourceTemplate(id: string): Promise<SourceTemplate | undefined> {
    return (await this.listSourceTemplates()).find((t) => t.id === id);
  }

  async putSourceTemplate(template: SourceTemplate): Promise<void> {
    this.templates = undefined;
    await this.q(
      'INSERT INTO aek_source_templates (id, body) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body, updated_at = now()',
      [template.id, JSON.stringify(template)],
    );
  }

  async deleteSourceTemplate(id: string): Promise<boolean> {
    this.templates = undefined;
    return (await this.q('DELETE FROM aek_source_templates WHERE id = $1 RETURNING id', [id])).length > 0;
  }

  /** Every connection template; cached like the source templates (same trap: do not mutate). */
  async listConnectionTemplates(): Promise<Array<ConnectionTemplate & { id: string }>> {
    if (this.connectionTemplates && Date.now() - this.connectionTemplates.at < TEMPLATE_CACHE_MS) return this.connectionTemplates.list;
    const list = (await this.q<{ body: ConnectionTemplate & { id: string } }>('SELECT body FROM aek_connection_templates ORDER BY created_at, id')).map((r) => r.body);
    this.connectionTemplates = { at: Date.now(), list };
    return list;
  }

  async getConnectionTemplate(id: string): Promise<(ConnectionTemplate & { id: string }) | undefined> {
    return (await this.q<{ body: ConnectionTemplate & { id: string } }>('SELECT body FROM aek_connection_templates WHERE id = $1', [id]))[0]?.body;
  }

  async putConnectionTemplate(template: ConnectionTemplate & { id: string }): Promise<void> {
    this.connectionTemplates = undefined;
    await this.q(
      'INSERT INTO aek_connection_templates (id, body) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body, updated_at = now()',
      [template.id, JSON.stringify(template)],
    );
  }

  async deleteConnectionTemplate(id: string): Promise<boolean> {
    this.connectionTemplates = undefined;
    return (await this.q('DELETE FROM aek_connection_templates WHERE id = $1 RETURNING id', [id])).length > 0;
  }

  // ---- OAuth ----
  /** Marks a sign-in's state as used; false when it already was (a replayed callback). */
  async useOAuthState(nonce: string): Promise<boolean> {
    return (await this.q('INSERT INTO aek_oauth_states (nonce) VALUES ($1) ON CONFLICT (nonce) DO NOTHING RETURNING nonce', [nonce])).length > 0;
  }

  async saveOAuthGrant(grant: OAuthGrant): Promise<void> {
    await this.q('INSERT INTO aek_oauth_grants (grant_id, customer_id, template_id, origin, secret_id) VALUES ($1, $2, $3, $4, $5)', [grant.grantId, grant.customerId, grant.templateId, grant.origin, grant.secretId]);
  }

  /** The customer's unused grant for this template and origin, taken (single use); undefined otherwise. */
  async takeOAuthGrant(grantId: string, customerId: string, templateId: string, origin: string, maxAgeMs: number): Promise<string | undefined> {
    const rows = await this.q<{ secret_id: string }>(
      `UPDATE aek_oauth_grants SET used_at = now()
        WHERE grant_id = $1 AND customer_id = $2 AND template_id = $3 AND origin = $4 AND used_at IS NULL
          AND created_at > now() - $5 * interval '1 millisecond'
        RETURNING secret_id`,
      [grantId, customerId, templateId, origin, maxAgeMs],
    );
    return rows[0]?.secret_id;
  }

  // ---- the operator's OAuth apps ----
  /** Records credentials of scope `workspaces` (values kept to apply to new workspaces) or `organization` (no values); returns the revision. */
  async putOAuthCredentials(c: { actorType: string; name: string; scope: 'organization' | 'workspaces'; organizationId?: string; configuration?: Record<string, unknown> }): Promise<number> {
    const rows = await this.q<{ revision: number }>(
      `INSERT INTO aek_oauth_credentials (actor_type, name, scope, organization_id, configuration) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (actor_type, name, scope) DO UPDATE SET organization_id = EXCLUDED.organization_id, configuration = EXCLUDED.configuration,
         revision = aek_oauth_credentials.revision + 1, updated_at = now()
       RETURNING revision`,
      [c.actorType, c.name, c.scope, c.organizationId ?? null, c.configuration === undefined ? null : JSON.stringify(c.configuration)],
    );
    return Number(rows[0]!.revision);
  }

  /** Every override the proxy set: names, scope and counts, never the values. */
  async listOAuthCredentials(): Promise<OAuthCredentialsSummary[]> {
    const rows = await this.q<{ actor_type: string; name: string; scope: string; organization_id: string | null; updated_at: Date | string; applied: number | string }>(
      `SELECT c.actor_type, c.name, c.scope, c.organization_id, c.updated_at,
              (SELECT count(*) FROM aek_oauth_credentials_applied a WHERE a.actor_type = c.actor_type AND a.name = c.name AND a.revision = c.revision) AS applied
         FROM aek_oauth_credentials c ORDER BY c.actor_type, c.name, c.scope`,
    );
    return rows.map((r) => ({
      actorType: r.actor_type as 'source' | 'destination',
      name: r.name,
      scope: r.scope as 'organization' | 'workspaces',
      ...(r.organization_id ? { organizationId: r.organization_id } : {}),
      ...(r.scope === 'workspaces' ? { workspaces: Number(r.applied) } : {}),
      updatedAt: new Date(r.updated_at).toISOString(),
    }));
  }

  /** Forgets an override (both scopes); returns the scopes there were, and the organization of an `organization` one. */
  async deleteOAuthCredentials(actorType: string, name: string): Promise<Array<{ scope: 'organization' | 'workspaces'; organizationId?: string }>> {
    const rows = await this.q<{ scope: string; organization_id: string | null }>('DELETE FROM aek_oauth_credentials WHERE actor_type = $1 AND name = $2 RETURNING scope, organization_id', [actorType, name]);
    return rows.map((r) => ({ scope: r.scope as 'organization' | 'workspaces', ...(r.organization_id ? { organizationId: r.organization_id } : {}) }));
  }

  /** The workspaces an override of scope `workspaces` was applied to (any revision), and forgets them. */
  async takeOAuthCredentialWorkspaces(actorType: string, name: string): Promise<string[]> {
    return (await this.q<{ workspace_id: string }>('DELETE FROM aek_oauth_credentials_applied WHERE actor_type = $1 AND name = $2 RETURNING workspace_id', [actorType, name])).map((r) => r.workspace_id);
  }

  /** Credentials of scope `workspaces` whose current revision this workspace lacks (usually none: one indexed query). */
  async pendingOAuthCredentials(workspaceId: string): Promise<PendingOAuthCredentials[]> {
    const rows = await this.q<{ actor_type: string; name: string; revision: number; configuration: Record<string, unknown> }>(
      `SELECT c.actor_type, c.name, c.revision, c.configuration FROM aek_oauth_credentials c
        WHERE c.scope = 'workspaces' AND NOT EXISTS (
          SELECT 1 FROM aek_oauth_credentials_applied a WHERE a.workspace_id = $1 AND a.actor_type = c.actor_type AND a.name = c.name AND a.revision = c.revision)
        ORDER BY c.actor_type, c.name`,
      [workspaceId],
    );
    return rows.map((r) => ({ actorType: r.actor_type as 'source' | 'destination', name: r.name, revision: Number(r.revision), configuration: r.configuration }));
  }

  async markOAuthCredentialsApplied(workspaceId: string, actorType: string, name: string, revision: number): Promise<void> {
    await this.q(
      `INSERT INTO aek_oauth_credentials_applied (workspace_id, actor_type, name, revision) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, actor_type, name) DO UPDATE SET revision = EXCLUDED.revision, applied_at = now()`,
      [workspaceId, actorType, name, revision],
    );
  }

  /** Every workspace the proxy knows (customer → workspace). */
  async listCustomerWorkspaces(): Promise<Array<{ customerId: string; workspaceId: string }>> {
    return (await this.q<{ customer_id: string; workspace_id: string }>('SELECT customer_id, workspace_id FROM aek_customers ORDER BY created_at, customer_id')).map((r) => ({ customerId: r.customer_id, workspaceId: r.workspace_id }));
  }

  // ---- customers' sources ----
  async recordSource(record: SourceRecord): Promise<void> {
    await this.q(
      'INSERT INTO aek_sources (source_id, customer_id, template_id, body) VALUES ($1, $2, $3, $4) ON CONFLICT (source_id) DO UPDATE SET body = EXCLUDED.body',
      [record.sourceId, record.customerId, record.templateId, JSON.stringify(record)],
    );
  }

  async getSource(sourceId: string): Promise<SourceRecord | undefined> {
    return (await this.q<{ body: SourceRecord }>('SELECT body FROM aek_sources WHERE source_id = $1', [sourceId]))[0]?.body;
  }

  async listSources(customerId: string): Promise<SourceRecord[]> {
    return (await this.q<{ body: SourceRecord }>('SELECT body FROM aek_sources WHERE customer_id = $1 ORDER BY created_at, source_id', [customerId])).map((r) => r.body);
  }

  /**
   * Whether a source belongs to someone already: recorded as a customer's source, or the source
   * of another onboarding of the customer (its saga saves the id as soon as Airbyte answers the
   * create, before the source is recorded). An adoption must skip such a source.
   */
  async isSourceClaimed(sourceId: string, except: { customerId: string; idempotencyKey: string }): Promise<boolean> {
    const rows = await this.q(
      `SELECT 1 FROM aek_sources WHERE source_id = $1
       UNION ALL
       SELECT 1 FROM aek_onboardings WHERE customer_id = $2 AND idempotency_key <> $3 AND body->>'sourceId' = $1
       LIMIT 1`,
      [sourceId, except.customerId, except.idempotencyKey],
    );
    return rows.length > 0;
  }

  /**
   * The source names other onboardings of the customer hold while they run (saved in the last
   * minute, so a crashed one frees its name): a default name must not repeat one of them.
   */
  async namesInFlight(customerId: string, exceptKey: string): Promise<string[]> {
    const rows = await this.q<{ name: string }>(
      "SELECT body->>'sourceName' AS name FROM aek_onboardings WHERE customer_id = $1 AND idempotency_key <> $2 AND body->>'status' = 'running' AND body->>'sourceName' IS NOT NULL AND updated_at > now() - interval '60 seconds'",
      [customerId, exceptKey],
    );
    return rows.map((r) => r.name);
  }

  async deleteSource(sourceId: string): Promise<void> {
    await this.q('DELETE FROM aek_sources WHERE source_id = $1', [sourceId]);
  }

  // ---- onboarding saga ----
  async getOnboarding(customerId: string, key: string): Promise<OnboardingRecord | undefined> {
    return (await this.q<{ body: OnboardingRecord }>('SELECT body FROM aek_onboardings WHERE customer_id = $1 AND idempotency_key = $2', [customerId, key]))[0]?.body;
  }

  /**
   * The customer's onboardings that have not ended (running, waiting for a stream choice, or
   * stalled), with when each last saved a step. One indexed query.
   */
  async listOpenOnboardings(customerId: string): Promise<Array<{ record: OnboardingRecord; updatedAt: number }>> {
    const rows = await this.q<{ body: OnboardingRecord; updated_at: Date | string }>(
      "SELECT body, updated_at FROM aek_onboardings WHERE customer_id = $1 AND body->>'status' IN ('running', 'needs_streams', 'stalled') ORDER BY updated_at",
      [customerId],
    );
    return rows.map((r) => ({ record: r.body, updatedAt: new Date(r.updated_at).getTime() }));
  }

  /**
   * Forgets a workspace Airbyte no longer has: the customer's link to it (the next onboarding
   * finds or creates another), its destinations, its entry in the adoption snapshot and its OAuth
   * credentials bookkeeping; the customer's sources recorded in it are marked removed in Airbyte.
   */
  async forgetWorkspace(customerId: string, workspaceId: string): Promise<void> {
    this.workspaces.delete(customerId);
    await this.q('DELETE FROM aek_customers WHERE customer_id = $1 AND workspace_id = $2', [customerId, workspaceId]);
    await this.q('DELETE FROM aek_destinations WHERE workspace_id = $1', [workspaceId]);
    await this.q('DELETE FROM aek_workspace_snapshot WHERE workspace_id = $1', [workspaceId]);
    await this.q('DELETE FROM aek_oauth_credentials_applied WHERE workspace_id = $1', [workspaceId]);
    await this.q(`UPDATE aek_sources SET body = body || '{"removedInAirbyte": true}'::jsonb WHERE customer_id = $1`, [customerId]);
  }

  async saveOnboarding(record: OnboardingRecord): Promise<void> {
    await this.q(
      'INSERT INTO aek_onboardings (customer_id, idempotency_key, body) VALUES ($1, $2, $3) ON CONFLICT (customer_id, idempotency_key) DO UPDATE SET body = EXCLUDED.body, updated_at = now()',
      [record.customerId, record.idempotencyKey, JSON.stringify(record)],
    );
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/** The embedded store (PGlite): in memory, or kept in `dataDir` across restarts. */
export function createEmbeddedStore(options: { dataDir?: string | undefined } = {}): ProxyStore {
  return new ProxyStore(pgliteDriver(options));
}

/**
 * The PostgreSQL store, for production and for several proxy instances. Needs `pg` (an optional
 * peer dependency: `npm install pg`) unless you pass your own `pool` (a `pg.Pool` fits).
 */
export function createPostgresStore(options: { connectionString?: string | undefined; pool?: PgPool | undefined; max?: number | undefined }): ProxyStore {
  return new ProxyStore(postgresDriver(options));
}
