/*
 * Throughput of the three hot paths of @pierre/tenancy, printed as ops/s:
 *
 * - JWT verify: `tokens.verifyAccessToken` of an RS256 access token signed with a 4096-bit key
 *   (the production size), including header checks, kid lookup and claim validation.
 * - API key + rate limit: what a server does per API-key request: `authenticator.authenticate`
 *   (format check, HMAC lookup, constant-time compare, user/membership/tenant reads) followed by
 *   `rateLimiter.check` (GCRA step, monthly counters for a tool call). Run against the in-memory
 *   stores and against SQLite (:memory:) stores.
 * - Provider token: `keyring.encrypt` and `keyring.decryptText` of a 200-character token
 *   (AES-256-GCM under the tenant data key, AAD bound to tenant/user/provider/column).
 */
import Database from 'better-sqlite3'
import { Bench } from 'tinybench'
import {
  createMemoryStores,
  createSystemActor,
  createTenancy,
  generateMasterKey,
  type Tenancy,
  type TenancyStores,
} from '../src/index.js'
import { applyTenancyMigrations, createSqliteStores } from '../src/sqlite/index.js'

const issuer = 'https://pierre.example.com'
const audience = `${issuer}/mcp`
const password = 'correct horse battery staple'

async function setup(stores: TenancyStores, modulusLength: 2048 | 4096) {
  const tenancy: Tenancy = await createTenancy({
    stores,
    masterKey: generateMasterKey(),
    issuer,
    signing: { modulusLength },
    passwords: { parameters: { ln: 10, r: 8, p: 1 } },
    authentication: { failedCredentialLimit: { limit: 1_000_000, windowSeconds: 60 } },
  })
  const system = createSystemActor('bench')
  const owner = await tenancy.identity.createUser(system, { email: 'owner@example.test', password })
  const tenant = await tenancy.identity.createTenant(system, {
    slug: 'bench',
    name: 'Bench',
    plan: 'enterprise',
    ownerUserId: owner.id,
  })
  const { key } = await tenancy.apiKeys.provision(
    system,
    { tenantId: tenant.id, userId: owner.id },
    { name: 'bench', tier: 'enterprise' },
  )
  const context = await tenancy.authenticator.contextFor({
    tenantId: tenant.id,
    userId: owner.id,
    credential: { kind: 'cli' },
    requestId: 'bench',
    transport: 'http',
  })
  if (!context.ok) throw context.error
  return { tenancy, tenant, owner, key, ctx: context.context }
}

function sqliteStores(): TenancyStores {
  const db = new Database(':memory:')
  db.pragma('foreign_keys = ON')
  applyTenancyMigrations(db)
  return createSqliteStores(db)
}

const memory = await setup(createMemoryStores(), 4096)
const sqlite = await setup(sqliteStores(), 2048)

const { token } = await memory.tenancy.tokens.issueAccessToken({
  subject: memory.owner.id,
  audience,
  tenantId: memory.tenant.id,
  clientId: 'bench-client',
  scopes: ['fitness:read'],
})
const providerToken = 'a'.repeat(200)
const aad = {
  purpose: 'provider_tokens.access_token',
  tenantId: memory.tenant.id,
  userId: memory.owner.id,
  provider: 'strava',
}
const sealed = await memory.tenancy.keyring.encrypt(aad, providerToken)

// Sanity checks before timing: each path succeeds.
await memory.tenancy.tokens.verifyAccessToken(token, { audience })
for (const { tenancy, key } of [memory, sqlite]) {
  const result = await tenancy.authenticator.authenticate({
    apiKey: key,
    audience,
    requestId: 'r',
    clientIp: '192.0.2.1',
  })
  if (!result.ok) throw result.error
}
if ((await memory.tenancy.keyring.decryptText(aad, sealed)) !== providerToken)
  throw new Error('round trip failed')

async function keyAndLimit(target: typeof memory): Promise<void> {
  const result = await target.tenancy.authenticator.authenticate({
    apiKey: target.key,
    audience,
    requestId: 'r',
    clientIp: '192.0.2.1',
  })
  if (!result.ok) throw result.error
  await target.tenancy.rateLimiter.check(result.context, { countsTowardQuota: true })
}

const bench = new Bench({ time: 2000, warmupTime: 300 })
bench
  .add('jwt verify (RS256, 4096-bit)', async () => {
    await memory.tenancy.tokens.verifyAccessToken(token, { audience })
  })
  .add('api key lookup + rate limit (memory stores)', () => keyAndLimit(memory))
  .add('api key lookup + rate limit (sqlite :memory:)', () => keyAndLimit(sqlite))
  .add('provider token encrypt (AES-256-GCM)', async () => {
    await memory.tenancy.keyring.encrypt(aad, providerToken)
  })
  .add('provider token decrypt (AES-256-GCM)', async () => {
    await memory.tenancy.keyring.decryptText(aad, sealed)
  })
await bench.run()

console.table(
  bench.tasks.map((task) => ({
    task: task.name,
    'ops/s': Math.round(task.result?.throughput.mean ?? Number.NaN),
    'mean (µs)': Number(((task.result?.latency.mean ?? Number.NaN) * 1000).toFixed(1)),
    samples: task.result?.latency.samples.length ?? 0,
  })),
)
