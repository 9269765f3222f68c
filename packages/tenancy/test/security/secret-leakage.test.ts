import { randomBytes } from 'node:crypto'
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import {
  createMemoryStores,
  createSystemActor,
  createTenancy,
  isTenancyError,
  type Logger,
  loadKeyring,
  parseMasterKey,
} from '../../src/index.js'
import { createTestContext } from '../../src/testing/index.js'
import { createClock, issuer, mcpResource } from '../support.js'

// Threat catalogue T-35 (secret leakage in logs and errors) and T-50 (suspended account) at the
// library layer: everything logged or thrown while handling secrets is captured and searched.

describe('secret leakage', () => {
  it('T-35 logs, errors and returned records never contain passwords, keys, tokens or the master key', async () => {
    const lines: string[] = []
    const capture = (level: string) => (fields: object, message: string) => {
      lines.push(`${level} ${message} ${inspect(fields, { depth: 5 })} ${JSON.stringify(fields)}`)
    }
    const logger: Logger = {
      debug: capture('debug'),
      info: capture('info'),
      warn: capture('warn'),
      error: capture('error'),
    }
    const masterText = randomBytes(32).toString('base64')
    const masterKey = parseMasterKey(masterText)
    const clock = createClock()
    const stores = createMemoryStores()
    const tenancy = await createTenancy({
      stores,
      masterKey,
      issuer,
      logger,
      now: clock.now,
      signing: { modulusLength: 2048 },
      passwords: { parameters: { ln: 10, r: 8, p: 1 } },
      audit: (event) => lines.push(`audit ${JSON.stringify(event)}`),
    })
    const system = createSystemActor('t35')
    const password = 'a very secret passphrase'
    const user = await tenancy.identity.createUser(system, { email: 'ann@example.test', password })
    const tenant = await tenancy.identity.createTenant(system, {
      slug: 'acme',
      name: 'Acme',
      ownerUserId: user.id,
    })
    const created = await tenancy.apiKeys.provision(
      system,
      { tenantId: tenant.id, userId: user.id },
      { name: 'k', tier: 'starter' },
    )
    const ctx = createTestContext({ tenantId: tenant.id, userId: user.id, tenantRole: 'owner' })
    await tenancy.providerTokens.save(ctx, 'strava', {
      accessToken: 'provider-access-secret',
      refreshToken: 'provider-refresh-secret',
      tokenType: 'Bearer',
      scope: null,
      expiresAt: null,
      providerUserId: null,
    })
    const { token } = await tenancy.tokens.issueAccessToken({
      subject: user.id,
      audience: mcpResource,
      tenantId: tenant.id,
      clientId: 'c',
      scopes: [],
    })

    const outcomes: unknown[] = []
    const collect = async (promise: Promise<unknown>) =>
      outcomes.push(await promise.catch((e: unknown) => e))
    await collect(tenancy.identity.login({ email: 'ann@example.test', password: `${password}!` }))
    await collect(tenancy.identity.login({ email: 'ann@example.test', password }))
    await collect(
      tenancy.authenticator.authenticate({
        apiKey: `${created.key.slice(0, -1)}x`,
        audience: mcpResource,
        requestId: 'r',
        clientIp: '192.0.2.1',
      }),
    )
    await collect(
      tenancy.authenticator.authenticate({
        apiKey: created.key,
        audience: mcpResource,
        requestId: 'r',
        clientIp: '192.0.2.1',
      }),
    )
    await collect(tenancy.tokens.verifyAccessToken(`${token}x`, { audience: mcpResource }))
    await collect(tenancy.providerTokens.get(ctx, 'strava'))
    await collect(tenancy.apiKeys.list(ctx))
    await collect(tenancy.providerTokens.list(ctx))
    const row = await stores.providerTokens.get(ctx, 'strava')
    if (!row) throw new Error('missing row')
    await stores.providerTokens.put(ctx, { ...row, accessTokenEnc: row.refreshTokenEnc ?? '' })
    await collect(tenancy.providerTokens.get(ctx, 'strava'))
    await collect(
      loadKeyring({
        masterKey: parseMasterKey(randomBytes(32).toString('base64')),
        store: stores.keys,
      }),
    )
    await collect(tenancy.signingKeys.rotate({ compromised: true }))
    await collect(tenancy.signingKeys.getJwks())

    const visible = (value: unknown) =>
      isTenancyError(value)
        ? JSON.stringify({
            code: value.code,
            message: value.message,
            details: value.details,
            error: value,
            text: String(value),
          })
        : JSON.stringify(value)
    // Outcomes that legitimately return a decrypted secret to its owner are excluded.
    const scanned = [...lines, ...outcomes.filter((_, i) => i !== 5).map(visible)].join('\n')
    const secrets = [
      password,
      created.key,
      created.key.slice(8),
      token,
      token.split('.')[2] ?? '',
      'provider-access-secret',
      'provider-refresh-secret',
      masterText,
      Buffer.from(masterText, 'base64').toString('hex'),
      Buffer.from(masterText, 'base64').toString('base64url'),
    ]
    for (const secret of secrets)
      expect(scanned.includes(secret), `leaked ${secret.slice(0, 6)}…`).toBe(false)
    expect(inspect(masterKey)).toBe('MasterKey [redacted]')
    expect(lines.some((line) => line.includes('ciphertext authentication failed'))).toBe(true)
  })

  it('T-50 a valid access token of a suspended user answers account_suspended on the next request', async () => {
    const clock = createClock()
    const tenancy = await createTenancy({
      stores: createMemoryStores(),
      masterKey: parseMasterKey(randomBytes(32).toString('base64')),
      issuer,
      now: clock.now,
      signing: { modulusLength: 2048 },
      passwords: { parameters: { ln: 10, r: 8, p: 1 } },
    })
    const system = createSystemActor('t50')
    const owner = await tenancy.identity.createUser(system, {
      email: 'o@example.test',
      password: 'a very secret passphrase',
    })
    const tenant = await tenancy.identity.createTenant(system, {
      slug: 't',
      name: 'T',
      ownerUserId: owner.id,
    })
    const { token } = await tenancy.tokens.issueAccessToken({
      subject: owner.id,
      audience: mcpResource,
      tenantId: tenant.id,
      clientId: 'c',
      scopes: [],
    })
    const request = {
      authorization: `Bearer ${token}`,
      audience: mcpResource,
      requestId: 'r',
      clientIp: '192.0.2.1',
    }
    expect((await tenancy.authenticator.authenticate(request)).ok).toBe(true)
    await tenancy.identity.suspendUser(system, owner.id)
    const refused = await tenancy.authenticator.authenticate(request)
    expect(!refused.ok && refused.error.code).toBe('account_suspended')
  })
})
