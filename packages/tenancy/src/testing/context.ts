import { randomUUID } from 'node:crypto'
import { type Credential, mintContext, type RequestContext } from '../context.js'
import type { PlatformRole, Scope, TenantRole, Tier } from '../types.js'
import { allScopes } from '../types.js'

/** Fields of {@link createTestContext}; everything but the ids has a default. */
export interface TestContextFields {
  readonly tenantId: string
  readonly userId: string
  readonly platformRole?: PlatformRole
  /** Default `member`. */
  readonly tenantRole?: TenantRole | null
  /** Default all scopes. */
  readonly scopes?: readonly Scope[]
  /** Default `starter`. */
  readonly tier?: Tier
  /** Default `{ kind: 'cli' }`. */
  readonly credential?: Credential
  readonly clientIp?: string
}

/**
 * Builds a genuine {@link RequestContext} without authentication, for tests and contract suites
 * only. Production code gets contexts from the authenticator.
 */
export function createTestContext(fields: TestContextFields): RequestContext {
  return mintContext({
    requestId: randomUUID(),
    tenantId: fields.tenantId,
    userId: fields.userId,
    roles: {
      platform: fields.platformRole ?? 'user',
      tenant: fields.tenantRole === undefined ? 'member' : fields.tenantRole,
    },
    scopes: fields.scopes ?? allScopes,
    credential: fields.credential ?? { kind: 'cli' },
    tier: fields.tier ?? 'starter',
    clientIp: fields.clientIp ?? '127.0.0.1',
    transport: 'http',
  })
}
