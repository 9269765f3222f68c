import type { Request, Response } from 'express'
import { hmac, randomToken } from './internal/crypto.js'
import { page, type SafeHtml } from './internal/html.js'
import type { GrantType, OAuthStore } from './store.js'
import type {
  OAuthAuditEvent,
  OAuthLogger,
  OAuthRateLimiter,
  SigningKeyProvider,
  UserAuthenticator,
} from './types.js'

/** The scopes Pierre grants (security spec §1.2), with the words the consent page uses. */
export const defaultScopeDescriptions: Readonly<Record<string, string>> = {
  'fitness:read': 'Read your activities, sleep, recovery and fitness analyses',
  'fitness:write': 'Save goals, configurations and recipes',
  'providers:manage': 'Connect and disconnect your fitness providers',
}

/** Requests per minute and per client address (security spec §1.9, §1.4.2). */
export interface OAuthRateLimits {
  readonly authorize: number
  readonly token: number
  readonly register: number
  readonly login: number
}

/** Lifetimes in seconds (security spec §1.8). */
export interface OAuthLifetimes {
  readonly code: number
  readonly pendingRequest: number
  readonly refreshToken: number
  readonly grant: number
  readonly sessionIdle: number
  readonly sessionAbsolute: number
}

/** The resolved configuration every handler reads. */
export interface Core {
  readonly issuer: string
  /** Canonical resource URIs, first = default. */
  readonly resources: readonly string[]
  readonly scopes: readonly string[]
  readonly scopeDescriptions: Readonly<Record<string, string>>
  readonly store: OAuthStore
  readonly users: UserAuthenticator
  readonly keys: SigningKeyProvider
  readonly secret: Uint8Array
  readonly now: () => Date
  readonly logger: OAuthLogger | undefined
  readonly audit: (event: OAuthAuditEvent) => void
  readonly limiter: OAuthRateLimiter
  readonly limits: OAuthRateLimits
  readonly lifetimes: OAuthLifetimes
  readonly registration: 'open' | 'token' | 'off'
  readonly checkInitialAccessToken: ((token: string) => Promise<boolean>) | undefined
  readonly extraRedirectSchemes: readonly string[]
  readonly clientCredentials: boolean
  readonly revokeAccessRevokesGrant: boolean
  readonly resourceName: string
  readonly clientIp: (req: Request) => string
  /** Plain-http loopback issuer: cookies without `Secure` and without the `__Host-` prefix. */
  readonly insecureCookies: boolean
}

/** `iso(now() + seconds)`. */
export function isoIn(core: Core, seconds: number): string {
  return new Date(core.now().getTime() + seconds * 1000).toISOString()
}

/** The grant types a client registered, as a set. */
export function hasGrant(grants: readonly GrantType[], grant: GrantType): boolean {
  return grants.includes(grant)
}

/** `Cache-Control: no-store` and `Pragma: no-cache` (RFC 6749 §5.1). */
export function noStore(res: Response): void {
  res.setHeader('Cache-Control', 'no-store')
  res.setHeader('Pragma', 'no-cache')
}

const errorStatus: Readonly<Record<string, number>> = {
  invalid_client: 401,
  invalid_token: 401,
  not_found: 404,
  request_too_large: 413,
  temporarily_unavailable: 429,
  server_error: 500,
}

/**
 * An OAuth error body (RFC 6749 §5.2) with `no-store`; the status follows from the code (400 unless
 * listed above; `request_too_large` is sent as 413 `invalid_request`).
 */
export function oauthError(res: Response, error: string, description: string): void {
  noStore(res)
  res.status(errorStatus[error] ?? 400).json({
    error: error === 'request_too_large' ? 'invalid_request' : error,
    error_description: description,
  })
}

/** Headers of every HTML page (T-25): no framing, strict CSP, no referrer, no caching. */
function pageHeaders(res: Response, formActions: readonly string[] = []): void {
  noStore(res)
  res.setHeader('X-Frame-Options', 'DENY')
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.setHeader(
    'Content-Security-Policy',
    [
      "default-src 'none'",
      "style-src 'self'",
      "img-src 'self' https:",
      `form-action 'self'${formActions.map((source) => ` ${source}`).join('')}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
  )
}

/** An HTML page to send. */
export interface PageSpec {
  readonly status: number
  readonly title: string
  readonly body: SafeHtml
  /** Extra CSP `form-action` sources (the client's redirect origin on the consent page). */
  readonly formActions?: readonly string[]
}

/** Sends an HTML page. */
export function sendPage(res: Response, spec: PageSpec): void {
  pageHeaders(res, spec.formActions)
  res.status(spec.status).type('html').send(page(spec.title, spec.body))
}

/** Reads one cookie from the request. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie
  if (typeof header !== 'string') return undefined
  for (const part of header.split(';')) {
    const index = part.indexOf('=')
    if (index < 0) continue
    if (part.slice(0, index).trim() === name) {
      const value = part.slice(index + 1).trim()
      return /^[A-Za-z0-9_-]{1,256}$/.test(value) ? value : undefined
    }
  }
  return undefined
}

/** Cookie names: `__Host-` prefixed and `Secure`, except on a plain-http loopback issuer. */
export function cookieName(core: Core, base: 'session' | 'csrf'): string {
  return core.insecureCookies ? `pierre_${base}` : `__Host-pierre_${base}`
}

/** Sets a cookie with the attributes of security spec §1.4.2 and T-53. */
export function setCookie(
  core: Core,
  res: Response,
  cookie: {
    readonly base: 'session' | 'csrf'
    readonly value: string
    readonly maxAgeSeconds: number
  },
): void {
  const { base, value, maxAgeSeconds } = cookie
  const attributes = [
    `${cookieName(core, base)}=${value}`,
    'Path=/',
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    base === 'csrf' ? 'SameSite=Strict' : 'SameSite=Lax',
    ...(core.insecureCookies ? [] : ['Secure']),
  ]
  res.append('Set-Cookie', attributes.join('; '))
}

/** A fresh 128-bit identifier. */
export function newId(): string {
  return randomToken(16)
}

/** The CSRF value bound to a purpose, a browser secret and a pending request (HMAC). */
export function csrfToken(
  core: Core,
  binding: { readonly purpose: string; readonly secret: string; readonly requestId: string },
): string {
  return hmac(core.secret, binding.purpose, binding.secret, binding.requestId)
}

/** Rate-limits one action per client address; answers true when allowed. */
export async function allow(
  core: Core,
  action: keyof OAuthRateLimits,
  req: Request,
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  return core.limiter.consume(`oauth:${action}:${core.clientIp(req)}`, {
    limit: core.limits[action],
    windowSeconds: 60,
  })
}

/** Reads one single-valued parameter; repeated parameters are reported (RFC 6749 §3.1). */
export function param(
  source: unknown,
  name: string,
): { value: string | undefined; repeated: boolean } {
  const value = (source as Record<string, unknown> | undefined)?.[name]
  if (Array.isArray(value)) return { value: undefined, repeated: true }
  return { value: typeof value === 'string' ? value : undefined, repeated: false }
}

/** Space-separated scopes, de-duplicated, in the server's order. */
export function parseScope(core: Core, text: string): { scopes: string[]; unknown: string[] } {
  const requested = text.split(' ').filter((item) => item !== '')
  const unknown = requested.filter((item) => !core.scopes.includes(item))
  const scopes = core.scopes.filter((item) => requested.includes(item))
  return { scopes, unknown }
}
