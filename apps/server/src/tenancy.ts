import type { OAuthStore } from '@pierre/oauth-server'
import { createSqliteOAuthStore } from '@pierre/oauth-server/sqlite'
import {
  createSystemActor,
  createTenancy,
  generateMasterKey,
  isKeyringInitialized,
  isTenancyError,
  loadMasterKey,
  type MasterKey,
  type Tenancy,
  type TenancyOptions,
  type TenantRecord,
} from '@pierre/tenancy'
import { createSqliteStores } from '@pierre/tenancy/sqlite'
import type Database from 'better-sqlite3'
import type { Config } from './config.js'
import type { Logger } from './logger.js'
import { openDatabase } from './storage/database.js'

/** Slug of the tenant created on first run; local mode, stdio and the admin CLI default to it. */
export const DEFAULT_TENANT_SLUG = 'local'

/** Tenancy settings tests may lower (RSA modulus, scrypt cost) or control (clock). */
export type TenancyTuning = Pick<TenancyOptions, 'signing' | 'passwords' | 'now'>

/** Raised when start-up must stop with one line (wrong or missing master key, insecure key file). */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StartupError'
  }
}

/** Options of {@link openTenancy}. */
export interface OpenTenancyOptions {
  readonly logger: Logger
  /** Use an in-memory database and a generated master key (tests). */
  readonly inMemoryDatabase?: boolean | undefined
  /** A master key to use instead of the configured one (tests). */
  readonly masterKey?: MasterKey | undefined
  readonly tuning?: TenancyTuning | undefined
}

/** The database and the tenancy services over it. */
export interface OpenedTenancy {
  readonly db: Database.Database
  readonly tenancy: Tenancy
  /** The tenant created on first run (slug `local`). */
  readonly defaultTenant: TenantRecord
  /** The issuer of access tokens (the public URL, else the bind address). */
  readonly issuer: string
  /** The authorization server's storage, in the same database. */
  readonly oauthStore: OAuthStore
}

/** The issuer and base URL when `PIERRE_PUBLIC_URL` is not set: the bind address. */
function defaultIssuer(config: Config): string {
  if (config.auth.publicUrl !== undefined) return config.auth.publicUrl
  const host = config.http.host.includes(':')
    ? `[${config.http.host.replace(/^\[|\]$/g, '')}]`
    : config.http.host
  return `http://${host}:${config.http.port}`
}

async function masterKeyFor(
  config: Config,
  options: OpenTenancyOptions,
  hasKeys: boolean,
): Promise<MasterKey> {
  if (options.masterKey !== undefined) return options.masterKey
  if (options.inMemoryDatabase === true && config.keys.masterKey === undefined) {
    return generateMasterKey()
  }
  const loaded = await loadMasterKey({
    value: config.keys.masterKey,
    file: config.keys.masterKeyFile,
    dataDir: config.dataDir,
    databaseHasKeys: hasKeys,
  })
  for (const warning of loaded.warnings) options.logger.warn({ path: loaded.path }, warning)
  if (loaded.source === 'generated') {
    options.logger.info({ path: loaded.path }, 'generated master key')
  }
  return loaded.key
}

/** Returns the tenant with slug `local`, creating it on first run (idempotent, race-safe). */
async function ensureDefaultTenant(tenancy: Tenancy, logger: Logger): Promise<TenantRecord> {
  const existing = await tenancy.stores.tenants.getBySlug(DEFAULT_TENANT_SLUG)
  if (existing !== undefined) return existing
  try {
    const tenant = await tenancy.identity.createTenant(createSystemActor('first run'), {
      slug: DEFAULT_TENANT_SLUG,
      name: 'Local',
    })
    logger.info({ tenant: tenant.slug, tenantId: tenant.id }, 'created default tenant')
    return tenant
  } catch (error) {
    const again = await tenancy.stores.tenants.getBySlug(DEFAULT_TENANT_SLUG)
    if (isTenancyError(error) && error.code === 'conflict' && again !== undefined) return again
    throw error
  }
}

/**
 * Opens the database (server and tenancy migrations), loads the master key (`PIERRE_MASTER_ENCRYPTION_KEY`,
 * `PIERRE_MASTER_KEY_FILE` or `<dataDir>/master.key`, generated 0600 on first run), checks it against
 * the database, wires `@pierre/tenancy` and creates the default tenant.
 *
 * @throws {@link StartupError} for a wrong, missing, malformed or insecure master key;
 *   `StorageError` when the database cannot be opened or migrated.
 */
export async function openTenancy(
  config: Config,
  options: OpenTenancyOptions,
): Promise<OpenedTenancy> {
  const db = openDatabase(
    options.inMemoryDatabase === true ? ':memory:' : { dataDir: config.dataDir },
  )
  try {
    const stores = createSqliteStores(db)
    const masterKey = await masterKeyFor(config, options, await isKeyringInitialized(stores.keys))
    const issuer = defaultIssuer(config)
    const oauthStore = createSqliteOAuthStore(db)
    const tenancy = await createTenancy({
      ...options.tuning,
      stores,
      masterKey,
      issuer,
      logger: options.logger,
      // Every access token is checked against the OAuth server's revocation state (spec §1.6 step 5).
      authentication: { checkAccessToken: (claims) => oauthStore.accessTokens.status(claims.jti) },
    })
    const defaultTenant = await ensureDefaultTenant(tenancy, options.logger)
    return { db, tenancy, defaultTenant, issuer, oauthStore }
  } catch (error) {
    db.close()
    if (isTenancyError(error) && error.code.startsWith('master_key_')) {
      throw new StartupError(error.message, { cause: error })
    }
    throw error
  }
}
