import {
  createOAuthServer,
  type OAuthServer,
  type OAuthStore,
  type UserAuthenticator,
} from '@pierre/oauth-server'
import { getClientAddress, isTenancyError, type Tenancy } from '@pierre/tenancy'
import type { Config } from './config.js'
import type { Logger } from './logger.js'

/**
 * The tenancy side of the login pages: email and password through the identity service (scrypt,
 * the dummy hash for unknown emails, the per-email lock-out), tenants from active memberships.
 */
function tenancyUsers(tenancy: Tenancy): UserAuthenticator {
  const { stores } = tenancy
  return {
    async login(input) {
      try {
        const { user } = await tenancy.identity.login(input)
        return { ok: true, userId: user.id }
      } catch (error) {
        if (!isTenancyError(error)) throw error
        if (error.code === 'locked_out') {
          const retry = (error.details as { retryAfterSeconds?: unknown } | undefined)
            ?.retryAfterSeconds
          return {
            ok: false,
            reason: 'locked',
            ...(typeof retry === 'number' ? { retryAfterSeconds: retry } : {}),
          }
        }
        if (error.code === 'account_pending' || error.code === 'account_suspended') {
          return { ok: false, reason: 'not_active' }
        }
        if (error.code === 'invalid_credentials')
          return { ok: false, reason: 'invalid_credentials' }
        throw error
      }
    },
    async tenantsOf(userId) {
      const user = await stores.users.get(userId)
      if (user?.status !== 'active') return []
      const memberships = await stores.memberships.listForUser(userId)
      const choices = []
      for (const membership of memberships) {
        if (membership.status !== 'active') continue
        const tenant = await stores.tenants.get(membership.tenantId)
        if (tenant?.status === 'active') choices.push({ id: tenant.id, name: tenant.name })
      }
      return choices
    },
    async isActiveMember(userId, tenantId) {
      const [user, membership, tenant] = await Promise.all([
        stores.users.get(userId),
        stores.memberships.lookup(tenantId, userId),
        stores.tenants.get(tenantId),
      ])
      return (
        user?.status === 'active' && membership?.status === 'active' && tenant?.status === 'active'
      )
    },
    async describe(userId) {
      const user = await stores.users.get(userId)
      return user?.email
    },
  }
}

/** What {@link createPierreOAuthServer} needs. */
export interface PierreOAuthDependencies {
  readonly config: Config
  readonly store: OAuthStore
  readonly tenancy: Tenancy
  readonly logger: Logger
  /** The issuer: the public URL, else the bind address (equal to the token service's issuer). */
  readonly issuer: string
  readonly now?: () => Date
}

/**
 * The authorization server of `/mcp` (security spec §1): SQLite storage in the server's database,
 * logins against tenancy users, access tokens signed by tenancy's keys, limits through tenancy's
 * shared limiter. The HMAC secret of client secrets and CSRF tokens derives from the installation
 * pepper, so it is stable across restarts and never stored in clear.
 */
export function createPierreOAuthServer(deps: PierreOAuthDependencies): OAuthServer {
  const { config, tenancy, logger } = deps
  const secret = Buffer.from(tenancy.keyring.hmac('pierre/oauth-server/secret/v1'), 'hex')
  return createOAuthServer({
    issuer: deps.issuer,
    resources: ['/mcp'],
    store: deps.store,
    users: tenancyUsers(tenancy),
    keys: {
      issueAccessToken: (input) =>
        tenancy.tokens.issueAccessToken({
          subject: input.subject,
          audience: input.audience,
          tenantId: input.tenantId,
          clientId: input.clientId,
          scopes: input.scopes as Parameters<Tenancy['tokens']['issueAccessToken']>[0]['scopes'],
          ...(input.authTime === undefined ? {} : { authTime: input.authTime }),
        }),
      verifyAccessToken: (token, options) => tenancy.tokens.verifyAccessToken(token, options),
      getJwks: () => tenancy.signingKeys.getJwks(),
    },
    secret,
    registration: config.oauth.registration,
    extraRedirectSchemes: config.oauth.extraRedirectSchemes,
    lifetimes: { code: config.oauth.codeTtlSeconds, grant: config.oauth.grantMaxDays * 86_400 },
    rateLimiter: tenancy.rateLimiter,
    clientIp: (req) =>
      getClientAddress({
        socketAddress: req.socket.remoteAddress ?? '',
        forwardedFor: req.headers['x-forwarded-for'],
        trustProxy: config.auth.trustProxy,
      }),
    ...(deps.now === undefined ? {} : { now: deps.now }),
    logger: {
      info: (fields, message) => logger.info(fields, message),
      warn: (fields, message) => logger.warn(fields, message),
      error: (fields, message) => logger.error(fields, message),
    },
    audit: (event) => logger.info({ audit: event.action, ...event }, 'audit'),
  })
}
