export type {
  AdminDependencies,
  CreateApiKeyInput,
  CreateTenantInput,
  CreateUserInput,
} from './admin.js'
export {
  AdminError,
  approveUser,
  createApiKey,
  createTenant,
  createUser,
  describeAdminError,
  rotateKeys,
} from './admin.js'
export type { Pierre, PierreOptions } from './app.js'
export { createPierre, LOCAL_OWNER_ID } from './app.js'
export type { Config, ConfigFlags } from './config.js'
export { ConfigError, environmentSchema, loadConfig } from './config.js'
export type { Logger } from './logger.js'
export { createLogger } from './logger.js'
export type { Principal } from './mcp/server.js'
export type { Migration, MigrationReport } from './storage/database.js'
export { applyMigrations, openDatabase, StorageError } from './storage/database.js'
export type { OpenedTenancy, OpenTenancyOptions, TenancyTuning } from './tenancy.js'
export { DEFAULT_TENANT_SLUG, openTenancy, StartupError } from './tenancy.js'
export { VERSION } from './version.js'
