import { scryptSync, timingSafeEqual } from 'node:crypto'
import { exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose'
import { randomToken } from './internal/crypto.js'
import type {
  SigningKeyProvider,
  TenantChoice,
  UserAuthenticator,
  VerifiedClaims,
} from './types.js'

/** Options of {@link createLocalSigner}. */
export interface LocalSignerOptions {
  /** The issuer (`iss`), equal to the server's. */
  readonly issuer: string
  /** Access-token lifetime; default 3600 s. */
  readonly ttlSeconds?: number
  readonly now?: () => Date
}

/**
 * A self-contained {@link SigningKeyProvider}: one RS256 key pair generated in memory at start-up
 * (tokens die with the process). For development, tests and single-process demos; production
 * keeps keys in a key store with rotation (Pierre uses `@pierre/tenancy`).
 */
export async function createLocalSigner(options: LocalSignerOptions): Promise<SigningKeyProvider> {
  const { issuer } = options
  const ttl = options.ttlSeconds ?? 3600
  const now = options.now ?? (() => new Date())
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 })
  const kid = randomToken(12)
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }
  const document = { keys: [jwk] }
  const etag = `"${kid}"`
  return {
    async issueAccessToken(input) {
      const iat = Math.floor(now().getTime() / 1000)
      const jti = randomToken(16)
      const token = await new SignJWT({
        scope: input.scopes.join(' '),
        client_id: input.clientId,
        tenant: input.tenantId,
        ...(input.authTime === undefined
          ? {}
          : { auth_time: Math.floor(input.authTime.getTime() / 1000) }),
      })
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid })
        .setIssuer(issuer)
        .setSubject(input.subject)
        .setAudience(input.audience)
        .setIssuedAt(iat)
        .setNotBefore(iat)
        .setExpirationTime(iat + ttl)
        .setJti(jti)
        .sign(privateKey)
      return { token, jti, expiresAt: new Date((iat + ttl) * 1000) }
    },
    async verifyAccessToken(token, { audience }) {
      if (token.length > 8192) throw new Error('token too large')
      try {
        const { payload } = await jwtVerify(token, publicKey, {
          algorithms: ['RS256'],
          typ: 'at+jwt',
          issuer,
          audience,
          clockTolerance: 30,
          currentDate: now(),
          requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti', 'client_id', 'tenant'],
        })
        return { claims: payload as unknown as VerifiedClaims }
      } catch (error) {
        const code = (error as { code?: unknown }).code
        throw new Error(code === 'ERR_JWT_EXPIRED' ? 'token expired' : 'invalid token')
      }
    },
    async getJwks() {
      return { document, etag }
    },
  }
}

/** One user of {@link createMemoryUsers}. */
export interface MemoryUser {
  readonly id: string
  readonly email: string
  readonly password: string
  readonly tenants: readonly TenantChoice[]
  readonly active?: boolean
}

const dummySalt = Buffer.alloc(16, 7)

function derive(password: string, salt: Buffer): Buffer {
  return scryptSync(password.normalize('NFC'), salt, 32, { N: 16_384, r: 8, p: 1 })
}

/**
 * A {@link UserAuthenticator} over a fixed list of users, with scrypt-hashed passwords and a
 * lock-out of 5 failures per email in 15 minutes. For development and tests.
 */
export function createMemoryUsers(
  list: readonly MemoryUser[],
  options: { readonly now?: () => Date } = {},
): UserAuthenticator {
  const now = options.now ?? (() => new Date())
  const users = new Map(
    list.map((user) => {
      const salt = Buffer.from(randomToken(16))
      return [
        user.email.trim().toLowerCase(),
        { ...user, salt, hash: derive(user.password, salt), password: undefined },
      ] as const
    }),
  )
  const byId = new Map([...users.values()].map((user) => [user.id, user]))
  const failures = new Map<string, number[]>()
  const windowMs = 15 * 60_000
  return {
    async login({ email, password }) {
      const key = email.trim().toLowerCase().normalize('NFC')
      const nowMs = now().getTime()
      const recent = (failures.get(key) ?? []).filter((at) => nowMs - at < windowMs)
      if (recent.length >= 5) {
        const retryAfterSeconds = Math.ceil(((recent[0] as number) + windowMs - nowMs) / 1000)
        return { ok: false, reason: 'locked', retryAfterSeconds }
      }
      const user = users.get(key)
      const hash = derive(password, user?.salt ?? dummySalt)
      const valid = user !== undefined && timingSafeEqual(hash, user.hash)
      if (!valid) {
        failures.set(key, [...recent, nowMs])
        return { ok: false, reason: 'invalid_credentials' }
      }
      failures.delete(key)
      if (user.active === false) return { ok: false, reason: 'not_active' }
      return { ok: true, userId: user.id }
    },
    async tenantsOf(userId) {
      const user = byId.get(userId)
      return user === undefined || user.active === false ? [] : user.tenants
    },
    async isActiveMember(userId, tenantId) {
      const user = byId.get(userId)
      return (
        user !== undefined && user.active !== false && user.tenants.some((t) => t.id === tenantId)
      )
    },
    async describe(userId) {
      return byId.get(userId)?.email
    },
  }
}
