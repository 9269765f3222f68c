import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { createSystemActor } from '@pierre/tenancy'
import { describe, expect, it, onTestFinished } from 'vitest'
import {
  approveUser,
  createApiKey,
  createPierre,
  createTenant,
  createUser,
  describeAdminError,
  loadConfig,
  openTenancy,
  rotateKeys,
} from '../../src/index.js'
import { fastTenancy, memoryLogger, provisionUser, startServer, tempDir } from '../helpers.js'

const password = 'correct horse battery staple'

async function failureOf(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work
  } catch (error) {
    return describeAdminError(error)
  }
  throw new Error('expected a failure')
}

describe('admin functions (the CLI commands)', () => {
  it('create a tenant, user, approval and API key in a fresh data dir; the key works on /mcp', async () => {
    const dataDir = tempDir()
    const config = loadConfig({ PIERRE_DATA_DIR: dataDir }, { port: 0, host: '127.0.0.1' })
    const { logger } = memoryLogger()
    const opened = await openTenancy(config, { logger, tuning: fastTenancy })
    const deps = { tenancy: opened.tenancy, defaultTenant: opened.defaultTenant }
    const actor = createSystemActor('test cli')
    expect(opened.defaultTenant.slug).toBe('local')

    const tenant = await createTenant(deps, actor, { slug: 'acme', name: 'Acme' })
    expect(tenant).toMatchObject({ slug: 'acme', name: 'Acme' })
    const admin = await createUser(deps, actor, {
      email: 'Root@Acme.test',
      password,
      tenant: 'acme',
      role: 'super_admin',
      tenantRole: 'owner',
    })
    expect(admin).toMatchObject({ email: 'root@acme.test', platformRole: 'super_admin' })
    const pending = await opened.tenancy.identity.registerUser(
      { email: 'new@acme.test', password },
      { tenantId: tenant.id },
    )
    expect(pending.status).toBe('pending')
    expect((await approveUser(deps, actor, 'new@acme.test')).status).toBe('active')
    const { key, record } = await createApiKey(deps, actor, {
      user: 'new@acme.test',
      tier: 'trial',
    })
    expect(key).toMatch(/^pk_trial_/)
    expect(record.tenantId).toBe(tenant.id)
    expect((await rotateKeys(deps, actor)).map((t) => t.to)).toContain('next')
    opened.db.close()

    // The server on the same data directory (master key file, SQLite) accepts the key.
    const pierre = await createPierre(config, { logger, tenancy: fastTenancy })
    const { url } = await pierre.listen()
    onTestFinished(() => pierre.close(1000))
    expect(await pierre.localMode()).toBe(false)
    expect(pierre.defaultTenant.id).toBe(opened.defaultTenant.id)
    const client = new Client({ name: 'admin-test', version: '1' })
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${key}` } },
      }),
    )
    onTestFinished(() => client.close())
    expect((await client.listTools()).tools.length).toBeGreaterThan(0)
  })

  it('answer bad input with one line and no stack', async () => {
    const { pierre } = await startServer()
    const deps = { tenancy: pierre.tenancy, defaultTenant: pierre.defaultTenant }
    const actor = createSystemActor('test cli')
    expect(await failureOf(createTenant(deps, actor, { slug: 'Bad Slug' }))).toBe(
      'invalid tenant (slug: slug must be lower-case letters, digits and -)',
    )
    expect(await failureOf(createTenant(deps, actor, { slug: 'local' }))).toBe(
      'tenant slug local is taken',
    )
    expect(
      await failureOf(createUser(deps, actor, { email: 'a@b.test', password: 'short' })),
    ).toMatch(/^password rejected: password must be at least 12 characters/)
    expect(
      await failureOf(createUser(deps, actor, { email: 'a@b.test', password, role: 'root' })),
    ).toBe('--role must be one of user, admin, super_admin')
    expect(
      await failureOf(createUser(deps, actor, { email: 'a@b.test', password, tenant: 'nope' })),
    ).toBe('no tenant nope')
    expect(await failureOf(approveUser(deps, actor, 'ghost@b.test'))).toBe('no user ghost@b.test')
    await createUser(deps, actor, { email: 'a@b.test', password })
    expect(await failureOf(approveUser(deps, actor, 'a@b.test'))).not.toMatch(/\n|at /)
    expect(await failureOf(createApiKey(deps, actor, { user: 'a@b.test', tier: 'platinum' }))).toBe(
      '--tier must be one of trial, starter, professional, enterprise',
    )
  })
})

describe('REST admin endpoints', () => {
  async function post(
    url: string,
    path: string,
    ...[body, key]: [unknown, string?]
  ): Promise<Response> {
    return fetch(`${url}/admin${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
      },
      body: JSON.stringify(body),
    })
  }

  it('require a credential (401), even in local mode, and an admin role (403)', async () => {
    const { url, pierre } = await startServer()
    const anonymous = await post(url, '/tenants', { slug: 'acme', name: 'Acme' })
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer resource_metadata=/)
    const { key } = await provisionUser(pierre, { email: 'user@acme.test' })
    const forbidden = await post(url, '/tenants', { slug: 'acme', name: 'Acme' }, key)
    expect(forbidden.status).toBe(403)
    const body = (await forbidden.json()) as { error: Record<string, unknown> }
    expect(body.error).toMatchObject({ code: 'forbidden' })
    expect(body.error.request_id).toBe(forbidden.headers.get('x-request-id'))
    expect((await post(url, '/keys/rotate', {}, key)).status).toBe(403)
  })

  it('let an admin create a tenant and a user, approve a user and provision a working key', async () => {
    const { url, pierre } = await startServer()
    const root = await provisionUser(pierre, { email: 'root@acme.test', role: 'super_admin' })
    const tenantResponse = await post(url, '/tenants', { slug: 'acme', name: 'Acme' }, root.key)
    expect(tenantResponse.status).toBe(201)
    const { tenant } = (await tenantResponse.json()) as { tenant: { id: string; slug: string } }
    expect(tenant.slug).toBe('acme')

    const userResponse = await post(
      url,
      '/users',
      { email: 'bob@acme.test', password, tenantId: tenant.id, tenantRole: 'member' },
      root.key,
    )
    expect(userResponse.status).toBe(201)
    const { user } = (await userResponse.json()) as { user: Record<string, unknown> }
    expect(user).toMatchObject({ email: 'bob@acme.test', platformRole: 'user', status: 'active' })
    expect(user).not.toHaveProperty('passwordHash')

    await pierre.tenancy.identity.registerUser(
      { email: 'eve@acme.test', password },
      { tenantId: tenant.id },
    )
    const approved = await post(url, '/users/eve@acme.test/approve', undefined, root.key)
    expect(approved.status).toBe(200)
    expect(((await approved.json()) as { user: { status: string } }).user.status).toBe('active')

    const keyResponse = await post(
      url,
      '/users/bob@acme.test/api-keys',
      { name: 'laptop', tier: 'professional', tenantId: tenant.id },
      root.key,
    )
    expect(keyResponse.status).toBe(201)
    expect(keyResponse.headers.get('cache-control')).toBe('no-store')
    const created = (await keyResponse.json()) as { key: string; api_key: { tier: string } }
    expect(created.api_key.tier).toBe('professional')
    const mcp = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${created.key}`,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 'x', version: '1' },
        },
      }),
    })
    expect(mcp.status).toBe(200)
    expect(mcp.headers.get('x-ratelimit-tier')).toBe('professional')
    await mcp.body?.cancel()

    const rotated = await post(url, '/keys/rotate', {}, root.key)
    expect(rotated.status).toBe(200)
  })

  it('validate bodies and refuse mass assignment of role and tenant_id (T-33)', async () => {
    const { url, pierre } = await startServer()
    const root = await provisionUser(pierre, { email: 'root@acme.test', role: 'super_admin' })
    const cases: [string, unknown, RegExp][] = [
      ['/users', { email: 'x@acme.test', password, role: 'super_admin' }, /role/],
      ['/users', { email: 'x@acme.test', password, platformRole: 'admin' }, /platformRole/],
      ['/users', { email: 'x@acme.test', password, tenant_id: 'other' }, /tenant_id/],
      ['/users', { email: 'x@acme.test' }, /password/],
      ['/tenants', { slug: 'ok', name: 'Ok', status: 'active', quotaMultiplier: 100 }, /status/],
      ['/tenants', { slug: 'Not OK', name: 'x' }, /slug/],
      ['/users/root@acme.test/api-keys', { name: 'k', tier: 'gold' }, /tier/],
      ['/users/root@acme.test/api-keys', { name: 'k', tier: 'trial', user_id: 'x' }, /user_id/],
    ]
    for (const [path, body, field] of cases) {
      const response = await post(url, path, body, root.key)
      expect(response.status, `${path} ${JSON.stringify(body)}`).toBe(400)
      const error = ((await response.json()) as { error: { code: string; message: string } }).error
      expect(error.code).toBe('invalid_argument')
      expect(error.message).toMatch(field)
    }
    expect((await pierre.tenancy.stores.users.getByEmail('x@acme.test')) === undefined).toBe(true)

    const notJson = await fetch(`${url}/admin/tenants`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${root.key}` },
      body: 'slug=acme',
    })
    expect(notJson.status).toBe(415)
    const tooBig = await post(
      url,
      '/tenants',
      { slug: 'big', name: 'x'.repeat(1_100_000) },
      root.key,
    )
    expect(tooBig.status).toBe(413)
    const unknownUser = await post(url, '/users/ghost@acme.test/approve', undefined, root.key)
    expect(unknownUser.status).toBe(404)
  })
})
