import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
// readme:start
import {
  createMemoryStores,
  createSystemActor,
  createTenancy,
  generateMasterKey,
} from '../src/index.js'

const issuer = 'https://pierre.example.com'
const options = { stores: createMemoryStores(), masterKey: generateMasterKey(), issuer }
const { identity, apiKeys, authenticator, rateLimiter } = await createTenancy(options)
const sys = createSystemActor('readme example')
const ann = await identity.createUser(sys, { email: 'ann@acme.test', password: 'horse battery' })
const acme = await identity.createTenant(sys, { slug: 'acme', name: 'Acme', ownerUserId: ann.id })
const owner = { tenantId: acme.id, userId: ann.id }
const { key } = await apiKeys.provision(sys, owner, { name: 'laptop', tier: 'starter' })
const request = { audience: `${issuer}/mcp`, requestId: 'req-1', clientIp: '127.0.0.1' }
const auth = await authenticator.authenticate({ ...request, authorization: `Bearer ${key}` })
if (!auth.ok) throw auth.error // auth.error.code: 'invalid_api_key', 'account_suspended', …
const limit = await rateLimiter.check(auth.context, { countsTowardQuota: true })
// limit.allowed === true, limit.headers.RateLimit === '"burst";r=99;t=0, "monthly";r=9999;t=…'
// readme:end

it('runs the README usage example as shown', () => {
  expect(auth.context.tenantId).toBe(acme.id)
  expect(auth.context.roles).toEqual({ platform: 'user', tenant: 'owner' })
  expect(limit.allowed).toBe(true)
  expect(limit.headers.RateLimit).toMatch(/^"burst";r=99;t=0, "monthly";r=9999;t=\d+$/)
})

it('keeps the README usage block identical to this example, at most 20 lines', () => {
  const source = readFileSync(new URL(import.meta.url), 'utf8')
  const example = source.split('// readme:start\n')[1]?.split('// readme:end')[0] ?? ''
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const usage = readme.split('## Usage')[1]?.split('```ts\n')[1]?.split('```')[0] ?? ''
  expect(usage).toBe(example.replace("'../src/index.js'", "'@pierre/tenancy'"))
  expect(usage.trim().split('\n').length).toBeLessThanOrEqual(20)
})

it('lists every export of every entry in the README API section, once', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const api = readme.split('## API')[1]?.split('## Errors')[0] ?? ''
  const listed = [...api.matchAll(/^- `([A-Za-z]+)/gm)].map((match) => match[1])
  const exported = ['../src/index.ts', '../src/sqlite/index.ts', '../src/testing/index.ts'].flatMap(
    (path) => {
      const index = readFileSync(new URL(path, import.meta.url), 'utf8')
      return [...index.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((match) =>
        (match[1] ?? '')
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean),
      )
    },
  )
  expect([...listed].sort()).toEqual([...exported].sort())
})

it('documents every error code', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const errors = readme.split('## Errors')[1]?.split('## Security')[0] ?? ''
  const source = readFileSync(new URL('../src/errors.ts', import.meta.url), 'utf8')
  const union = source.split('export type TenancyErrorCode =')[1]?.split('\n\n')[0] ?? ''
  const codes = [...union.matchAll(/'([a-z_]+)'/g)].map((match) => match[1])
  for (const code of codes) expect(errors).toContain(`\`${code}\``)
})
