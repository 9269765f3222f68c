import type {
  AccessTokenRecord,
  AccessTokenStore,
  ClientRecord,
  ClientStore,
  CodeRecord,
  CodeStore,
  ConsentRecord,
  ConsentStore,
  GrantRecord,
  GrantStore,
  OAuthStore,
  PendingRequestRecord,
  PendingRequestStore,
  RefreshTokenRecord,
  RefreshTokenStore,
  SessionRecord,
  SessionStore,
} from './store.js'

// The reference implementation of OAuthStore: the contract suite of `@pierre/oauth-server/testing`
// holds the SQLite store to the same behaviour. Records are copied in and out, so a caller can
// never change stored state through a reference. No method awaits before it has finished its
// work, so each one is atomic with respect to every other call in the process.

const copy = <TValue>(value: TValue): TValue => structuredClone(value)

// What `Date.prototype.toISOString()` produces; the SQL schema checks the same shape, because
// expiry comparisons are done on the text.
const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

function checkInstants(values: Readonly<Record<string, string | null>>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value !== null && !instantPattern.test(value)) {
      throw new TypeError(`${name} must be an ISO-8601 UTC instant, received ${value.slice(0, 40)}`)
    }
  }
}

function insertNew<TRecord>(
  map: Map<string, TRecord>,
  entry: { readonly key: string; readonly record: TRecord; readonly what: string },
): void {
  if (map.has(entry.key)) throw new Error(`${entry.what} already exists`)
  map.set(entry.key, copy(entry.record))
}

interface MemoryState {
  readonly clients: Map<string, ClientRecord>
  readonly pending: Map<string, PendingRequestRecord>
  readonly sessions: Map<string, SessionRecord>
  readonly codes: Map<string, CodeRecord>
  readonly grants: Map<string, GrantRecord>
  readonly refreshTokens: Map<string, RefreshTokenRecord>
  readonly accessTokens: Map<string, AccessTokenRecord>
  readonly consents: Map<string, ConsentRecord>
}

function requireGrant(state: MemoryState, grantId: string | null): void {
  if (grantId !== null && !state.grants.has(grantId)) throw new Error('grant not found')
}

/** Revokes the live refresh tokens and access tokens of one grant. */
function cascadeRevoke(state: MemoryState, grantId: string, at: string): void {
  for (const [hash, token] of state.refreshTokens) {
    if (token.grantId === grantId && token.revokedAt === null) {
      state.refreshTokens.set(hash, { ...token, revokedAt: at })
    }
  }
  for (const [jti, token] of state.accessTokens) {
    if (token.grantId === grantId && token.revokedAt === null) {
      state.accessTokens.set(jti, { ...token, revokedAt: at })
    }
  }
}

function clientStore(state: MemoryState): ClientStore {
  return {
    async create(client) {
      checkInstants({ createdAt: client.createdAt, lastUsedAt: client.lastUsedAt })
      insertNew(state.clients, { key: client.clientId, record: client, what: 'client' })
    },
    async get(clientId) {
      const client = state.clients.get(clientId)
      return client && copy(client)
    },
    async touch(clientId, at) {
      checkInstants({ at })
      const client = state.clients.get(clientId)
      if (client) state.clients.set(clientId, { ...client, lastUsedAt: at })
    },
    async purgeUnused(before) {
      let count = 0
      for (const [clientId, client] of state.clients) {
        const unused = client.lastUsedAt === null || client.lastUsedAt < before
        if (client.createdAt < before && unused) {
          state.clients.delete(clientId)
          count++
        }
      }
      return count
    },
  }
}

function pendingRequestStore(state: MemoryState): PendingRequestStore {
  const live = (id: string, at: string) => {
    const request = state.pending.get(id)
    return request && request.expiresAt > at ? request : undefined
  }
  return {
    async create(request) {
      checkInstants({
        createdAt: request.createdAt,
        expiresAt: request.expiresAt,
        authTime: request.authTime,
      })
      insertNew(state.pending, { key: request.id, record: request, what: 'pending request' })
    },
    async get(id, at) {
      const request = live(id, at)
      return request && copy(request)
    },
    // biome-ignore lint/complexity/useMaxParams: the signature is fixed by PendingRequestStore
    async bindUser(id, userId, authTime, at) {
      checkInstants({ authTime })
      const request = live(id, at)
      if (!request) return false
      state.pending.set(id, { ...request, userId, authTime })
      return true
    },
    async take(id, at) {
      const request = live(id, at)
      if (!request) return undefined
      state.pending.delete(id)
      return copy(request)
    },
    async purgeExpired(at) {
      let count = 0
      for (const [id, request] of state.pending) {
        if (request.expiresAt <= at) {
          state.pending.delete(id)
          count++
        }
      }
      return count
    },
  }
}

function sessionStore(state: MemoryState): SessionStore {
  return {
    async create(session) {
      checkInstants({
        createdAt: session.createdAt,
        lastSeenAt: session.lastSeenAt,
        expiresAt: session.expiresAt,
      })
      insertNew(state.sessions, { key: session.idHash, record: session, what: 'session' })
    },
    async get(idHash, at) {
      const session = state.sessions.get(idHash)
      return session && session.expiresAt > at ? copy(session) : undefined
    },
    async touch(idHash, at) {
      checkInstants({ at })
      const session = state.sessions.get(idHash)
      if (session) state.sessions.set(idHash, { ...session, lastSeenAt: at })
    },
    async delete(idHash) {
      state.sessions.delete(idHash)
    },
  }
}

function codeStore(state: MemoryState): CodeStore {
  return {
    async create(code) {
      checkInstants({ authTime: code.authTime, expiresAt: code.expiresAt, usedAt: code.usedAt })
      requireGrant(state, code.grantId)
      insertNew(state.codes, { key: code.codeHash, record: code, what: 'authorization code' })
    },
    async consume(codeHash, at) {
      checkInstants({ at })
      const code = state.codes.get(codeHash)
      if (!code) return { status: 'unknown' }
      if (code.usedAt !== null) return { status: 'replayed', code: copy(code) }
      if (code.expiresAt <= at) return { status: 'expired', code: copy(code) }
      const used: CodeRecord = { ...code, usedAt: at }
      state.codes.set(codeHash, used)
      return { status: 'consumed', code: copy(used) }
    },
  }
}

function grantStore(state: MemoryState): GrantStore {
  const revoke = (grant: GrantRecord, at: string): boolean => {
    const live = grant.revokedAt === null
    if (live) state.grants.set(grant.grantId, { ...grant, revokedAt: at })
    cascadeRevoke(state, grant.grantId, at)
    return live
  }
  return {
    async create(grant) {
      checkInstants({
        createdAt: grant.createdAt,
        absoluteExpiresAt: grant.absoluteExpiresAt,
        revokedAt: grant.revokedAt,
      })
      insertNew(state.grants, { key: grant.grantId, record: grant, what: 'grant' })
    },
    async get(grantId) {
      const grant = state.grants.get(grantId)
      return grant && copy(grant)
    },
    async revoke(grantId, at) {
      checkInstants({ at })
      const grant = state.grants.get(grantId)
      if (!grant) return false
      revoke(grant, at)
      return true
    },
    async revokeForUser(userId, at, clientId) {
      checkInstants({ at })
      let count = 0
      for (const grant of [...state.grants.values()]) {
        if (grant.userId !== userId) continue
        if (clientId !== undefined && grant.clientId !== clientId) continue
        if (revoke(grant, at)) count++
      }
      return count
    },
  }
}

function refreshTokenStore(state: MemoryState): RefreshTokenStore {
  const checkToken = (token: RefreshTokenRecord) => {
    checkInstants({
      createdAt: token.createdAt,
      expiresAt: token.expiresAt,
      rotatedAt: token.rotatedAt,
      revokedAt: token.revokedAt,
    })
    requireGrant(state, token.grantId)
    if (state.refreshTokens.has(token.tokenHash)) throw new Error('refresh token already exists')
  }
  return {
    async create(token) {
      checkToken(token)
      state.refreshTokens.set(token.tokenHash, copy(token))
    },
    async get(tokenHash) {
      const token = state.refreshTokens.get(tokenHash)
      return token && copy(token)
    },
    async rotate(tokenHash, successor, at) {
      checkInstants({ at })
      const token = state.refreshTokens.get(tokenHash)
      if (!token) return { status: 'invalid' }
      if (token.rotatedAt !== null) return { status: 'reused' }
      const grant = state.grants.get(token.grantId)
      if (token.revokedAt !== null || token.expiresAt <= at || !grant || grant.revokedAt !== null) {
        return { status: 'invalid' }
      }
      checkToken(successor)
      state.refreshTokens.set(tokenHash, {
        ...token,
        rotatedAt: at,
        replacedBy: successor.tokenHash,
      })
      state.refreshTokens.set(successor.tokenHash, copy(successor))
      return { status: 'rotated' }
    },
  }
}

function accessTokenStore(state: MemoryState): AccessTokenStore {
  return {
    async record(token) {
      checkInstants({ expiresAt: token.expiresAt, revokedAt: token.revokedAt })
      requireGrant(state, token.grantId)
      insertNew(state.accessTokens, { key: token.jti, record: token, what: 'access token' })
    },
    async get(jti) {
      const token = state.accessTokens.get(jti)
      return token && copy(token)
    },
    async revoke(jti, at) {
      checkInstants({ at })
      const token = state.accessTokens.get(jti)
      if (!token) return false
      if (token.revokedAt === null) state.accessTokens.set(jti, { ...token, revokedAt: at })
      return true
    },
    async status(jti) {
      const token = state.accessTokens.get(jti)
      if (!token) return { revoked: true, grantId: null }
      const grant = token.grantId === null ? undefined : state.grants.get(token.grantId)
      const grantRevoked = grant !== undefined && grant.revokedAt !== null
      return { revoked: token.revokedAt !== null || grantRevoked, grantId: token.grantId }
    },
    async purgeExpired(before) {
      let count = 0
      for (const [jti, token] of state.accessTokens) {
        if (token.expiresAt < before) {
          state.accessTokens.delete(jti)
          count++
        }
      }
      return count
    },
  }
}

const consentKey = (parts: readonly string[]): string => JSON.stringify(parts)

/** The order of `listForUser`, shared with the SQLite store. */
function compareConsents(a: ConsentRecord, b: ConsentRecord): number {
  const left = [a.grantedAt, a.tenantId, a.clientId, a.resource]
  const right = [b.grantedAt, b.tenantId, b.clientId, b.resource]
  for (let index = 0; index < left.length; index++) {
    const [x, y] = [left[index] as string, right[index] as string]
    if (x !== y) return x < y ? -1 : 1
  }
  return 0
}

function consentStore(state: MemoryState): ConsentStore {
  return {
    // biome-ignore lint/complexity/useMaxParams: the signature is fixed by ConsentStore
    async get(userId, tenantId, clientId, resource) {
      const consent = state.consents.get(consentKey([userId, tenantId, clientId, resource]))
      return consent && copy(consent)
    },
    async put(consent) {
      checkInstants({ grantedAt: consent.grantedAt })
      const { userId, tenantId, clientId, resource } = consent
      state.consents.set(consentKey([userId, tenantId, clientId, resource]), copy(consent))
    },
    async listForUser(userId) {
      return [...state.consents.values()]
        .filter((consent) => consent.userId === userId)
        .sort(compareConsents)
        .map(copy)
    },
    async delete(userId, clientId) {
      let count = 0
      for (const [key, consent] of state.consents) {
        if (consent.userId === userId && consent.clientId === clientId) {
          state.consents.delete(key)
          count++
        }
      }
      return count
    },
  }
}

/**
 * Creates an in-memory {@link OAuthStore}: for tests and single-process use. Nothing survives a
 * restart.
 */
export function createMemoryOAuthStore(): OAuthStore {
  const state: MemoryState = {
    clients: new Map(),
    pending: new Map(),
    sessions: new Map(),
    codes: new Map(),
    grants: new Map(),
    refreshTokens: new Map(),
    accessTokens: new Map(),
    consents: new Map(),
  }
  return {
    clients: clientStore(state),
    pendingRequests: pendingRequestStore(state),
    sessions: sessionStore(state),
    codes: codeStore(state),
    grants: grantStore(state),
    refreshTokens: refreshTokenStore(state),
    accessTokens: accessTokenStore(state),
    consents: consentStore(state),
  }
}
