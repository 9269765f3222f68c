/**
 * A structural, pino-compatible logger. Optional everywhere; the default does nothing. Fields never
 * carry secrets.
 */
export interface Logger {
  /** Per-operation detail. */
  debug(fields: object, message: string): void
  /** Lifecycle events (key generated, key rotated). */
  info(fields: object, message: string): void
  /** Degraded but handled. */
  warn(fields: object, message: string): void
  /** Someone must act (for example a ciphertext that fails authentication). */
  error(fields: object, message: string): void
}

/** Returns the current instant; injected so that tests control time. */
export type Now = () => Date

/** The subscription tiers of API keys and users (spec §4.3). */
export type Tier = 'trial' | 'starter' | 'professional' | 'enterprise'

/** A tenant's plan (spec §3.2, §4.3). */
export type TenantPlan = 'starter' | 'professional' | 'enterprise'

/** Platform roles (`users.platform_role`, spec §3.5). */
export type PlatformRole = 'user' | 'admin' | 'super_admin'

/** Tenant roles (`memberships.role`, spec §3.2). */
export type TenantRole = 'owner' | 'admin' | 'billing' | 'member'

/** User lifecycle states (spec §3.4). */
export type UserStatus = 'pending' | 'active' | 'suspended'

/** Scopes a credential may carry (spec §1.2, confirmed in §8). */
export type Scope = 'fitness:read' | 'fitness:write' | 'providers:manage'

/** Every scope, in canonical order. */
export const allScopes: readonly Scope[] = Object.freeze([
  'fitness:read',
  'fitness:write',
  'providers:manage',
])
