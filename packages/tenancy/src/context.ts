import { TenancyError } from './errors.js'
import type { PlatformRole, Scope, TenantRole, Tier } from './types.js'

declare const contextBrand: unique symbol

/** The credential a {@link RequestContext} was built from. */
export type Credential =
  | {
      readonly kind: 'oauth'
      readonly clientId: string
      readonly jti: string
      readonly grantId: string | null
    }
  | { readonly kind: 'api_key'; readonly keyId: string; readonly tier: Tier }
  | { readonly kind: 'session'; readonly sessionId: string }
  | { readonly kind: 'admin_token'; readonly tokenId: string }
  | { readonly kind: 'stdio' }
  | { readonly kind: 'local' }
  | { readonly kind: 'cli' }

/** The kinds of {@link Credential}. */
export type CredentialKind = Credential['kind']

/**
 * Who is calling, in which tenant, with which roles and scopes (spec §5.3). Frozen, and built only
 * by this package from verified credentials and database state, so a tenant id can never come
 * from user input. Every tenant-scoped store method takes one as its first argument.
 */
export interface RequestContext {
  /** Type-level brand: an object literal is not a `RequestContext`. */
  readonly [contextBrand]: true
  /** Server-generated request id (for logs and error bodies). */
  readonly requestId: string
  /** The one tenant this credential acts in. */
  readonly tenantId: string
  /** The acting user. */
  readonly userId: string
  /** Platform role and role in `tenantId`, read from the database for this request. */
  readonly roles: { readonly platform: PlatformRole; readonly tenant: TenantRole | null }
  /** Scopes granted to the credential. */
  readonly scopes: ReadonlySet<Scope>
  /** The credential used. */
  readonly credential: Credential
  /** Tier used for rate limits: the API key's tier, otherwise the user's. */
  readonly tier: Tier
  /** Set while a super admin impersonates `userId`. */
  readonly impersonatorId: string | null
  /** Client address as chosen by {@link getClientAddress}. */
  readonly clientIp: string
  /** Transport that carried the request. */
  readonly transport: 'http' | 'stdio'
}

/** What {@link mintContext} needs; everything else is derived. */
export interface ContextFields {
  readonly requestId: string
  readonly tenantId: string
  readonly userId: string
  readonly roles: { readonly platform: PlatformRole; readonly tenant: TenantRole | null }
  readonly scopes: Iterable<Scope>
  readonly credential: Credential
  readonly tier: Tier
  readonly impersonatorId?: string | null
  readonly clientIp: string
  readonly transport: 'http' | 'stdio'
}

const minted = new WeakSet<object>()

class FrozenScopes extends Set<Scope> {
  #frozen = false

  constructor(values: Iterable<Scope>) {
    super()
    for (const value of values) super.add(value)
    this.#frozen = true
  }

  override add(value: Scope): this {
    if (this.#frozen) throw new TypeError('request context scopes are read-only')
    return super.add(value)
  }

  override delete(): boolean {
    throw new TypeError('request context scopes are read-only')
  }

  override clear(): void {
    throw new TypeError('request context scopes are read-only')
  }
}

/** Creates a frozen, registered context. Internal: only authentication code calls it. */
export function mintContext(fields: ContextFields): RequestContext {
  const context = Object.freeze({
    requestId: fields.requestId,
    tenantId: fields.tenantId,
    userId: fields.userId,
    roles: Object.freeze({ platform: fields.roles.platform, tenant: fields.roles.tenant }),
    scopes: new FrozenScopes(fields.scopes),
    credential: Object.freeze({ ...fields.credential }),
    tier: fields.tier,
    impersonatorId: fields.impersonatorId ?? null,
    clientIp: fields.clientIp,
    transport: fields.transport,
  })
  minted.add(context)
  return context as unknown as RequestContext
}

/**
 * Returns true when `value` is a {@link RequestContext} built by this copy of the package (not a
 * look-alike object). Store implementations outside this package call it before using a context.
 */
export function isRequestContext(value: unknown): value is RequestContext {
  return typeof value === 'object' && value !== null && minted.has(value)
}

/** Throws `forbidden` unless `value` is a genuine context. */
export function assertRequestContext(value: unknown): asserts value is RequestContext {
  if (!isRequestContext(value)) {
    throw new TenancyError('forbidden', 'a request context built by @pierre/tenancy is required')
  }
}
