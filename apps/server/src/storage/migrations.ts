import { oauthMigrations } from '@pierre/oauth-server/sqlite'
import { tenancyMigrations } from '@pierre/tenancy/sqlite'
import type { Migration } from './database.js'

/**
 * The server's migrations, in order. Later issues append (tenancy, OAuth, providers); a released
 * migration is never edited.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'server_instance',
    sql: `CREATE TABLE server_instance (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL
);`,
  },
  {
    version: 2,
    name: 'provider_records',
    // Normalized records kept by the server for providers that have no API of their own to read
    // from (imported files today, pushed webhook data later): one row per (tenant, user, provider,
    // kind, id). Imported activities use the content hash of their file as id, so importing a file
    // again finds the same key. Streams are a separate kind with the activity's id.
    sql: `CREATE TABLE provider_records (
  tenant_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  provider TEXT NOT NULL,
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  start_at TEXT,
  local_date TEXT,
  format TEXT,
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, user_id, provider, kind, id)
);
CREATE INDEX provider_records_by_start
  ON provider_records (tenant_id, user_id, provider, kind, start_at);`,
  },
  {
    version: 3,
    name: 'tenant_provider_apps',
    // A tenant's own OAuth app registration at a provider; the secret is encrypted under the
    // tenant's data key (AAD purpose tenant_provider_apps.client_secret).
    sql: `CREATE TABLE tenant_provider_apps (
  tenant_id TEXT NOT NULL,
  provider TEXT NOT NULL,
  client_id TEXT NOT NULL,
  client_secret_enc TEXT NOT NULL,
  redirect_uri TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, provider)
);`,
  },
  {
    version: 4,
    name: 'provider_oauth_states',
    // Pending provider authorizations: the state is stored as its SHA-256, the PKCE verifier
    // encrypted under the tenant's data key; single use, 10 minutes.
    sql: `CREATE TABLE provider_oauth_states (
  state_hash TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  provider TEXT NOT NULL,
  code_verifier_enc TEXT,
  redirect_uri TEXT NOT NULL,
  scopes TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX provider_oauth_states_by_expiry ON provider_oauth_states (expires_at);`,
  },
  {
    version: 5,
    name: 'local_provider_tokens',
    // Provider tokens of principals without a user account (the owner of local single-user
    // mode), which tenancy's provider_tokens cannot hold (it references memberships). Same
    // encryption: AES-256-GCM under the tenant's data key, bound to tenant, user and provider.
    sql: `CREATE TABLE local_provider_tokens (
  tenant_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  provider TEXT NOT NULL,
  access_token_enc TEXT NOT NULL,
  refresh_token_enc TEXT,
  token_type TEXT NOT NULL,
  scope TEXT,
  expires_at TEXT,
  provider_user_id TEXT,
  status TEXT NOT NULL,
  status_reason TEXT,
  connected_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, user_id, provider)
);`,
  },
  {
    version: 6,
    name: 'provider_records_instant',
    // The instant of a record in epoch milliseconds (its start, else its local date at 00:00
    // UTC), for ordering and range queries of pushed data: start_at keeps the provider's offset,
    // so its text does not sort by time. Existing rows are filled from start_at/local_date where
    // SQLite can read them; the pushed-data store writes it on every upsert, the imported-files
    // store (which orders by start_at itself) leaves it NULL on rows it writes.
    sql: `ALTER TABLE provider_records ADD COLUMN instant_ms INTEGER;
UPDATE provider_records
  SET instant_ms = CAST(round(unixepoch(
    CASE WHEN start_at IS NOT NULL THEN start_at ELSE local_date || 'T00:00:00Z' END,
    'subsec') * 1000) AS INTEGER);
CREATE INDEX provider_records_by_instant
  ON provider_records (tenant_id, user_id, provider, kind, instant_ms);`,
  },
  {
    version: 7,
    name: 'terra_connections',
    // Wearable accounts connected through Terra: Terra's user id is the key (webhooks look it up
    // before they know the tenant), each row owned by one user of one tenant. Scopes as a JSON
    // array; connected_at_ms orders a user's connections whatever the text of connected_at.
    sql: `CREATE TABLE terra_connections (
  terra_user_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  resource TEXT,
  scopes TEXT NOT NULL,
  status TEXT NOT NULL,
  status_reason TEXT,
  connected_at TEXT NOT NULL,
  connected_at_ms INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX terra_connections_by_user
  ON terra_connections (tenant_id, user_id, connected_at_ms);`,
  },
  {
    version: 8,
    name: 'terra_deliveries',
    // Terra webhook deliveries already accepted (their signature), kept until the signature's
    // timestamp window has passed, so that a replay is refused by every server instance.
    sql: `CREATE TABLE terra_deliveries (
  delivery_id TEXT PRIMARY KEY,
  expires_at_ms INTEGER NOT NULL
);
CREATE INDEX terra_deliveries_by_expiry ON terra_deliveries (expires_at_ms);`,
  },
  {
    version: 9,
    name: 'provider_accounts',
    // Which user of which tenant a provider's user id belongs to, for push deliveries that name
    // only the provider's user (Garmin, COROS). One account per (provider, provider user) and one
    // per (tenant, user, provider), like the single stored connection it mirrors.
    sql: `CREATE TABLE provider_accounts (
  provider TEXT NOT NULL,
  provider_user_id TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  linked_at TEXT NOT NULL,
  PRIMARY KEY (provider, provider_user_id)
);
CREATE UNIQUE INDEX provider_accounts_by_user
  ON provider_accounts (tenant_id, user_id, provider);`,
  },
]

/**
 * Every migration the server applies: its own, `@pierre/tenancy`'s (versions 100 and up) and
 * `@pierre/oauth-server`'s (200 and up), run by the one runner so that they share
 * `schema_migrations` and one transaction each.
 */
export const allMigrations: readonly Migration[] = [
  ...migrations,
  ...tenancyMigrations,
  ...oauthMigrations,
]
