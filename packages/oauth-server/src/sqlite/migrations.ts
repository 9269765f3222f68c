/** One schema migration, applied in `version` order by the application's runner. */
export interface Migration {
  /** Unique, increasing; this package uses 200 and up to stay clear of the server's and tenancy's. */
  readonly version: number
  /** Short snake_case name. */
  readonly name: string
  /** SQL to run once (several statements; no PRAGMA, no transaction control). */
  readonly sql: string
}

// Expiry checks compare timestamps as text, which is only sound for one fixed shape: the output of
// `Date.prototype.toISOString()`. Every timestamp column checks it (NULL passes a CHECK).
const instant = (column: string): string =>
  `CHECK (${column} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z')`

const jsonArray = (column: string): string =>
  `CHECK (json_valid(${column}) AND json_type(${column}) = 'array')`

/**
 * The SQLite schema of `@pierre/oauth-server` (security spec §1.3–§1.8), as data. Secrets appear
 * only as hashes. Apply with the application's migration runner (each migration in a
 * transaction), or with `applyOAuthMigrations`.
 */
export const oauthMigrations: readonly Migration[] = Object.freeze([
  {
    version: 200,
    name: 'oauth_clients',
    sql: `
CREATE TABLE oauth_clients (
  client_id TEXT PRIMARY KEY,
  secret_hash TEXT,
  auth_method TEXT NOT NULL
    CHECK (auth_method IN ('none', 'client_secret_basic', 'client_secret_post')),
  redirect_uris TEXT NOT NULL ${jsonArray('redirect_uris')},
  grant_types TEXT NOT NULL ${jsonArray('grant_types')},
  scope TEXT,
  client_name TEXT,
  client_uri TEXT,
  logo_uri TEXT,
  tos_uri TEXT,
  policy_uri TEXT,
  software_id TEXT,
  software_version TEXT,
  created_at TEXT NOT NULL ${instant('created_at')},
  last_used_at TEXT ${instant('last_used_at')},
  source TEXT NOT NULL CHECK (source IN ('dcr', 'admin')),
  tenant_id TEXT
) STRICT;
CREATE INDEX oauth_clients_created_at ON oauth_clients (created_at);
`,
  },
  {
    version: 201,
    name: 'oauth_authorization_requests',
    sql: `
CREATE TABLE oauth_pending_requests (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  scope TEXT NOT NULL,
  state TEXT,
  code_challenge TEXT NOT NULL,
  resource TEXT NOT NULL,
  created_at TEXT NOT NULL ${instant('created_at')},
  expires_at TEXT NOT NULL ${instant('expires_at')},
  user_id TEXT,
  auth_time TEXT ${instant('auth_time')}
) STRICT;
CREATE INDEX oauth_pending_requests_expires_at ON oauth_pending_requests (expires_at);
CREATE TABLE oauth_sessions (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  created_at TEXT NOT NULL ${instant('created_at')},
  last_seen_at TEXT NOT NULL ${instant('last_seen_at')},
  expires_at TEXT NOT NULL ${instant('expires_at')},
  ip TEXT,
  user_agent TEXT
) STRICT;
`,
  },
  {
    version: 202,
    name: 'oauth_grants_and_tokens',
    sql: `
CREATE TABLE oauth_grants (
  grant_id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  resource TEXT NOT NULL,
  created_at TEXT NOT NULL ${instant('created_at')},
  absolute_expires_at TEXT NOT NULL ${instant('absolute_expires_at')},
  revoked_at TEXT ${instant('revoked_at')}
) STRICT;
CREATE INDEX oauth_grants_user ON oauth_grants (user_id, client_id);
CREATE TABLE oauth_codes (
  code_hash TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL REFERENCES oauth_grants (grant_id),
  client_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  scope TEXT NOT NULL,
  resource TEXT NOT NULL,
  code_challenge TEXT NOT NULL,
  auth_time TEXT ${instant('auth_time')},
  expires_at TEXT NOT NULL ${instant('expires_at')},
  used_at TEXT ${instant('used_at')}
) STRICT;
CREATE INDEX oauth_codes_grant ON oauth_codes (grant_id);
CREATE TABLE oauth_refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL REFERENCES oauth_grants (grant_id),
  client_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  resource TEXT NOT NULL,
  created_at TEXT NOT NULL ${instant('created_at')},
  expires_at TEXT NOT NULL ${instant('expires_at')},
  rotated_at TEXT ${instant('rotated_at')},
  replaced_by TEXT,
  revoked_at TEXT ${instant('revoked_at')}
) STRICT;
CREATE INDEX oauth_refresh_tokens_grant ON oauth_refresh_tokens (grant_id);
CREATE TABLE oauth_access_tokens (
  jti TEXT PRIMARY KEY,
  grant_id TEXT REFERENCES oauth_grants (grant_id),
  client_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  expires_at TEXT NOT NULL ${instant('expires_at')},
  revoked_at TEXT ${instant('revoked_at')}
) STRICT;
CREATE INDEX oauth_access_tokens_grant ON oauth_access_tokens (grant_id);
CREATE INDEX oauth_access_tokens_expires_at ON oauth_access_tokens (expires_at);
`,
  },
  {
    version: 203,
    name: 'oauth_consents',
    sql: `
CREATE TABLE oauth_consents (
  user_id TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  resource TEXT NOT NULL,
  scope TEXT NOT NULL,
  granted_at TEXT NOT NULL ${instant('granted_at')},
  PRIMARY KEY (user_id, tenant_id, client_id, resource)
) STRICT;
CREATE INDEX oauth_consents_user_client ON oauth_consents (user_id, client_id);
`,
  },
] satisfies Migration[])
