import { describe, expect, it, vi } from 'vitest'
import {
  createMemoryStores,
  generateMasterKey,
  isKeyringInitialized,
  isTenancyError,
  loadKeyring,
  platformTenantId,
} from '../src/index.js'
import { createSqliteStores } from '../src/sqlite/index.js'
import { createSqliteDatabase } from './support.js'

const aad = {
  purpose: 'provider_tokens.refresh_token',
  tenantId: 'tenant-a',
  userId: 'user-1',
  provider: 'strava',
}

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => 'resolved',
    (error: unknown) => (isTenancyError(error) ? error.code : error),
  )
}

describe('keyring (envelope encryption, spec §2.2)', () => {
  it('round-trips a secret in the pe1 format with a fresh nonce each time', async () => {
    const keyring = await loadKeyring({
      masterKey: generateMasterKey(),
      store: createMemoryStores().keys,
    })
    const first = await keyring.encrypt(aad, 'refresh-token-value')
    const second = await keyring.encrypt(aad, 'refresh-token-value')
    expect(first).toMatch(/^pe1\.1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/)
    expect(first).not.toBe(second)
    expect(await keyring.decryptText(aad, first)).toBe('refresh-token-value')
  })

  it.for([
    ['tenant', { tenantId: 'tenant-b' }],
    ['user', { userId: 'user-2' }],
    ['provider', { provider: 'garmin' }],
    ['purpose', { purpose: 'provider_tokens.access_token' }],
  ] as const)('refuses to decrypt with another %s in the AAD', async ([, change]) => {
    const keys = createMemoryStores().keys
    const keyring = await loadKeyring({ masterKey: generateMasterKey(), store: keys })
    await keyring.ensureTenantKey('tenant-b')
    const sealed = await keyring.encrypt(aad, 'secret')
    expect(await codeOf(keyring.decrypt({ ...aad, ...change }, sealed))).toBe('decryption_failed')
  })

  it('refuses tampered ciphertexts and names only the purpose', async () => {
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() }
    const keyring = await loadKeyring({
      masterKey: generateMasterKey(),
      store: createMemoryStores().keys,
      logger,
    })
    const sealed = await keyring.encrypt(aad, 'secret')
    const body = sealed.split('.')[3] ?? ''
    const flipped = `${body.slice(0, -2)}${body.endsWith('AA') ? 'AB' : 'AA'}`
    const tampered = sealed.replace(body, flipped)
    const error = await keyring.decrypt(aad, tampered).catch((e: unknown) => e)
    expect(isTenancyError(error) && error.code).toBe('decryption_failed')
    expect((error as Error).message).toBe('decryption failed for provider_tokens.refresh_token')
    expect(JSON.stringify(logger.error.mock.calls)).not.toContain(body)
    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({ purpose: aad.purpose, tenantId: aad.tenantId }),
      'ciphertext authentication failed',
    )
    expect(await codeOf(keyring.decrypt(aad, 'pe1.garbage'))).toBe('decryption_failed')
  })

  it('refuses "|" inside AAD parts', async () => {
    const keyring = await loadKeyring({
      masterKey: generateMasterKey(),
      store: createMemoryStores().keys,
    })
    expect(await codeOf(keyring.encrypt({ ...aad, userId: 'a|b' }, 'x'))).toBe('invalid_argument')
  })

  it('gives each tenant its own data key: a wrapped key moved to another tenant does not unwrap', async () => {
    const db = createSqliteDatabase()
    const stores = createSqliteStores(db)
    const masterKey = generateMasterKey()
    const keyring = await loadKeyring({ masterKey, store: stores.keys })
    await keyring.ensureTenantKey('tenant-a')
    await keyring.ensureTenantKey('tenant-b')
    const sealed = await keyring.encrypt({ ...aad, tenantId: 'tenant-b' }, 'secret')
    db.prepare(
      `UPDATE tenant_keys SET wrapped_key = (SELECT wrapped_key FROM tenant_keys WHERE tenant_id = 'tenant-a')
       WHERE tenant_id = 'tenant-b'`,
    ).run()
    const fresh = await loadKeyring({ masterKey, store: stores.keys })
    expect(await codeOf(fresh.decrypt({ ...aad, tenantId: 'tenant-b' }, sealed))).toBe(
      'decryption_failed',
    )
  })

  it('detects a wrong master key at start-up and writes nothing', async () => {
    const stores = createMemoryStores()
    const keyring = await loadKeyring({ masterKey: generateMasterKey(), store: stores.keys })
    const sealed = await keyring.encrypt(aad, 'secret')
    expect(await isKeyringInitialized(stores.keys)).toBe(true)
    const before = JSON.stringify(await stores.keys.listAllTenantKeys())
    const error = await loadKeyring({ masterKey: generateMasterKey(), store: stores.keys }).catch(
      (e: unknown) => e,
    )
    expect(isTenancyError(error) && error.code).toBe('master_key_mismatch')
    expect((error as Error).message).toBe('master key does not match this database')
    expect(JSON.stringify(await stores.keys.listAllTenantKeys())).toBe(before)
    expect(await keyring.decryptText(aad, sealed)).toBe('secret')
  })

  it('rotates a tenant key: new writes use the new version, old ciphertext still decrypts', async () => {
    const stores = createMemoryStores()
    const keyring = await loadKeyring({ masterKey: generateMasterKey(), store: stores.keys })
    const old = await keyring.encrypt(aad, 'old')
    expect(await keyring.rotateTenantKey('tenant-a')).toBe(2)
    const fresh = await keyring.encrypt(aad, 'new')
    expect(fresh.startsWith('pe1.2.')).toBe(true)
    expect(await keyring.decryptText(aad, old)).toBe('old')
    const statuses = (await stores.keys.listTenantKeys('tenant-a')).map((k) => k.status)
    expect(statuses).toEqual(['active', 'decrypt_only'])
  })

  it('crypto-shreds a tenant: after destroying its keys nothing decrypts', async () => {
    const keyring = await loadKeyring({
      masterKey: generateMasterKey(),
      store: createMemoryStores().keys,
    })
    const sealed = await keyring.encrypt(aad, 'secret')
    await keyring.destroyTenantKeys('tenant-a')
    const error = await keyring.decrypt(aad, sealed).catch((e: unknown) => e)
    expect(isTenancyError(error) && error.details?.reason).toBe('key_unavailable')
  })

  it('rotates the master key by re-wrapping only, keeping data and API-key hashes valid', async () => {
    const stores = createMemoryStores()
    const keyring = await loadKeyring({ masterKey: generateMasterKey(), store: stores.keys })
    const sealed = await keyring.encrypt(aad, 'secret')
    const platform = await keyring.encrypt({ purpose: 'x.y', tenantId: platformTenantId }, 'p')
    const hash = keyring.hmac('pk_live_example')
    const next = generateMasterKey()
    await keyring.rotateMasterKey(next)
    expect(await keyring.decryptText(aad, sealed)).toBe('secret')
    const reopened = await loadKeyring({ masterKey: next, store: stores.keys })
    expect(await reopened.decryptText(aad, sealed)).toBe('secret')
    expect(
      await reopened.decryptText({ purpose: 'x.y', tenantId: platformTenantId }, platform),
    ).toBe('p')
    expect(reopened.hmac('pk_live_example')).toBe(hash)
  })

  it('computes a peppered HMAC, different per installation', async () => {
    const one = await loadKeyring({
      masterKey: generateMasterKey(),
      store: createMemoryStores().keys,
    })
    const two = await loadKeyring({
      masterKey: generateMasterKey(),
      store: createMemoryStores().keys,
    })
    expect(one.hmac('pk_live_x')).toMatch(/^[0-9a-f]{64}$/)
    expect(one.hmac('pk_live_x')).not.toBe(two.hmac('pk_live_x'))
  })
})
