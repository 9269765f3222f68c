/*
 * Throughput of the authorization server's hot paths, each against a baseline measured in the same
 * run (so the ratios, not the absolute numbers, are what to compare across machines):
 *
 * - Token endpoint, authorization_code exchange: one POST /oauth2/token per operation (code
 *   consumption, PKCE check, RS256 signing, token records) over real HTTP on 127.0.0.1, against
 *   the baseline of an express POST that parses the same form and answers a fixed JSON body.
 * - Token endpoint, refresh_token: rotation (one transaction) plus a new access token, same baseline.
 * - Access-token verification as a resource server does it per request
 *   (`oauth.verifyAccessToken`: signature and claims, revocation lookup, membership), against the
 *   bare jose RS256 signature and claim check of the same token.
 * Stores: in-memory and SQLite (:memory:, WAL is irrelevant there).
 */
import { createHash, randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import Database from 'better-sqlite3'
import express from 'express'
import { importJWK, jwtVerify } from 'jose'
import { Bench } from 'tinybench'
import {
  createLocalSigner,
  createMemoryOAuthStore,
  createMemoryUsers,
  createOAuthServer,
  type OAuthStore,
} from '../src/index.js'
import { applyOAuthMigrations, createSqliteOAuthStore } from '../src/sqlite/index.js'

const redirectUri = 'http://127.0.0.1:5555/cb'
const user = {
  id: 'user-1',
  email: 'ada@example.com',
  password: 'correct horse battery staple',
  tenants: [{ id: 'tenant-1', name: 'Home' }],
}

async function start(store: OAuthStore) {
  const app = express()
  const http = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => http.once('listening', resolve))
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  const keys = await createLocalSigner({ issuer: base })
  const oauth = createOAuthServer({
    issuer: base,
    store,
    users: createMemoryUsers([user]),
    keys,
    secret: randomBytes(32),
    rateLimits: { token: 1e9, authorize: 1e9, register: 1e9, login: 1e9 },
  })
  app.use(oauth.router)
  app.post('/baseline', express.urlencoded({ extended: false }), (req, res) => {
    res.setHeader('Cache-Control', 'no-store')
    res.json({ ok: Object.keys(req.body as object).length })
  })
  const client = (await (
    await fetch(`${base}/oauth2/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [redirectUri], token_endpoint_auth_method: 'none' }),
    })
  ).json()) as { client_id: string }
  return { base, http, oauth, keys, store, clientId: client.client_id }
}

type Started = Awaited<ReturnType<typeof start>>

/** Plants a grant and a code directly in the store, as consent would (the pages are not measured). */
async function plantCode(s: Started): Promise<{ code: string; verifier: string }> {
  const code = randomBytes(32).toString('base64url')
  const verifier = randomBytes(32).toString('base64url')
  const grantId = randomBytes(16).toString('base64url')
  const now = Date.now()
  const iso = (offsetMs: number) => new Date(now + offsetMs).toISOString()
  await s.store.grants.create({
    grantId,
    clientId: s.clientId,
    userId: user.id,
    tenantId: 'tenant-1',
    scope: 'fitness:read',
    resource: `${s.base}/mcp`,
    createdAt: iso(0),
    absoluteExpiresAt: iso(86_400_000),
    revokedAt: null,
  })
  await s.store.codes.create({
    codeHash: createHash('sha256').update(code).digest('hex'),
    grantId,
    clientId: s.clientId,
    userId: user.id,
    tenantId: 'tenant-1',
    redirectUri,
    scope: 'fitness:read',
    resource: `${s.base}/mcp`,
    codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
    authTime: null,
    expiresAt: iso(600_000),
    usedAt: null,
  })
  return { code, verifier }
}

async function post(url: string, form: Record<string, string>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  })
  const body = (await response.json()) as Record<string, string>
  if (response.status !== 200) throw new Error(`${url}: ${response.status} ${JSON.stringify(body)}`)
  return body
}

async function run(label: string, store: OAuthStore) {
  const s = await start(store)
  const codes: { code: string; verifier: string }[] = []
  for (let i = 0; i < 4000; i++) codes.push(await plantCode(s))
  let refresh = (
    await post(`${s.base}/oauth2/token`, {
      grant_type: 'authorization_code',
      client_id: s.clientId,
      redirect_uri: redirectUri,
      ...(({ code, verifier }) => ({ code, code_verifier: verifier }))(
        codes.pop() as {
          code: string
          verifier: string
        },
      ),
    })
  ).refresh_token as string
  const sample = await post(`${s.base}/oauth2/token`, {
    grant_type: 'refresh_token',
    client_id: s.clientId,
    refresh_token: refresh,
  })
  refresh = sample.refresh_token as string
  const token = sample.access_token as string
  const jwk = (await s.keys.getJwks()).document.keys[0] as Record<string, string>
  const publicKey = await importJWK(jwk, 'RS256')

  const bench = new Bench({ time: 1500, warmupTime: 200 })
  bench
    .add('baseline: express form POST', async () => {
      await post(`${s.base}/baseline`, {
        grant_type: 'authorization_code',
        code: 'x',
        client_id: 'y',
      })
    })
    .add('token: authorization_code', async () => {
      const next = codes.pop()
      if (next === undefined) throw new Error('bench ran out of planted codes')
      await post(`${s.base}/oauth2/token`, {
        grant_type: 'authorization_code',
        client_id: s.clientId,
        redirect_uri: redirectUri,
        code: next.code,
        code_verifier: next.verifier,
      })
    })
    .add('token: refresh_token', async () => {
      const body = await post(`${s.base}/oauth2/token`, {
        grant_type: 'refresh_token',
        client_id: s.clientId,
        refresh_token: refresh,
      })
      refresh = body.refresh_token as string
    })
    .add('baseline: jose RS256 verify', async () => {
      await jwtVerify(token, publicKey, { algorithms: ['RS256'], audience: `${s.base}/mcp` })
    })
    .add('verify access token (resource server)', async () => {
      const result = await s.oauth.verifyAccessToken(token, { resource: `${s.base}/mcp` })
      if (!result.ok) throw new Error(result.description)
    })
  await bench.run()
  s.http.close()
  const hz = (name: string) =>
    bench.tasks.find((task) => task.name === name)?.result?.throughput.mean ?? 0
  console.log(`\n${label}`)
  console.table(
    bench.tasks.map((task) => ({
      task: task.name,
      'ops/s': Math.round(task.result?.throughput.mean ?? 0),
    })),
  )
  const http = hz('baseline: express form POST')
  const jose = hz('baseline: jose RS256 verify')
  console.log(
    `authorization_code exchange: ${(hz('token: authorization_code') / http).toFixed(2)}× the bare express POST`,
  )
  console.log(`refresh: ${(hz('token: refresh_token') / http).toFixed(2)}× the bare express POST`)
  console.log(
    `resource-server verification: ${(hz('verify access token (resource server)') / jose).toFixed(2)}× bare jose verify`,
  )
}

await run('memory store', createMemoryOAuthStore())
const db = new Database(':memory:')
applyOAuthMigrations(db)
await run('SQLite store', createSqliteOAuthStore(db))
