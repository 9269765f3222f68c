import {
  base64url,
  type CryptoKey,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  importJWK,
  SignJWT,
} from 'jose'
import { beforeEach, describe, expect, it } from 'vitest'
import { isTenancyError, type TokenRejectionReason } from '../../src/index.js'
import { createFixture, type Fixture, issuer, mcpResource } from '../support.js'

// Threat catalogue §6.1 (T-1 … T-8) and §6.4 (T-31), at the token layer: the server turns these
// `invalid_token` errors into 401 with `WWW-Authenticate`.

let fixture: Fixture

beforeEach(async () => {
  fixture = await createFixture()
})

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = fixture.clock.seconds()
  return {
    iss: issuer,
    sub: 'user-1',
    aud: mcpResource,
    exp: now + 3600,
    iat: now,
    nbf: now,
    jti: 'jti-1',
    scope: 'fitness:read',
    client_id: 'client-1',
    tenant: 'tenant-1',
    ...overrides,
  }
}

async function issue(): Promise<string> {
  const issued = await fixture.tenancy.tokens.issueAccessToken({
    subject: 'user-1',
    audience: mcpResource,
    tenantId: 'tenant-1',
    clientId: 'client-1',
    scopes: ['fitness:read'],
  })
  return issued.token
}

async function reasonOf(
  token: string,
  audience = mcpResource,
): Promise<TokenRejectionReason | 'accepted'> {
  try {
    await fixture.tenancy.tokens.verifyAccessToken(token, { audience })
    return 'accepted'
  } catch (error) {
    if (isTenancyError(error) && error.code === 'invalid_token') {
      return error.details?.reason as TokenRejectionReason
    }
    throw error
  }
}

function segment(value: unknown): string {
  return base64url.encode(JSON.stringify(value))
}

async function activeKid(): Promise<string> {
  return fixture.tenancy.signingKeys.ensureActiveKey()
}

describe('access tokens', () => {
  it('accepts a token it issued and returns its claims and scopes', async () => {
    const token = await issue()
    const verified = await fixture.tenancy.tokens.verifyAccessToken(token, {
      audience: mcpResource,
    })
    expect(verified.claims).toMatchObject({
      sub: 'user-1',
      tenant: 'tenant-1',
      client_id: 'client-1',
    })
    expect(verified.scopes).toEqual(['fitness:read'])
    expect(verified.kid).toBe(await activeKid())
  })

  it('T-1 alg none: rejects none/NONE/nOnE headers with and without the old signature', async () => {
    const token = await issue()
    const [, payload, signature] = token.split('.')
    const forged = segment({ ...claims(), sub: 'attacker' })
    for (const alg of ['none', 'NONE', 'nOnE']) {
      const header = segment({ alg, typ: 'at+jwt', kid: await activeKid() })
      expect(await reasonOf(`${header}.${forged}.`)).toBe('algorithm_not_allowed')
      expect(await reasonOf(`${header}.${payload}.${signature}`)).toBe('algorithm_not_allowed')
    }
  })

  it('T-2 HS256 signed with the RSA public key (SPKI PEM and JWK JSON) is rejected, as are HS384/HS512', async () => {
    const kid = await activeKid()
    const jwk = (await fixture.tenancy.signingKeys.getJwks()).document.keys[0]
    if (!jwk) throw new Error('no published key')
    const publicKey = await importJWK({ kty: 'RSA', n: jwk.n, e: jwk.e }, 'RS256', {
      extractable: true,
    })
    const secrets = [
      new TextEncoder().encode(await exportSPKI(publicKey as CryptoKey)),
      new TextEncoder().encode(JSON.stringify(jwk)),
    ]
    for (const secret of secrets) {
      for (const alg of ['HS256', 'HS384', 'HS512']) {
        const forged = await new SignJWT({ ...claims(), sub: 'attacker' })
          .setProtectedHeader({ alg, typ: 'at+jwt', kid })
          .sign(secret)
        expect(await reasonOf(forged)).toBe('algorithm_not_allowed')
      }
    }
  })

  it('T-2 PS256 and ES256 signatures are refused: the allow-list is RS256 only', async () => {
    const kid = await activeKid()
    const rsa = await generateKeyPair('PS256', { modulusLength: 2048 })
    const ec = await generateKeyPair('ES256')
    const ps = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'PS256', typ: 'at+jwt', kid })
      .sign(rsa.privateKey)
    const es = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
      .sign(ec.privateKey)
    expect(await reasonOf(ps)).toBe('algorithm_not_allowed')
    expect(await reasonOf(es)).toBe('algorithm_not_allowed')
  })

  it('T-3 expired token: refused at exp + 31 s, still accepted at exp + 29 s (30 s tolerance)', async () => {
    const token = await issue()
    fixture.clock.advance(3600 + 29)
    expect(await reasonOf(token)).toBe('accepted')
    fixture.clock.advance(2)
    expect(await reasonOf(token)).toBe('expired')
    const error = await fixture.tenancy.tokens
      .verifyAccessToken(token, { audience: mcpResource })
      .catch((e: unknown) => e)
    expect((error as Error).message).toBe('token expired')
  })

  it('T-4 not yet valid: nbf or iat 120 s ahead, or a 30-day lifetime, are refused', async () => {
    const sign = (extra: Record<string, unknown>) =>
      fixture.tenancy.signingKeys.sign(claims(extra), { typ: 'at+jwt' })
    const now = fixture.clock.seconds()
    expect(await reasonOf(await sign({ nbf: now + 120 }))).toBe('not_yet_valid')
    expect(await reasonOf(await sign({ iat: now + 120, nbf: now }))).toBe('issued_in_future')
    expect(await reasonOf(await sign({ exp: now + 30 * 86_400 }))).toBe('lifetime_too_long')
  })

  it('T-5 wrong audience or issuer is refused', async () => {
    const sign = (extra: Record<string, unknown>) =>
      fixture.tenancy.signingKeys.sign(claims(extra), { typ: 'at+jwt' })
    expect(await reasonOf(await sign({ aud: `${issuer}/a2a` }))).toBe('audience_mismatch')
    expect(await reasonOf(await sign({ aud: 'mcp', iss: 'pierre-mcp-server' }))).not.toBe(
      'accepted',
    )
    expect(await reasonOf(await sign({ aud: ['https://foreign.example/mcp'] }))).toBe(
      'audience_mismatch',
    )
    expect(await reasonOf(await sign({ iss: `${issuer}/` }))).toBe('issuer_mismatch')
    expect(await reasonOf(await sign({ iss: 'pierre-mcp-server' }))).toBe('issuer_mismatch')
  })

  it('T-6 embedded or remote key headers (jwk, jku, x5u, x5c) are refused and never fetched', async () => {
    const kid = await activeKid()
    const attacker = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true })
    const attackerJwk = await exportJWK(attacker.publicKey)
    const headers = [
      { jwk: attackerJwk },
      { jku: 'https://attacker.example/jwks.json' },
      { x5u: 'https://attacker.example/cert.pem' },
      { x5c: ['MIIB'] },
    ]
    for (const extra of headers) {
      const forged = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid, ...extra })
        .sign(attacker.privateKey)
      expect(await reasonOf(forged)).toBe('unsupported_header')
    }
    // The same attacker key without such headers fails on the signature: the key is ours only.
    const plain = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid })
      .sign(attacker.privateKey)
    expect(await reasonOf(plain)).toBe('invalid_signature')
  })

  it('T-7 kid confusion: missing, unknown, hostile, swapped and retired kids are refused', async () => {
    const [, payload, signature] = (await issue()).split('.')
    const withHeader = (header: Record<string, unknown>) =>
      `${segment(header)}.${payload}.${signature}`
    expect(await reasonOf(withHeader({ alg: 'RS256', typ: 'at+jwt' }))).toBe('unknown_key')
    expect(await reasonOf(withHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'A'.repeat(43) }))).toBe(
      'unknown_key',
    )
    expect(
      await reasonOf(withHeader({ alg: 'RS256', typ: 'at+jwt', kid: '../../etc/passwd' })),
    ).toBe('unknown_key')
    expect(await reasonOf(withHeader({ alg: 'RS256', typ: 'at+jwt', kid: "' OR '1'='1" }))).toBe(
      'unknown_key',
    )
    expect(
      await reasonOf(withHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'k'.repeat(10_240) })),
    ).toBe('too_large')

    // (d) kid of key X, signature by key Y (both ours, after rotation).
    const first = await activeKid()
    await fixture.tenancy.signingKeys.rotate()
    fixture.clock.advance(7200)
    await fixture.tenancy.signingKeys.runMaintenance()
    const second = await activeKid()
    expect(second).not.toBe(first)
    const [, newPayload, newSignature] = (await issue()).split('.')
    const swapped = `${segment({ alg: 'RS256', typ: 'at+jwt', kid: first })}.${newPayload}.${newSignature}`
    expect(await reasonOf(swapped)).toBe('invalid_signature')

    // (e) a retired key's once-valid signature.
    const old = await fixture.tenancy.signingKeys.sign(
      claims({ exp: fixture.clock.seconds() + 3600 }),
      {
        typ: 'at+jwt',
      },
    )
    fixture.clock.advance(3600 + 61)
    await fixture.tenancy.signingKeys.runMaintenance()
    expect((await fixture.tenancy.signingKeys.list()).find((k) => k.kid === first)?.state).toBe(
      'retired',
    )
    const retiredForgery = `${segment({ alg: 'RS256', typ: 'at+jwt', kid: first })}.${old.split('.')[1]}.${old.split('.')[2]}`
    expect(await reasonOf(retiredForgery)).toBe('unknown_key')
  })

  it('T-8 a token of another type (typ JWT or none) is not an access token', async () => {
    const sign = (typ?: string) =>
      typ === undefined
        ? fixture.tenancy.signingKeys.sign(claims())
        : fixture.tenancy.signingKeys.sign(claims(), { typ })
    expect(await reasonOf(await sign('JWT'))).toBe('wrong_type')
    expect(await reasonOf(await sign())).toBe('wrong_type')
  })

  it('refuses tokens missing a required claim', async () => {
    const { jti: _jti, ...withoutJti } = claims()
    const { tenant: _tenant, ...withoutTenant } = claims()
    for (const payload of [withoutJti, withoutTenant]) {
      const token = await fixture.tenancy.signingKeys.sign(payload, { typ: 'at+jwt' })
      expect(await reasonOf(token)).toBe('missing_claim')
    }
  })

  it('refuses malformed and oversized input without touching keys', async () => {
    expect(await reasonOf('not-a-token')).toBe('malformed')
    expect(await reasonOf('a.b')).toBe('malformed')
    expect(await reasonOf('%%%.%%%.%%%')).toBe('malformed')
    expect(await reasonOf(`${'a'.repeat(9000)}.b.c`)).toBe('too_large')
  })

  it('T-31 key rotation continuity: old tokens verify until expiry, then the old key leaves JWKS', async () => {
    const keys = fixture.tenancy.signingKeys
    const k1 = await activeKid()
    const t1 = await issue()

    // K2 published as next: JWKS lists both, tokens still signed by K1.
    await keys.rotate()
    const listed = (await keys.getJwks()).document.keys.map((k) => k.kid)
    expect(listed).toHaveLength(2)
    expect(listed).toContain(k1)
    const k2 = listed.find((kid) => kid !== k1) ?? ''
    expect(
      (await fixture.tenancy.tokens.verifyAccessToken(await issue(), { audience: mcpResource }))
        .kid,
    ).toBe(k1)

    // After 2 hours K2 becomes active; T1 is still accepted until it expires.
    fixture.clock.advance(7200)
    await keys.runMaintenance()
    expect(await activeKid()).toBe(k2)
    const t2 = await issue()
    expect(
      (await fixture.tenancy.tokens.verifyAccessToken(t2, { audience: mcpResource })).kid,
    ).toBe(k2)

    // T1 (1 h lifetime) expired on its own schedule, not because of the rotation.
    expect(await reasonOf(t1)).toBe('expired')
    fixture.clock.advance(3600 + 61)
    await keys.runMaintenance()
    expect((await keys.getJwks()).document.keys.map((k) => k.kid)).toEqual([k2])
  })

  it('T-31 a token issued just before activation keeps working until its own expiry', async () => {
    const keys = fixture.tenancy.signingKeys
    const k1 = await activeKid()
    await keys.rotate()
    fixture.clock.advance(7200 - 60)
    const late = await issue()
    fixture.clock.advance(60)
    await keys.runMaintenance()
    expect(await activeKid()).not.toBe(k1)
    fixture.clock.advance(3000)
    await keys.runMaintenance()
    const verified = await fixture.tenancy.tokens.verifyAccessToken(late, { audience: mcpResource })
    expect(verified.kid).toBe(k1)
    expect((await keys.getJwks()).document.keys.map((k) => k.kid)).toContain(k1)
  })

  it('T-31 emergency rotation: tokens of the compromised key fail at once', async () => {
    const token = await issue()
    const before = await activeKid()
    await fixture.tenancy.signingKeys.rotate({ compromised: true })
    expect(await activeKid()).not.toBe(before)
    expect(await reasonOf(token)).toBe('unknown_key')
    expect(
      (await fixture.tenancy.signingKeys.getJwks()).document.keys.map((k) => k.kid),
    ).not.toContain(before)
    expect(await reasonOf(await issue())).toBe('accepted')
  })
})

describe('signing keys and JWKS (spec §2.4)', () => {
  it('publishes public members only, with RFC 7638 thumbprints as kids', async () => {
    await fixture.tenancy.signingKeys.rotate()
    const { document, etag } = await fixture.tenancy.signingKeys.getJwks()
    expect(document.keys).toHaveLength(2)
    for (const key of document.keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use'])
      expect(key).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256' })
      expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/)
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(member)
    }
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/)
    expect((await fixture.tenancy.signingKeys.getJwks()).etag).toBe(etag)
  })

  it('stores private halves encrypted, never as PEM', async () => {
    const records = await fixture.tenancy.stores.signingKeys.list()
    expect(records).toHaveLength(1)
    for (const record of records) {
      expect(record.privateKey).toMatch(/^pe1\./)
      expect(record.privateKey).not.toContain('PRIVATE KEY')
    }
  })

  it('rotates on schedule after 90 days and deletes retired keys after 30 days', async () => {
    const keys = fixture.tenancy.signingKeys
    const k1 = await activeKid()
    fixture.clock.advance(90 * 86_400)
    const published = await keys.runMaintenance()
    expect(published.map((t) => [t.from, t.to])).toEqual([['new', 'next']])
    fixture.clock.advance(7200)
    await keys.runMaintenance()
    fixture.clock.advance(3661)
    await keys.runMaintenance()
    expect((await keys.list()).find((k) => k.kid === k1)?.state).toBe('retired')
    fixture.clock.advance(30 * 86_400)
    const deleted = await keys.runMaintenance()
    expect(deleted).toContainEqual({ kid: k1, from: 'retired', to: 'deleted' })
    expect((await keys.list()).map((k) => k.kid)).not.toContain(k1)
  })

  it('reloads the key set written by another instance', async () => {
    const { createSigningKeys, createTokenService } = await import('../../src/index.js')
    const other = createSigningKeys({
      store: fixture.tenancy.stores.signingKeys,
      keyring: fixture.tenancy.keyring,
      now: fixture.clock.now,
      modulusLength: 2048,
    })
    await other.rotate({ compromised: true })
    // This instance polls the version at most every 60 s.
    fixture.clock.advance(61)
    const verifier = createTokenService({
      signingKeys: fixture.tenancy.signingKeys,
      issuer,
      now: fixture.clock.now,
    })
    const token = await createTokenService({
      signingKeys: other,
      issuer,
      now: fixture.clock.now,
    }).issueAccessToken({
      subject: 'u',
      audience: mcpResource,
      tenantId: 't',
      clientId: 'c',
      scopes: [],
    })
    expect(
      (await verifier.verifyAccessToken(token.token, { audience: mcpResource })).claims.sub,
    ).toBe('u')
  })
})
