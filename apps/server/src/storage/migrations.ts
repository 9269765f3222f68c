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
