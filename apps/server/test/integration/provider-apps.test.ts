import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startFakeStrava } from '@pierre/providers-strava/testing'
import { createSystemActor } from '@pierre/tenancy'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createApiKey, createTenant, createUser, type Pierre } from '../../src/index.js'
import { provisionUser, startServer, tempDir } from '../helpers.js'

const TENANT_CLIENT_ID = 'tenant-app-77'
const TENANT_SECRET = 'tenant-app-secret-do-not-leak'
const SERVER_CLIENT_ID = 'server-app-1'

async function member(
  pierre: Pierre,
  input: { email: string; tenant: string; tenantRole: string },
): Promise<string> {
  const deps = { tenancy: pierre.tenancy, defaultTenant: pierre.defaultTenant }
  const actor = createSystemActor('test')
  await createUser(deps, actor, { ...input, password: 'correct horse battery staple' })
  return (await createApiKey(deps, actor, { user: input.email })).key
}

function call(url: string, key: string, request: { method: string; body?: unknown }) {
  const { method, body } = request
  return fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
}

async function connectUrl(url: string, key: string): Promise<URL> {
  const response = await call(`${url}/api/providers/strava/connect`, key, { method: 'POST' })
  expect(response.status).toBe(200)
  return new URL(((await response.json()) as { authorizationUrl: string }).authorizationUrl)
}

async function stravaStatus(url: string, key: string) {
  const response = await call(`${url}/api/providers`, key, { method: 'GET' })
  const list = (await response.json()) as { provider: string; appSource: string | null }[]
  return list.find((status) => status.provider === 'strava')
}

describe("a tenant's own provider app", () => {
  it('is set by an admin, encrypted at rest, and used to connect that tenant’s users', async () => {
    const strava = await startFakeStrava({
      activityCount: 3,
      clientId: TENANT_CLIENT_ID,
      clientSecret: TENANT_SECRET,
    })
    onTestFinished(() => strava.close())
    const { url, pierre } = await startServer({
      PIERRE_AUTH: 'required',
      PIERRE_STRAVA_API_BASE_URL: strava.apiBaseUrl,
      PIERRE_STRAVA_OAUTH_BASE_URL: strava.oauthBaseUrl,
    })
    const admin = await provisionUser(pierre, { email: 'root@acme.test', role: 'super_admin' })
    expect(await stravaStatus(url, admin.key)).toMatchObject({ configured: false, appSource: null })

    const put = await call(`${url}/admin/tenants/local/provider-apps/strava`, admin.key, {
      method: 'PUT',
      body: { clientId: TENANT_CLIENT_ID, clientSecret: TENANT_SECRET },
    })
    expect(put.status).toBe(200)
    const text = await put.text()
    expect(text).not.toContain(TENANT_SECRET)
    expect(JSON.parse(text)).toMatchObject({
      providerApp: {
        tenantId: pierre.defaultTenant.id,
        provider: 'strava',
        clientId: TENANT_CLIENT_ID,
        redirectUri: null,
      },
    })
    const rows = pierre.db.prepare('SELECT * FROM tenant_provider_apps').all() as {
      client_secret_enc: string
    }[]
    expect(rows).toHaveLength(1)
    expect(rows[0]?.client_secret_enc).toMatch(/^pe1\./)
    expect(JSON.stringify(rows)).not.toContain(TENANT_SECRET)
    const listed = await call(`${url}/admin/tenants/local/provider-apps`, admin.key, {
      method: 'GET',
    })
    const listText = await listed.text()
    expect(listText).not.toContain(TENANT_SECRET)
    expect(JSON.parse(listText)).toMatchObject({ providerApps: [{ clientId: TENANT_CLIENT_ID }] })

    expect(await stravaStatus(url, admin.key)).toMatchObject({
      configured: true,
      appSource: 'tenant',
    })
    const authorization = await connectUrl(url, admin.key)
    expect(authorization.searchParams.get('client_id')).toBe(TENANT_CLIENT_ID)
    const approved = await fetch(authorization, { redirect: 'manual' })
    const done = await fetch(approved.headers.get('location') as string)
    // The fake's token endpoint accepts only the tenant's client id and secret.
    expect(done.status).toBe(200)
    expect(await stravaStatus(url, admin.key)).toMatchObject({ connected: true })

    const removed = await call(`${url}/admin/tenants/local/provider-apps/strava`, admin.key, {
      method: 'DELETE',
    })
    expect(removed.status).toBe(204)
    const again = await call(`${url}/admin/tenants/local/provider-apps/strava`, admin.key, {
      method: 'DELETE',
    })
    expect(again.status).toBe(404)
    expect(await stravaStatus(url, admin.key)).toMatchObject({ configured: false, appSource: null })
    // Without an app the tokens can only be forgotten, not revoked.
    const disconnected = await call(`${url}/api/providers/strava`, admin.key, { method: 'DELETE' })
    expect(await disconnected.json()).toMatchObject({ disconnected: true, revoked: false })
  })

  it('wins over the server app for its tenant only; removing it falls back to the server app', async () => {
    const { url, pierre } = await startServer({
      PIERRE_AUTH: 'required',
      PIERRE_STRAVA_CLIENT_ID: SERVER_CLIENT_ID,
      PIERRE_STRAVA_CLIENT_SECRET: 'server-secret',
      PIERRE_STRAVA_REDIRECT_URI: 'https://pierre.example.com/api/oauth/callback/strava',
    })
    const actor = createSystemActor('test')
    await createTenant({ tenancy: pierre.tenancy, defaultTenant: pierre.defaultTenant }, actor, {
      slug: 'acme',
    })
    const acmeAdmin = await member(pierre, {
      email: 'boss@acme.test',
      tenant: 'acme',
      tenantRole: 'admin',
    })
    const acmeUser = await member(pierre, {
      email: 'ann@acme.test',
      tenant: 'acme',
      tenantRole: 'member',
    })
    const localUser = await provisionUser(pierre, { email: 'bob@local.test' })

    const put = await call(`${url}/admin/tenants/acme/provider-apps/strava`, acmeAdmin, {
      method: 'PUT',
      body: {
        clientId: TENANT_CLIENT_ID,
        clientSecret: TENANT_SECRET,
        redirectUri: 'https://acme.example.com/api/oauth/callback/strava',
      },
    })
    expect(put.status).toBe(200)

    const acme = await connectUrl(url, acmeUser)
    expect(acme.searchParams.get('client_id')).toBe(TENANT_CLIENT_ID)
    expect(acme.searchParams.get('redirect_uri')).toBe(
      'https://acme.example.com/api/oauth/callback/strava',
    )
    expect(await stravaStatus(url, acmeUser)).toMatchObject({ appSource: 'tenant' })
    const local = await connectUrl(url, localUser.key)
    expect(local.searchParams.get('client_id')).toBe(SERVER_CLIENT_ID)
    expect(local.searchParams.get('redirect_uri')).toBe(
      'https://pierre.example.com/api/oauth/callback/strava',
    )
    expect(await stravaStatus(url, localUser.key)).toMatchObject({ appSource: 'server' })

    expect(
      (
        await call(`${url}/admin/tenants/acme/provider-apps/strava`, acmeAdmin, {
          method: 'DELETE',
        })
      ).status,
    ).toBe(204)
    expect((await connectUrl(url, acmeUser)).searchParams.get('client_id')).toBe(SERVER_CLIENT_ID)
    expect(await stravaStatus(url, acmeUser)).toMatchObject({ appSource: 'server' })
  })

  it('is refused to members, hidden from other tenants’ admins, and validated', async () => {
    const { url, pierre } = await startServer({ PIERRE_AUTH: 'required' })
    const actor = createSystemActor('test')
    await createTenant({ tenancy: pierre.tenancy, defaultTenant: pierre.defaultTenant }, actor, {
      slug: 'acme',
    })
    const acmeAdmin = await member(pierre, {
      email: 'boss@acme.test',
      tenant: 'acme',
      tenantRole: 'admin',
    })
    const localMember = await provisionUser(pierre, { email: 'bob@local.test' })
    const body = { clientId: TENANT_CLIENT_ID, clientSecret: TENANT_SECRET }
    const path = `${url}/admin/tenants/local/provider-apps/strava`

    const byMember = await call(path, localMember.key, { method: 'PUT', body })
    expect(byMember.status).toBe(403)
    const foreign = await call(path, acmeAdmin, { method: 'PUT', body })
    expect(foreign.status).toBe(404)
    expect(
      (await call(`${url}/admin/tenants/local/provider-apps`, acmeAdmin, { method: 'GET' })).status,
    ).toBe(404)

    const acmePath = `${url}/admin/tenants/acme/provider-apps`
    const cases: [string, unknown, RegExp][] = [
      [`${acmePath}/polar`, body, /provider must be one of strava/],
      [`${acmePath}/strava`, { ...body, redirectUri: 'ftp://x' }, /redirectUri/],
      [`${acmePath}/strava`, { ...body, clientId: '' }, /clientId/],
      [`${acmePath}/strava`, { ...body, tenantId: 'local' }, /unknown field\(s\) tenantId/],
      [`${acmePath}/strava`, { clientId: 'x' }, /clientSecret/],
    ]
    for (const [target, payload, message] of cases) {
      const response = await call(target, acmeAdmin, { method: 'PUT', body: payload })
      expect(response.status, JSON.stringify(payload)).toBe(400)
      const error = ((await response.json()) as { error: { code: string; message: string } }).error
      expect(error.code).toBe('invalid_argument')
      expect(error.message).toMatch(message)
    }
    expect(pierre.db.prepare('SELECT * FROM tenant_provider_apps').all()).toHaveLength(0)
  })
})

describe('pierre-server admin set-provider-app', () => {
  it('sets, lists and removes a tenant app; the secret never comes from argv', async () => {
    const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))
    const dataDir = tempDir()
    const run = (args: string[], env: Record<string, string> = {}, input?: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [cli, ...args], {
          env: { HOME: dataDir, PIERRE_DATA_DIR: dataDir, ...env },
        })
        let stdout = ''
        let stderr = ''
        child.stdout.on('data', (chunk) => {
          stdout += String(chunk)
        })
        child.stderr.on('data', (chunk) => {
          stderr += String(chunk)
        })
        child.stdin.end(input ?? '')
        child.once('close', (code) => resolve({ code, stdout, stderr }))
      })

    const set = await run(
      [
        'admin',
        'set-provider-app',
        'strava',
        '--client-id',
        TENANT_CLIENT_ID,
        '--client-secret-stdin',
      ],
      {},
      `${TENANT_SECRET}\n`,
    )
    expect(set.code).toBe(0)
    expect(set.stdout).toBe(`set the strava app of tenant local (client id ${TENANT_CLIENT_ID})\n`)
    const listed = await run(['admin', 'list-provider-apps'])
    expect(listed.code).toBe(0)
    expect(listed.stdout).toContain(
      `strava\tclient id ${TENANT_CLIENT_ID}\tredirect (server default)`,
    )
    expect(listed.stdout + listed.stderr).not.toContain(TENANT_SECRET)

    const noSecret = await run(['admin', 'set-provider-app', 'strava', '--client-id', 'x'])
    expect(noSecret.code).toBe(1)
    expect(noSecret.stderr).toBe(
      'pierre-server: give exactly one of --client-secret-stdin or --client-secret-env <VAR>\n',
    )
    const unknown = await run(
      ['admin', 'set-provider-app', 'polar', '--client-id', 'x', '--client-secret-env', 'S'],
      { S: 'secret' },
    )
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toBe(
      'pierre-server: provider must be one of strava, fitbit, whoop, garmin, coros\n',
    )
    // Terra has one app for the whole server (its dev id): no tenant app.
    const terra = await run(
      ['admin', 'set-provider-app', 'terra', '--client-id', 'x', '--client-secret-env', 'S'],
      { S: 'secret' },
    )
    expect(terra.code).toBe(1)
    expect(terra.stderr).toBe(unknown.stderr)

    const removed = await run(['admin', 'remove-provider-app', 'strava'])
    expect(removed.code).toBe(0)
    expect((await run(['admin', 'list-provider-apps'])).stdout).toBe(
      'no provider apps (the server app is used)\n',
    )
    expect((await run(['admin', 'remove-provider-app', 'strava'])).code).toBe(1)
  }, 30_000)
})
