export type {
  ApiKeyService,
  ApiKeyServiceOptions,
  ApiKeySummary,
  CreatedApiKey,
} from './api-keys.js'
export {
  createApiKeyService,
  isApiKeyFormat,
  maxActiveApiKeysPerUser,
  trialKeyLifetimeDays,
} from './api-keys.js'
export type { AuditAction, AuditEvent, AuditSink } from './audit.js'
export type {
  AuthenticationRequest,
  AuthenticationResult,
  Authenticator,
  AuthenticatorOptions,
  ContextRequest,
} from './authenticate.js'
export { createAuthenticator } from './authenticate.js'
export type { ClientAddressInput, TrustProxy } from './client-address.js'
export { getClientAddress, parseTrustProxy } from './client-address.js'
export type { Credential, CredentialKind, RequestContext } from './context.js'
export { assertRequestContext, isRequestContext } from './context.js'
export type { AadParts, Keyring, KeyringOptions } from './crypto/keyring.js'
export { isKeyringInitialized, loadKeyring, platformTenantId } from './crypto/keyring.js'
export type { LoadedMasterKey, LoadMasterKeyOptions, MasterKey } from './crypto/master-key.js'
export { generateMasterKey, loadMasterKey, parseMasterKey } from './crypto/master-key.js'
export type { TenancyErrorCode, TenancyErrorOptions } from './errors.js'
export { getHttpStatus, isTenancyError, TenancyError } from './errors.js'
export type {
  IdentityService,
  IdentityServiceOptions,
  LockoutPolicy,
  LoginResult,
  User,
} from './identity.js'
export { createIdentityService, normalizeEmail } from './identity.js'
export type {
  JwksResult,
  KeyTransition,
  PublicJwk,
  SigningKeyInfo,
  SigningKeys,
  SigningKeysOptions,
} from './keys/signing-keys.js'
export { createSigningKeys } from './keys/signing-keys.js'
export type {
  PasswordCheck,
  PasswordHasher,
  PasswordHasherOptions,
  PasswordPolicyOptions,
  ScryptParameters,
} from './passwords.js'
export { checkPasswordPolicy, createPasswordHasher, defaultScryptParameters } from './passwords.js'
export type { Action, Actor, SystemActor } from './permissions.js'
export { assertCan, can, createSystemActor, isSystemActor } from './permissions.js'
export type {
  ProviderConnection,
  ProviderTokens,
  ProviderTokenVault,
  ProviderTokenVaultOptions,
} from './provider-tokens.js'
export { createProviderTokenVault } from './provider-tokens.js'
export type {
  RateLimitDecision,
  RateLimitDetails,
  RateLimiter,
  RateLimiterOptions,
  SimpleRateLimitDecision,
  TierLimits,
} from './rate-limit.js'
export { createRateLimiter, planQuotas, tierLimits } from './rate-limit.js'
export {
  addMemberSchema,
  createApiKeySchema,
  createTenantSchema,
  createUserSchema,
  passwordChangeSchema,
  profileUpdateSchema,
  provisionApiKeySchema,
  registrationSchema,
} from './schemas.js'
export { createMemoryStores } from './stores/memory.js'
export type {
  ApiKeyKind,
  ApiKeyRecord,
  ApiKeyStore,
  KeyStore,
  ListOptions,
  LoginThrottleRecord,
  LoginThrottleStore,
  MembershipRecord,
  MembershipStatus,
  MembershipStore,
  NewApiKey,
  NewMembership,
  NewProviderToken,
  NewUsageEvent,
  ProviderTokenRecord,
  ProviderTokenStore,
  QuotaResult,
  QuotaSubject,
  RateLimitStore,
  SetPlatformRoleResult,
  SigningKeyChange,
  SigningKeyRecord,
  SigningKeyState,
  SigningKeyStore,
  TenancyStores,
  TenantKeyRecord,
  TenantKeyStatus,
  TenantPatch,
  TenantRecord,
  TenantStatus,
  TenantStore,
  TokenBucketResult,
  UsageEventRecord,
  UsageEventStore,
  UserPatch,
  UserRecord,
  UserStore,
} from './stores/types.js'
export type { Tenancy, TenancyOptions } from './tenancy.js'
export { createTenancy } from './tenancy.js'
export type {
  AccessTokenClaims,
  IssueAccessTokenInput,
  IssuedAccessToken,
  TokenRejectionReason,
  TokenService,
  TokenServiceOptions,
  VerifiedAccessToken,
} from './tokens.js'
export { createTokenService } from './tokens.js'
export type {
  Logger,
  Now,
  PlatformRole,
  Scope,
  TenantPlan,
  TenantRole,
  Tier,
  UserStatus,
} from './types.js'
export { allScopes } from './types.js'
