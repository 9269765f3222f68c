import { type ApiKeyService, createApiKeyService } from './api-keys.js'
import type { AuditSink } from './audit.js'
import {
  type Authenticator,
  type AuthenticatorOptions,
  createAuthenticator,
} from './authenticate.js'
import { type Keyring, loadKeyring } from './crypto/keyring.js'
import type { MasterKey } from './crypto/master-key.js'
import { createIdentityService, type IdentityService, type LockoutPolicy } from './identity.js'
import {
  createSigningKeys,
  type SigningKeys,
  type SigningKeysOptions,
} from './keys/signing-keys.js'
import {
  createPasswordHasher,
  type PasswordHasher,
  type PasswordHasherOptions,
} from './passwords.js'
import { createProviderTokenVault, type ProviderTokenVault } from './provider-tokens.js'
import { createRateLimiter, type RateLimiter } from './rate-limit.js'
import type { TenancyStores } from './stores/types.js'
import { createTokenService, type TokenService, type TokenServiceOptions } from './tokens.js'
import type { Logger, Now } from './types.js'

/** Options of {@link createTenancy}: the server's wiring in one object. */
export interface TenancyOptions {
  /** Every store (`createMemoryStores()` or `createSqliteStores(db)`). */
  readonly stores: TenancyStores
  /** The master key (`loadMasterKey`). */
  readonly masterKey: MasterKey
  /** Issuer URL of access tokens (`PIERRE_PUBLIC_URL`). */
  readonly issuer: string
  /** Clock shared by every service. */
  readonly now?: Now
  /** Structural logger shared by every service. */
  readonly logger?: Logger
  /** Receives audit events. */
  readonly audit?: AuditSink
  /** Signing-key settings (modulus, rotation and overlap periods). */
  readonly signing?: Omit<SigningKeysOptions, 'store' | 'keyring' | 'now' | 'logger'>
  /** Access-token settings (lifetime, skew). */
  readonly tokens?: Omit<TokenServiceOptions, 'signingKeys' | 'issuer' | 'now'>
  /** Password hashing settings. */
  readonly passwords?: PasswordHasherOptions
  /** Login lock-out policy. */
  readonly lockout?: LockoutPolicy
  /** Common passwords to refuse (lower-case). */
  readonly commonPasswords?: ReadonlySet<string>
  /** Authentication extras: the OAuth server's revocation check, the rejected-credential limit. */
  readonly authentication?: Pick<AuthenticatorOptions, 'checkAccessToken' | 'failedCredentialLimit'>
}

/** Every service of this package, wired together. */
export interface Tenancy {
  readonly stores: TenancyStores
  readonly keyring: Keyring
  readonly signingKeys: SigningKeys
  readonly tokens: TokenService
  readonly passwords: PasswordHasher
  readonly identity: IdentityService
  readonly apiKeys: ApiKeyService
  readonly rateLimiter: RateLimiter
  readonly authenticator: Authenticator
  readonly providerTokens: ProviderTokenVault
}

/**
 * Opens the keyring (checking the master key against the database), makes sure a signing key is
 * active, and wires every service.
 *
 * @throws `master_key_mismatch` when the master key does not belong to this database.
 * @example
 * const tenancy = await createTenancy({
 *   stores: createMemoryStores(),
 *   masterKey: generateMasterKey(),
 *   issuer: 'https://pierre.example.com',
 * })
 */
export async function createTenancy(options: TenancyOptions): Promise<Tenancy> {
  const { stores } = options
  const shared = {
    ...(options.now ? { now: options.now } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  }
  const now = options.now ? { now: options.now } : {}
  const audit = options.audit ? { audit: options.audit } : {}
  const keyring = await loadKeyring({ masterKey: options.masterKey, store: stores.keys, ...shared })
  const signingKeys = createSigningKeys({
    ...options.signing,
    store: stores.signingKeys,
    keyring,
    ...shared,
  })
  await signingKeys.ensureActiveKey()
  const tokens = createTokenService({
    ...options.tokens,
    signingKeys,
    issuer: options.issuer,
    ...now,
  })
  const passwords = createPasswordHasher(options.passwords)
  const identity = createIdentityService({
    stores,
    passwords,
    keyring,
    ...now,
    ...audit,
    ...(options.lockout ? { lockout: options.lockout } : {}),
    ...(options.commonPasswords ? { commonPasswords: options.commonPasswords } : {}),
  })
  const apiKeys = createApiKeyService({ stores, keyring, ...now, ...audit })
  const rateLimiter = createRateLimiter({
    store: stores.rateLimits,
    tenants: stores.tenants,
    ...now,
  })
  const authenticator = createAuthenticator({
    ...options.authentication,
    tokens,
    apiKeys,
    stores,
    rateLimiter,
    ...now,
  })
  const providerTokens = createProviderTokenVault({ store: stores.providerTokens, keyring, ...now })
  return {
    stores,
    keyring,
    signingKeys,
    tokens,
    passwords,
    identity,
    apiKeys,
    rateLimiter,
    authenticator,
    providerTokens,
  }
}
