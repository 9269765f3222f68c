/** One schema migration, applied in `version` order by the server's runner. */
export interface Migration {
  /** Unique, increasing; this package uses 100 and up to stay clear of the server's own. */
  readonly version: number
  /** Short snake_case name. */
  readonly name: string
  /** SQL to run once (several statements; no PRAGMA, no transaction control). */
  readonly sql: string
}

const roles = `'user', 'admin', 'super_admin'`
const tiers = `'trial', 'starter', 'professional', 'enterprise'`

/**
 * The SQLite schema of `@pierre/tenancy`, as data (spec §3.2, §2.2, §2.4, §4.2, §4.4, §2.6). Every
 * tenant-owned table carries `tenant_id`, and its keys and foreign keys include it. Apply with the
 * server's migration runner (each migration in a transaction), or with `applyTenancyMigrations`.
 */
export const tenancyMigrations: readonly Migration[] = Object.freeze([
  {
    version: 100,
    name: 'tenancy_identity',
    sql: `
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  plan TEXT NOT NULL CHECK (plan IN ('starter', 'professional', 'enterprise')),
  status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'deleted')),
  auto_approval INTEGER NOT NULL DEFAULT 0 CHECK (auto_approval IN (0, 1)),
  quota_multiplier REAL NOT NULL DEFAULT 1 CHECK (quota_multiplier > 0),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  display_name TEXT,
  password_hash TEXT,
  platform_role TEXT NOT NULL CHECK (platform_role IN (${roles})),
  status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'suspended')),
  tier TEXT NOT NULL CHECK (tier IN (${tiers})),
  approved_by TEXT,
  approved_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_login_at TEXT,
  password_changed_at TEXT
) STRICT;
CREATE INDEX users_platform_role ON users (platform_role);
CREATE INDEX users_status ON users (status, created_at);
CREATE TABLE memberships (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  user_id TEXT NOT NULL REFERENCES users (id),
  role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'billing', 'member')),
  status TEXT NOT NULL CHECK (status IN ('invited', 'active', 'removed')),
  invited_by TEXT,
  created_at TEXT NOT NULL,
  joined_at TEXT,
  PRIMARY KEY (tenant_id, user_id)
) STRICT;
CREATE INDEX memberships_user ON memberships (user_id);
CREATE UNIQUE INDEX memberships_one_owner ON memberships (tenant_id)
  WHERE role = 'owner' AND status <> 'removed';
`,
  },
  {
    version: 101,
    name: 'tenancy_keys',
    sql: `
CREATE TABLE server_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
CREATE TABLE tenant_keys (
  tenant_id TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version > 0),
  wrapped_key TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'decrypt_only', 'destroyed')),
  created_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, version)
) STRICT;
CREATE UNIQUE INDEX tenant_keys_one_active ON tenant_keys (tenant_id) WHERE status = 'active';
CREATE TABLE signing_keys (
  kid TEXT PRIMARY KEY,
  state TEXT NOT NULL CHECK (state IN ('next', 'active', 'retiring', 'retired')),
  public_jwk TEXT NOT NULL,
  private_key TEXT NOT NULL,
  created_at TEXT NOT NULL,
  activate_at TEXT,
  activated_at TEXT,
  retire_at TEXT,
  retired_at TEXT
) STRICT;
CREATE TABLE signing_key_set (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
) STRICT;
INSERT INTO signing_key_set (id, version) VALUES (1, 0);
`,
  },
  {
    version: 102,
    name: 'tenancy_api_keys',
    sql: `
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('api', 'mcp')),
  tier TEXT NOT NULL CHECK (tier IN (${tiers})),
  scopes TEXT NOT NULL,
  lookup_hash TEXT NOT NULL UNIQUE,
  display_hint TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  last_used_at TEXT,
  revoked_at TEXT,
  created_by TEXT NOT NULL,
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES memberships (tenant_id, user_id)
) STRICT;
CREATE INDEX api_keys_owner ON api_keys (tenant_id, user_id, created_at);
`,
  },
  {
    version: 103,
    name: 'tenancy_usage',
    sql: `
CREATE TABLE rate_limit_state (
  key TEXT PRIMARY KEY,
  tat_ms INTEGER NOT NULL
) STRICT;
CREATE TABLE usage_counters (
  subject TEXT NOT NULL,
  period TEXT NOT NULL,
  count INTEGER NOT NULL CHECK (count >= 0),
  PRIMARY KEY (subject, period)
) STRICT;
CREATE TABLE usage_events (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  credential_id TEXT,
  tool TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
  duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
  at TEXT NOT NULL,
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES memberships (tenant_id, user_id)
) STRICT;
CREATE INDEX usage_events_tenant_at ON usage_events (tenant_id, at);
CREATE INDEX usage_events_user_at ON usage_events (tenant_id, user_id, at);
`,
  },
  {
    version: 104,
    name: 'tenancy_login_throttle',
    sql: `
CREATE TABLE login_throttle (
  subject TEXT PRIMARY KEY,
  failures INTEGER NOT NULL CHECK (failures >= 0),
  window_started_ms INTEGER NOT NULL,
  locked_until_ms INTEGER
) STRICT;
`,
  },
  {
    version: 105,
    name: 'tenancy_provider_tokens',
    sql: `
CREATE TABLE provider_tokens (
  tenant_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  provider TEXT NOT NULL,
  access_token_enc TEXT NOT NULL,
  refresh_token_enc TEXT,
  token_type TEXT NOT NULL,
  scope TEXT,
  expires_at TEXT,
  provider_user_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, user_id, provider),
  FOREIGN KEY (tenant_id, user_id) REFERENCES memberships (tenant_id, user_id)
) STRICT;
`,
  },
] satisfies Migration[])
