import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { beforeEach, describe, expect, it } from 'vitest'
import type {
  AccessTokenRecord,
  ClientRecord,
  CodeRecord,
  ConsentRecord,
  GrantRecord,
  OAuthStore,
  PendingRequestRecord,
  RefreshTokenRecord,
  SessionRecord,
} from '../store.js'

/** Returns a fresh, empty store (migrations applied) for each test. */
export type MakeOAuthStore = () => OAuthStore | Promise<OAuthStore>

const base = Date.parse('2026-03-01T12:00:00.000Z')

/** The instant `seconds` after the suite's reference time, as the store expects it. */
const at = (seconds: number): string => new Date(base + seconds * 1000).toISOString()

const hash = (): string => createHash('sha256').update(randomBytes(32)).digest('hex')
const token = (): string => randomBytes(16).toString('base64url')

function clientRow(overrides: Partial<ClientRecord> = {}): ClientRecord {
  return {
    clientId: `mcp_client_${randomBytes(16).toString('hex')}`,
    secretHash: hash(),
    authMethod: 'client_secret_basic',
    redirectUris: ['https://app.example.test/callback', 'http://127.0.0.1/cb?x=1'],
    grantTypes: ['authorization_code', 'refresh_token'],
    scope: 'fitness:read providers:manage',
    clientName: 'Example App',
    clientUri: 'https://app.example.test',
    logoUri: 'https://app.example.test/logo.png',
    tosUri: 'https://app.example.test/tos',
    policyUri: 'https://app.example.test/privacy',
    softwareId: 'example-app',
    softwareVersion: '1.2.3',
    createdAt: at(0),
    lastUsedAt: null,
    source: 'dcr',
    tenantId: null,
    ...overrides,
  }
}

function pendingRow(overrides: Partial<PendingRequestRecord> = {}): PendingRequestRecord {
  return {
    id: token(),
    clientId: `mcp_client_${randomBytes(16).toString('hex')}`,
    redirectUri: 'https://app.example.test/callback',
    scope: 'fitness:read',
    state: 'xyz',
    codeChallenge: randomBytes(32).toString('base64url'),
    resource: 'https://pierre.example.test/mcp',
    createdAt: at(0),
    expiresAt: at(600),
    userId: null,
    authTime: null,
    ...overrides,
  }
}

function sessionRow(overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    idHash: hash(),
    userId: randomUUID(),
    createdAt: at(0),
    lastSeenAt: at(0),
    expiresAt: at(12 * 3600),
    ip: '127.0.0.1',
    userAgent: 'contract-test',
    ...overrides,
  }
}

function grantRow(overrides: Partial<GrantRecord> = {}): GrantRecord {
  return {
    grantId: token(),
    clientId: `mcp_client_${randomBytes(16).toString('hex')}`,
    userId: randomUUID(),
    tenantId: randomUUID(),
    scope: 'fitness:read fitness:write',
    resource: 'https://pierre.example.test/mcp',
    createdAt: at(0),
    absoluteExpiresAt: at(90 * 86_400),
    revokedAt: null,
    ...overrides,
  }
}

function codeRow(grant: GrantRecord, overrides: Partial<CodeRecord> = {}): CodeRecord {
  return {
    codeHash: hash(),
    grantId: grant.grantId,
    clientId: grant.clientId,
    userId: grant.userId,
    tenantId: grant.tenantId,
    redirectUri: 'https://app.example.test/callback',
    scope: grant.scope,
    resource: grant.resource,
    codeChallenge: randomBytes(32).toString('base64url'),
    authTime: at(-30),
    expiresAt: at(60),
    usedAt: null,
    ...overrides,
  }
}

function refreshRow(
  grant: GrantRecord,
  overrides: Partial<RefreshTokenRecord> = {},
): RefreshTokenRecord {
  return {
    tokenHash: hash(),
    grantId: grant.grantId,
    clientId: grant.clientId,
    userId: grant.userId,
    tenantId: grant.tenantId,
    scope: grant.scope,
    resource: grant.resource,
    createdAt: at(0),
    expiresAt: at(30 * 86_400),
    rotatedAt: null,
    replacedBy: null,
    revokedAt: null,
    ...overrides,
  }
}

function accessRow(
  grant: GrantRecord | null,
  overrides: Partial<AccessTokenRecord> = {},
): AccessTokenRecord {
  return {
    jti: token(),
    grantId: grant?.grantId ?? null,
    clientId: grant?.clientId ?? `mcp_client_${randomBytes(16).toString('hex')}`,
    userId: grant?.userId ?? randomUUID(),
    tenantId: grant?.tenantId ?? randomUUID(),
    expiresAt: at(3600),
    revokedAt: null,
    ...overrides,
  }
}

function consentRow(overrides: Partial<ConsentRecord> = {}): ConsentRecord {
  return {
    userId: randomUUID(),
    tenantId: randomUUID(),
    clientId: `mcp_client_${randomBytes(16).toString('hex')}`,
    resource: 'https://pierre.example.test/mcp',
    scope: 'fitness:read',
    grantedAt: at(0),
    ...overrides,
  }
}

function count<TValue>(values: readonly TValue[], predicate: (value: TValue) => boolean): number {
  return values.filter(predicate).length
}

/**
 * Registers a vitest suite that holds an {@link OAuthStore} implementation to the documented
 * behaviour: round trips of every record, expiry at explicit instants, exactly one winner among
 * concurrent code consumptions, request takes and refresh rotations, reuse and replay outcomes,
 * and revocation cascading from a grant to its tokens. `make` must return a fresh, empty store.
 *
 * @example
 * ```ts
 * describeOAuthStoreContract(() => {
 *   const db = new Database(':memory:')
 *   applyOAuthMigrations(db)
 *   return createSqliteOAuthStore(db)
 * })
 * ```
 */
export function describeOAuthStoreContract(make: MakeOAuthStore): void {
  describe('OAuthStore contract', () => {
    let current: OAuthStore | undefined
    beforeEach(async () => {
      current = await make()
    })
    const store = (): OAuthStore => {
      if (!current) throw new Error('store not created')
      return current
    }
    const newGrant = async (overrides: Partial<GrantRecord> = {}): Promise<GrantRecord> => {
      const grant = grantRow(overrides)
      await store().grants.create(grant)
      return grant
    }

    describe('clients', () => {
      it('round-trips a confidential client with every field set', async () => {
        const client = clientRow({ lastUsedAt: at(5), source: 'admin', tenantId: randomUUID() })
        await store().clients.create(client)
        expect(await store().clients.get(client.clientId)).toEqual(client)
      })

      it('round-trips a public client whose optional fields are null', async () => {
        const client = clientRow({
          secretHash: null,
          authMethod: 'none',
          redirectUris: ['com.example.app:/cb'],
          grantTypes: ['authorization_code'],
          scope: null,
          clientName: null,
          clientUri: null,
          logoUri: null,
          tosUri: null,
          policyUri: null,
          softwareId: null,
          softwareVersion: null,
        })
        await store().clients.create(client)
        expect(await store().clients.get(client.clientId)).toEqual(client)
        expect(await store().clients.get(clientRow().clientId)).toBeUndefined()
      })

      it('copies records in and out', async () => {
        const redirectUris = ['https://app.example.test/callback']
        const client = clientRow({ redirectUris })
        await store().clients.create(client)
        redirectUris.push('https://evil.example.test/')
        const read = await store().clients.get(client.clientId)
        if (!read) throw new Error('client not stored')
        ;(read.redirectUris as string[]).push('https://evil.example.test/')
        expect((await store().clients.get(client.clientId))?.redirectUris).toEqual([
          'https://app.example.test/callback',
        ])
      })

      it('rejects a duplicate client id and keeps the first registration', async () => {
        const client = clientRow()
        await store().clients.create(client)
        await expect(
          store().clients.create(clientRow({ clientId: client.clientId, clientName: 'Other' })),
        ).rejects.toThrow()
        expect(await store().clients.get(client.clientId)).toEqual(client)
      })

      it('rejects timestamps that are not ISO-8601 UTC instants', async () => {
        await expect(
          store().clients.create(clientRow({ createdAt: '2026-03-01 12:00:00' })),
        ).rejects.toThrow()
        await expect(
          store().grants.create(grantRow({ absoluteExpiresAt: 'tomorrow' })),
        ).rejects.toThrow()
      })

      it('records the last use and ignores unknown ids', async () => {
        const client = clientRow()
        await store().clients.create(client)
        await store().clients.touch(client.clientId, at(100))
        expect((await store().clients.get(client.clientId))?.lastUsedAt).toBe(at(100))
        const stranger = clientRow()
        await store().clients.touch(stranger.clientId, at(100))
        expect(await store().clients.get(stranger.clientId)).toBeUndefined()
      })

      it('purges clients created before the cut-off and unused since, keeping the others', async () => {
        const cutoff = at(1000)
        const neverUsed = clientRow({ createdAt: at(0) })
        const usedLongAgo = clientRow({ createdAt: at(0), lastUsedAt: at(500) })
        const usedRecently = clientRow({ createdAt: at(0), lastUsedAt: at(1000) })
        const touched = clientRow({ createdAt: at(0) })
        const young = clientRow({ createdAt: at(1000) })
        for (const client of [neverUsed, usedLongAgo, usedRecently, touched, young]) {
          await store().clients.create(client)
        }
        await store().clients.touch(touched.clientId, at(2000))
        expect(await store().clients.purgeUnused(cutoff)).toBe(2)
        expect(await store().clients.get(neverUsed.clientId)).toBeUndefined()
        expect(await store().clients.get(usedLongAgo.clientId)).toBeUndefined()
        expect(await store().clients.get(usedRecently.clientId)).toEqual(usedRecently)
        expect((await store().clients.get(touched.clientId))?.lastUsedAt).toBe(at(2000))
        expect(await store().clients.get(young.clientId)).toEqual(young)
        expect(await store().clients.purgeUnused(cutoff)).toBe(0)
      })
    })

    describe('pending requests', () => {
      it('round-trips a request and hides it from its expiry on', async () => {
        const request = pendingRow({ state: null })
        await store().pendingRequests.create(request)
        expect(await store().pendingRequests.get(request.id, at(599))).toEqual(request)
        expect(await store().pendingRequests.get(request.id, at(600))).toBeUndefined()
        expect(await store().pendingRequests.get(token(), at(0))).toBeUndefined()
      })

      it('rejects a duplicate id', async () => {
        const request = pendingRow()
        await store().pendingRequests.create(request)
        await expect(
          store().pendingRequests.create(pendingRow({ id: request.id })),
        ).rejects.toThrow()
        expect(await store().pendingRequests.get(request.id, at(1))).toEqual(request)
      })

      it('binds the user who logged in, only while the request is live', async () => {
        const request = pendingRow()
        await store().pendingRequests.create(request)
        const userId = randomUUID()
        expect(await store().pendingRequests.bindUser(request.id, userId, at(10), at(10))).toBe(
          true,
        )
        expect(await store().pendingRequests.get(request.id, at(10))).toEqual({
          ...request,
          userId,
          authTime: at(10),
        })
        expect(
          await store().pendingRequests.bindUser(request.id, randomUUID(), at(600), at(600)),
        ).toBe(false)
        expect((await store().pendingRequests.get(request.id, at(11)))?.userId).toBe(userId)
        expect(await store().pendingRequests.bindUser(token(), userId, at(10), at(10))).toBe(false)
      })

      it('takes a live request once and removes it', async () => {
        const request = pendingRow({ userId: randomUUID(), authTime: at(5) })
        await store().pendingRequests.create(request)
        expect(await store().pendingRequests.take(request.id, at(10))).toEqual(request)
        expect(await store().pendingRequests.take(request.id, at(10))).toBeUndefined()
        expect(await store().pendingRequests.get(request.id, at(10))).toBeUndefined()
      })

      it('does not hand out an expired request', async () => {
        const request = pendingRow()
        await store().pendingRequests.create(request)
        expect(await store().pendingRequests.take(request.id, at(600))).toBeUndefined()
        expect(await store().pendingRequests.take(token(), at(0))).toBeUndefined()
      })

      it('gives a request to exactly one of ten concurrent takes', async () => {
        const request = pendingRow()
        await store().pendingRequests.create(request)
        const results = await Promise.all(
          Array.from({ length: 10 }, () => store().pendingRequests.take(request.id, at(1))),
        )
        expect(count(results, (result) => result !== undefined)).toBe(1)
        expect(results.find((result) => result !== undefined)).toEqual(request)
      })

      it('purges expired requests, counts them and keeps live ones', async () => {
        const expired = pendingRow({ expiresAt: at(100) })
        const boundary = pendingRow({ expiresAt: at(200) })
        const live = pendingRow({ expiresAt: at(201) })
        for (const request of [expired, boundary, live]) {
          await store().pendingRequests.create(request)
        }
        expect(await store().pendingRequests.purgeExpired(at(200))).toBe(2)
        expect(await store().pendingRequests.purgeExpired(at(200))).toBe(0)
        expect(await store().pendingRequests.get(live.id, at(200))).toEqual(live)
        // A purged request is gone even for a caller who still believes it live.
        expect(await store().pendingRequests.get(expired.id, at(0))).toBeUndefined()
      })
    })

    describe('sessions', () => {
      it('round-trips a session until its absolute expiry', async () => {
        const session = sessionRow({ ip: null, userAgent: null })
        await store().sessions.create(session)
        expect(await store().sessions.get(session.idHash, at(1))).toEqual(session)
        expect(await store().sessions.get(session.idHash, session.expiresAt)).toBeUndefined()
        expect(await store().sessions.get(hash(), at(1))).toBeUndefined()
      })

      it('rejects a duplicate id hash', async () => {
        const session = sessionRow()
        await store().sessions.create(session)
        await expect(
          store().sessions.create(sessionRow({ idHash: session.idHash })),
        ).rejects.toThrow()
      })

      it('records activity and deletes on logout', async () => {
        const session = sessionRow()
        const other = sessionRow()
        await store().sessions.create(session)
        await store().sessions.create(other)
        await store().sessions.touch(session.idHash, at(300))
        expect(await store().sessions.get(session.idHash, at(301))).toEqual({
          ...session,
          lastSeenAt: at(300),
        })
        await store().sessions.delete(session.idHash)
        await store().sessions.delete(hash())
        expect(await store().sessions.get(session.idHash, at(301))).toBeUndefined()
        expect(await store().sessions.get(other.idHash, at(301))).toEqual(other)
      })
    })

    describe('authorization codes', () => {
      it('consumes a code once, then reports every further attempt as a replay', async () => {
        const code = codeRow(await newGrant())
        await store().codes.create(code)
        expect(await store().codes.consume(code.codeHash, at(10))).toEqual({
          status: 'consumed',
          code: { ...code, usedAt: at(10) },
        })
        expect(await store().codes.consume(code.codeHash, at(20))).toEqual({
          status: 'replayed',
          code: { ...code, usedAt: at(10) },
        })
        // Still a replay once the code would have expired: the reuse must not go unnoticed.
        expect(await store().codes.consume(code.codeHash, at(3600))).toMatchObject({
          status: 'replayed',
        })
      })

      it('reports unknown and expired codes without consuming them', async () => {
        const code = codeRow(await newGrant(), { authTime: null })
        await store().codes.create(code)
        expect(await store().codes.consume(hash(), at(0))).toEqual({ status: 'unknown' })
        expect(await store().codes.consume(code.codeHash, at(60))).toEqual({
          status: 'expired',
          code,
        })
        expect(await store().codes.consume(code.codeHash, at(61))).toEqual({
          status: 'expired',
          code,
        })
      })

      it('gives a code to exactly one of ten concurrent consumers', async () => {
        const code = codeRow(await newGrant())
        await store().codes.create(code)
        const results = await Promise.all(
          Array.from({ length: 10 }, () => store().codes.consume(code.codeHash, at(1))),
        )
        expect(count(results, (result) => result.status === 'consumed')).toBe(1)
        expect(count(results, (result) => result.status === 'replayed')).toBe(9)
      })

      it('rejects a duplicate code and a code of an unknown grant', async () => {
        const grant = await newGrant()
        const code = codeRow(grant)
        await store().codes.create(code)
        await expect(
          store().codes.create(codeRow(grant, { codeHash: code.codeHash })),
        ).rejects.toThrow()
        const orphan = codeRow(grantRow())
        await expect(store().codes.create(orphan)).rejects.toThrow()
        expect(await store().codes.consume(orphan.codeHash, at(1))).toEqual({ status: 'unknown' })
      })
    })

    describe('grants', () => {
      it('round-trips a grant and rejects a duplicate id', async () => {
        const grant = await newGrant()
        expect(await store().grants.get(grant.grantId)).toEqual(grant)
        expect(await store().grants.get(token())).toBeUndefined()
        await expect(store().grants.create(grantRow({ grantId: grant.grantId }))).rejects.toThrow()
        expect(await store().grants.get(grant.grantId)).toEqual(grant)
      })

      it('revokes a grant with all its refresh and access tokens, and nothing else', async () => {
        const grant = await newGrant()
        const other = await newGrant({ userId: grant.userId, clientId: grant.clientId })
        const refresh = [refreshRow(grant), refreshRow(grant)]
        const firstAccess = accessRow(grant)
        const access = [firstAccess, accessRow(grant)]
        const otherRefresh = refreshRow(other)
        const otherAccess = accessRow(other)
        for (const row of [...refresh, otherRefresh]) await store().refreshTokens.create(row)
        for (const row of [...access, otherAccess]) await store().accessTokens.record(row)
        expect(await store().accessTokens.status(firstAccess.jti)).toEqual({
          revoked: false,
          grantId: grant.grantId,
        })

        expect(await store().grants.revoke(grant.grantId, at(50))).toBe(true)
        expect((await store().grants.get(grant.grantId))?.revokedAt).toBe(at(50))
        for (const row of refresh) {
          expect((await store().refreshTokens.get(row.tokenHash))?.revokedAt).toBe(at(50))
        }
        for (const row of access) {
          expect((await store().accessTokens.get(row.jti))?.revokedAt).toBe(at(50))
          expect(await store().accessTokens.status(row.jti)).toEqual({
            revoked: true,
            grantId: grant.grantId,
          })
        }
        expect(await store().grants.get(other.grantId)).toEqual(other)
        expect(await store().refreshTokens.get(otherRefresh.tokenHash)).toEqual(otherRefresh)
        expect(await store().accessTokens.status(otherAccess.jti)).toEqual({
          revoked: false,
          grantId: other.grantId,
        })
      })

      it('revokes idempotently, keeping the first revocation time', async () => {
        const grant = await newGrant()
        expect(await store().grants.revoke(grant.grantId, at(50))).toBe(true)
        expect(await store().grants.revoke(grant.grantId, at(60))).toBe(true)
        expect((await store().grants.get(grant.grantId))?.revokedAt).toBe(at(50))
        expect(await store().grants.revoke(token(), at(60))).toBe(false)
      })

      it('treats access tokens of a revoked grant as revoked, even those recorded later', async () => {
        const grant = await newGrant()
        await store().grants.revoke(grant.grantId, at(10))
        const late = accessRow(grant)
        await store().accessTokens.record(late)
        expect(await store().accessTokens.status(late.jti)).toEqual({
          revoked: true,
          grantId: grant.grantId,
        })
      })

      it('revokes every grant of a user, optionally of one client, and counts live ones', async () => {
        const userId = randomUUID()
        const clientA = clientRow().clientId
        const clientB = clientRow().clientId
        const a1 = await newGrant({ userId, clientId: clientA })
        const a2 = await newGrant({ userId, clientId: clientA })
        const b1 = await newGrant({ userId, clientId: clientB })
        const stranger = await newGrant({ clientId: clientA })
        const a1Refresh = refreshRow(a1)
        const b1Access = accessRow(b1)
        await store().refreshTokens.create(a1Refresh)
        await store().accessTokens.record(b1Access)
        await store().grants.revoke(a2.grantId, at(5))

        expect(await store().grants.revokeForUser(userId, at(10), clientA)).toBe(1)
        expect((await store().grants.get(a1.grantId))?.revokedAt).toBe(at(10))
        expect((await store().grants.get(a2.grantId))?.revokedAt).toBe(at(5))
        expect((await store().refreshTokens.get(a1Refresh.tokenHash))?.revokedAt).toBe(at(10))
        expect((await store().grants.get(b1.grantId))?.revokedAt).toBeNull()
        expect((await store().accessTokens.status(b1Access.jti)).revoked).toBe(false)

        expect(await store().grants.revokeForUser(userId, at(20))).toBe(1)
        expect((await store().grants.get(b1.grantId))?.revokedAt).toBe(at(20))
        expect((await store().accessTokens.status(b1Access.jti)).revoked).toBe(true)
        expect(await store().grants.get(stranger.grantId)).toEqual(stranger)
        expect(await store().grants.revokeForUser(randomUUID(), at(20))).toBe(0)
      })
    })

    describe('refresh tokens', () => {
      it('round-trips a token and rejects a duplicate hash or an unknown grant', async () => {
        const grant = await newGrant()
        const row = refreshRow(grant)
        await store().refreshTokens.create(row)
        expect(await store().refreshTokens.get(row.tokenHash)).toEqual(row)
        expect(await store().refreshTokens.get(hash())).toBeUndefined()
        await expect(
          store().refreshTokens.create(refreshRow(grant, { tokenHash: row.tokenHash })),
        ).rejects.toThrow()
        const orphan = refreshRow(grantRow())
        await expect(store().refreshTokens.create(orphan)).rejects.toThrow()
        expect(await store().refreshTokens.get(orphan.tokenHash)).toBeUndefined()
      })

      it('rotates a live token into its successor, once', async () => {
        const grant = await newGrant()
        const first = refreshRow(grant)
        await store().refreshTokens.create(first)
        const second = refreshRow(grant, { createdAt: at(100), expiresAt: at(100 + 86_400) })
        expect(await store().refreshTokens.rotate(first.tokenHash, second, at(100))).toEqual({
          status: 'rotated',
        })
        expect(await store().refreshTokens.get(first.tokenHash)).toEqual({
          ...first,
          rotatedAt: at(100),
          replacedBy: second.tokenHash,
        })
        expect(await store().refreshTokens.get(second.tokenHash)).toEqual(second)

        const third = refreshRow(grant)
        expect(await store().refreshTokens.rotate(second.tokenHash, third, at(200))).toEqual({
          status: 'rotated',
        })
        expect((await store().refreshTokens.get(third.tokenHash))?.grantId).toBe(grant.grantId)
      })

      it('reports reuse of a rotated token and writes nothing', async () => {
        const grant = await newGrant()
        const first = refreshRow(grant)
        const second = refreshRow(grant)
        const intruder = refreshRow(grant)
        await store().refreshTokens.create(first)
        await store().refreshTokens.rotate(first.tokenHash, second, at(100))
        expect(await store().refreshTokens.rotate(first.tokenHash, intruder, at(200))).toEqual({
          status: 'reused',
        })
        expect(await store().refreshTokens.get(intruder.tokenHash)).toBeUndefined()
        expect(await store().refreshTokens.get(first.tokenHash)).toMatchObject({
          rotatedAt: at(100),
          replacedBy: second.tokenHash,
        })
      })

      it('refuses unknown, revoked and expired tokens and tokens of a revoked grant', async () => {
        const grant = await newGrant()
        const revoked = refreshRow(grant, { revokedAt: at(1) })
        const expiring = refreshRow(grant, { expiresAt: at(100) })
        for (const row of [revoked, expiring]) await store().refreshTokens.create(row)
        const cases: [string, string][] = [
          [hash(), at(10)],
          [revoked.tokenHash, at(10)],
          [expiring.tokenHash, at(100)],
        ]
        for (const [tokenHash, when] of cases) {
          const successor = refreshRow(grant)
          expect(await store().refreshTokens.rotate(tokenHash, successor, when)).toEqual({
            status: 'invalid',
          })
          expect(await store().refreshTokens.get(successor.tokenHash)).toBeUndefined()
        }
        expect((await store().refreshTokens.get(expiring.tokenHash))?.rotatedAt).toBeNull()

        const other = await newGrant()
        const live = refreshRow(other)
        await store().refreshTokens.create(live)
        await store().grants.revoke(other.grantId, at(5))
        // The cascade revoked `live`; a token whose own row is not revoked must still be refused
        // when its grant is.
        const revokedGrant = await newGrant({ revokedAt: at(1) })
        const stale = refreshRow(revokedGrant)
        await store().refreshTokens.create(stale)
        for (const row of [live, stale]) {
          const successor = refreshRow(other)
          expect(await store().refreshTokens.rotate(row.tokenHash, successor, at(10))).toEqual({
            status: 'invalid',
          })
          expect(await store().refreshTokens.get(successor.tokenHash)).toBeUndefined()
        }
      })

      it('leaves the presented token unrotated when the successor cannot be stored', async () => {
        const grant = await newGrant()
        const first = refreshRow(grant)
        const existing = refreshRow(grant)
        await store().refreshTokens.create(first)
        await store().refreshTokens.create(existing)
        await expect(
          store().refreshTokens.rotate(
            first.tokenHash,
            refreshRow(grant, { tokenHash: existing.tokenHash }),
            at(10),
          ),
        ).rejects.toThrow()
        expect(await store().refreshTokens.get(first.tokenHash)).toEqual(first)
        expect(await store().refreshTokens.get(existing.tokenHash)).toEqual(existing)
      })

      it('lets exactly one of ten concurrent rotations win; the others see reuse', async () => {
        const grant = await newGrant()
        const first = refreshRow(grant)
        await store().refreshTokens.create(first)
        const successors = Array.from({ length: 10 }, () => refreshRow(grant))
        const results = await Promise.all(
          successors.map((successor) =>
            store().refreshTokens.rotate(first.tokenHash, successor, at(10)),
          ),
        )
        expect(count(results, (result) => result.status === 'rotated')).toBe(1)
        expect(count(results, (result) => result.status === 'reused')).toBe(9)
        const stored = await Promise.all(
          successors.map((successor) => store().refreshTokens.get(successor.tokenHash)),
        )
        expect(count(stored, (row) => row !== undefined)).toBe(1)
        const winner = successors[results.findIndex((result) => result.status === 'rotated')]
        expect((await store().refreshTokens.get(first.tokenHash))?.replacedBy).toBe(
          winner?.tokenHash,
        )
      })
    })

    describe('access tokens', () => {
      it('round-trips records with and without a grant and rejects a duplicate jti', async () => {
        const grant = await newGrant()
        const withGrant = accessRow(grant)
        const machine = accessRow(null)
        await store().accessTokens.record(withGrant)
        await store().accessTokens.record(machine)
        expect(await store().accessTokens.get(withGrant.jti)).toEqual(withGrant)
        expect(await store().accessTokens.get(machine.jti)).toEqual(machine)
        expect(await store().accessTokens.status(machine.jti)).toEqual({
          revoked: false,
          grantId: null,
        })
        await expect(
          store().accessTokens.record(accessRow(grant, { jti: withGrant.jti })),
        ).rejects.toThrow()
        await expect(store().accessTokens.record(accessRow(grantRow()))).rejects.toThrow()
      })

      it('reports an unknown jti as revoked', async () => {
        expect(await store().accessTokens.status(token())).toEqual({
          revoked: true,
          grantId: null,
        })
        expect(await store().accessTokens.get(token())).toBeUndefined()
      })

      it('revokes one jti idempotently and leaves its grant alone', async () => {
        const grant = await newGrant()
        const revoked = accessRow(grant)
        const sibling = accessRow(grant)
        await store().accessTokens.record(revoked)
        await store().accessTokens.record(sibling)
        expect(await store().accessTokens.revoke(revoked.jti, at(30))).toBe(true)
        expect(await store().accessTokens.revoke(revoked.jti, at(40))).toBe(true)
        expect((await store().accessTokens.get(revoked.jti))?.revokedAt).toBe(at(30))
        expect(await store().accessTokens.status(revoked.jti)).toEqual({
          revoked: true,
          grantId: grant.grantId,
        })
        expect((await store().accessTokens.status(sibling.jti)).revoked).toBe(false)
        expect((await store().grants.get(grant.grantId))?.revokedAt).toBeNull()
        expect(await store().accessTokens.revoke(token(), at(30))).toBe(false)
      })

      it('purges records that expired before the cut-off, counts them and keeps the rest', async () => {
        const oldest = accessRow(null, { expiresAt: at(10) })
        const old = accessRow(null, { expiresAt: at(99) })
        const boundary = accessRow(null, { expiresAt: at(100) })
        const live = accessRow(null, { expiresAt: at(3600) })
        for (const row of [oldest, old, boundary, live]) await store().accessTokens.record(row)
        expect(await store().accessTokens.purgeExpired(at(100))).toBe(2)
        expect(await store().accessTokens.purgeExpired(at(100))).toBe(0)
        expect(await store().accessTokens.get(oldest.jti)).toBeUndefined()
        expect((await store().accessTokens.status(old.jti)).revoked).toBe(true)
        expect(await store().accessTokens.get(boundary.jti)).toEqual(boundary)
        expect(await store().accessTokens.get(live.jti)).toEqual(live)
      })
    })

    describe('consents', () => {
      it('stores a consent per user, tenant, client and resource', async () => {
        const consent = consentRow()
        await store().consents.put(consent)
        const { userId, tenantId, clientId, resource } = consent
        expect(await store().consents.get(userId, tenantId, clientId, resource)).toEqual(consent)
        expect(await store().consents.get(userId, randomUUID(), clientId, resource)).toBeUndefined()
        expect(
          await store().consents.get(userId, tenantId, clientId, 'https://pierre.example.test/a2a'),
        ).toBeUndefined()
        expect(
          await store().consents.get(randomUUID(), tenantId, clientId, resource),
        ).toBeUndefined()
      })

      it('replaces the consent of the same key', async () => {
        const consent = consentRow()
        await store().consents.put(consent)
        const wider = { ...consent, scope: 'fitness:read fitness:write', grantedAt: at(500) }
        await store().consents.put(wider)
        const { userId, tenantId, clientId, resource } = consent
        expect(await store().consents.get(userId, tenantId, clientId, resource)).toEqual(wider)
        expect(await store().consents.listForUser(userId)).toEqual([wider])
      })

      it("lists a user's consents oldest first and only theirs", async () => {
        const userId = randomUUID()
        const later = consentRow({ userId, grantedAt: at(200) })
        const earlier = consentRow({ userId, grantedAt: at(100) })
        const a2a = { ...earlier, resource: 'https://pierre.example.test/a2a' }
        await store().consents.put(later)
        await store().consents.put(a2a)
        await store().consents.put(earlier)
        await store().consents.put(consentRow())
        expect(await store().consents.listForUser(userId)).toEqual([a2a, earlier, later])
        expect(await store().consents.listForUser(randomUUID())).toEqual([])
      })

      it("deletes a user's consents to one client across tenants and resources", async () => {
        const userId = randomUUID()
        const clientId = clientRow().clientId
        const target = [
          consentRow({ userId, clientId }),
          consentRow({ userId, clientId, resource: 'https://pierre.example.test/a2a' }),
        ]
        const otherClient = consentRow({ userId })
        const otherUser = consentRow({ clientId })
        for (const row of [...target, otherClient, otherUser]) await store().consents.put(row)
        expect(await store().consents.delete(userId, clientId)).toBe(2)
        expect(await store().consents.delete(userId, clientId)).toBe(0)
        expect(await store().consents.listForUser(userId)).toEqual([otherClient])
        expect(await store().consents.listForUser(otherUser.userId)).toEqual([otherUser])
      })
    })
  })
}
