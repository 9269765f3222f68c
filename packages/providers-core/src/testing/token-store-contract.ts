import { describe, expect, it } from 'vitest'
import type { StoredConnection, TokenStore } from '../oauth/types.js'

/**
 * Registers the contract every {@link TokenStore} meets (the in-memory one here, the encrypted one
 * of `@pierre/tenancy`): absent keys read as `undefined`, `put` then `get` round-trips every field,
 * `put` replaces, keys of different tenants, users and providers stay apart, `delete` reports
 * whether something was removed.
 */
export function describeTokenStoreContract(make: () => TokenStore | Promise<TokenStore>): void {
  const sample = (overrides: Partial<StoredConnection> = {}): StoredConnection => ({
    tenantId: 'tenant-a',
    userId: 'user-1',
    provider: 'strava',
    accessToken: 'a'.repeat(40),
    refreshToken: 'r'.repeat(40),
    tokenType: 'bearer',
    expiresAt: '2025-03-14T17:00:00.000Z',
    scopes: ['read', 'activity:read_all'],
    providerUserId: '48213977',
    status: 'connected',
    statusReason: undefined,
    connectedAt: '2025-03-14T11:00:00.000Z',
    updatedAt: '2025-03-14T11:00:00.000Z',
    ...overrides,
  })

  describe('token store contract', () => {
    it('reads an absent connection as undefined', async () => {
      const store = await make()
      expect(
        await store.get({ tenantId: 'tenant-a', userId: 'nobody', provider: 'strava' }),
      ).toBeUndefined()
    })

    it('round-trips every field and replaces on put', async () => {
      const store = await make()
      await store.put(sample())
      expect(await store.get(sample())).toEqual(sample())
      const replaced = sample({
        accessToken: 'b'.repeat(40),
        status: 'needs_reauth',
        statusReason: 'invalid_grant',
      })
      await store.put(replaced)
      expect(await store.get(sample())).toEqual(replaced)
    })

    it('keeps tenants, users and providers apart', async () => {
      const store = await make()
      await store.put(sample())
      expect(await store.get(sample({ tenantId: 'tenant-b' }))).toBeUndefined()
      expect(await store.get(sample({ userId: 'user-2' }))).toBeUndefined()
      expect(await store.get(sample({ provider: 'fitbit' }))).toBeUndefined()
    })

    it('deletes and reports whether a connection existed', async () => {
      const store = await make()
      await store.put(sample())
      expect(await store.delete(sample())).toBe(true)
      expect(await store.delete(sample())).toBe(false)
      expect(await store.get(sample())).toBeUndefined()
    })
  })
}
