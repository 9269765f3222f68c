import type { Keyring } from '@pierre/tenancy'
import type Database from 'better-sqlite3'

/** A tenant's own OAuth app at a provider, as shown: never the secret. */
export interface TenantProviderApp {
  readonly tenantId: string
  readonly provider: string
  readonly clientId: string
  /** The redirect URI registered with the provider; the server's default when null. */
  readonly redirectUri: string | null
  readonly createdAt: string
  readonly updatedAt: string
}

/** What a tenant admin sets. */
interface TenantProviderAppInput {
  readonly clientId: string
  readonly clientSecret: string
  readonly redirectUri?: string | undefined
}

/** Tenants' provider app registrations (`specs/providers.md` §9), secrets encrypted at rest. */
export interface TenantProviderApps {
  /** Creates or replaces a tenant's app; the secret is encrypted under the tenant's data key. */
  set(tenantId: string, provider: string, input: TenantProviderAppInput): Promise<TenantProviderApp>
  /** The app without its secret. */
  get(tenantId: string, provider: string): TenantProviderApp | undefined
  /** Every app of a tenant, without secrets. */
  list(tenantId: string): readonly TenantProviderApp[]
  /** The app with its decrypted secret, for the OAuth client that needs it now. */
  reveal(
    tenantId: string,
    provider: string,
  ): Promise<(TenantProviderApp & { readonly clientSecret: string }) | undefined>
  /** Deletes a tenant's app; false when there was none. */
  remove(tenantId: string, provider: string): boolean
}

interface Row {
  tenant_id: string
  provider: string
  client_id: string
  client_secret_enc: string
  redirect_uri: string | null
  created_at: string
  updated_at: string
}

function toApp(row: Row): TenantProviderApp {
  return {
    tenantId: row.tenant_id,
    provider: row.provider,
    clientId: row.client_id,
    redirectUri: row.redirect_uri,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

const aad = (tenantId: string, provider: string) => ({
  purpose: 'tenant_provider_apps.client_secret',
  tenantId,
  provider,
})

/** Creates the SQLite store of tenants' provider apps (table `tenant_provider_apps`). */
export function createTenantProviderApps(
  db: Database.Database,
  keyring: Keyring,
  options: { readonly now?: () => Date } = {},
): TenantProviderApps {
  const now = options.now ?? (() => new Date())
  const selectOne = db.prepare(
    'SELECT * FROM tenant_provider_apps WHERE tenant_id = ? AND provider = ?',
  )
  const selectAll = db.prepare(
    'SELECT * FROM tenant_provider_apps WHERE tenant_id = ? ORDER BY provider',
  )
  const upsert = db.prepare(
    `INSERT INTO tenant_provider_apps
       (tenant_id, provider, client_id, client_secret_enc, redirect_uri, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (tenant_id, provider) DO UPDATE SET
       client_id = excluded.client_id, client_secret_enc = excluded.client_secret_enc,
       redirect_uri = excluded.redirect_uri, updated_at = excluded.updated_at`,
  )
  const deleteOne = db.prepare(
    'DELETE FROM tenant_provider_apps WHERE tenant_id = ? AND provider = ?',
  )
  const read = (tenantId: string, provider: string) =>
    selectOne.get(tenantId, provider) as Row | undefined

  return {
    async set(tenantId, provider, input) {
      const secret = await keyring.encrypt(aad(tenantId, provider), input.clientSecret)
      const at = now().toISOString()
      upsert.run(tenantId, provider, input.clientId, secret, input.redirectUri ?? null, at, at)
      return toApp(read(tenantId, provider) as Row)
    },
    get(tenantId, provider) {
      const row = read(tenantId, provider)
      return row === undefined ? undefined : toApp(row)
    },
    list: (tenantId) => (selectAll.all(tenantId) as Row[]).map(toApp),
    async reveal(tenantId, provider) {
      const row = read(tenantId, provider)
      if (row === undefined) return undefined
      const clientSecret = await keyring.decryptText(aad(tenantId, provider), row.client_secret_enc)
      return { ...toApp(row), clientSecret }
    },
    remove: (tenantId, provider) => deleteOne.run(tenantId, provider).changes > 0,
  }
}
