export type { OAuthLifetimes, OAuthRateLimits } from './core.js'
export { defaultScopeDescriptions } from './core.js'
export type { LocalSignerOptions, MemoryUser } from './local.js'
export { createLocalSigner, createMemoryUsers } from './local.js'
export { createMemoryOAuthStore } from './memory-store.js'
export { checkRedirectUri, matchRedirectUri } from './redirect-uri.js'
export type { AccessTokenRejection, OAuthServer, OAuthServerOptions } from './server.js'
export { createOAuthServer } from './server.js'
export type {
  AccessTokenRecord,
  AccessTokenStatus,
  AccessTokenStore,
  ClientRecord,
  ClientStore,
  CodeConsumeResult,
  CodeRecord,
  CodeStore,
  ConsentRecord,
  ConsentStore,
  GrantRecord,
  GrantStore,
  GrantType,
  OAuthStore,
  PendingRequestRecord,
  PendingRequestStore,
  RefreshTokenRecord,
  RefreshTokenStore,
  RotateResult,
  SessionRecord,
  SessionStore,
  TokenEndpointAuthMethod,
} from './store.js'
export type {
  AccessTokenInput,
  LoginOutcome,
  OAuthAuditEvent,
  OAuthLogger,
  OAuthRateLimiter,
  SigningKeyProvider,
  TenantChoice,
  UserAuthenticator,
  VerifiedClaims,
} from './types.js'
