import { describe, expect, it } from 'vitest'
import type { TerraConnection, TerraConnectionStore } from '../connections.js'
import type { TerraDeliveryLog } from '../delivery-log.js'

const connection = (
  terraUserId: string,
  owner: { readonly tenantId: string; readonly userId: string },
  connectedAt = '2025-03-14T12:00:00.000Z',
): TerraConnection => ({
  terraUserId,
  tenantId: owner.tenantId,
  userId: owner.userId,
  resource: 'GARMIN',
  scopes: ['ACTIVITY_EXPORT', 'HEALTH_EXPORT'],
  status: 'connected',
  statusReason: undefined,
  connectedAt,
  updatedAt: connectedAt,
})

/**
 * Registers the contract every {@link TerraConnectionStore} meets: what was put comes back, a put
 * replaces, listing is per tenant and user (oldest first), delete says whether something existed,
 * and values are copies. Call it at the top level of a test file with a factory of empty stores.
 */
export function describeTerraConnectionStoreContract(
  make: () => TerraConnectionStore | Promise<TerraConnectionStore>,
  title = 'terra connection store contract',
): void {
  const camille = { tenantId: 'tenant-a', userId: 'camille' }
  describe(title, () => {
    it('returns what was put and undefined for an unknown Terra user', async () => {
      const store = await make()
      const stored = connection('tu-1', camille)
      await store.put(stored)
      expect(await store.get('tu-1')).toEqual(stored)
      expect(await store.get('tu-unknown')).toBeUndefined()
    })

    it('replaces a connection on put', async () => {
      const store = await make()
      await store.put(connection('tu-1', camille))
      const revoked: TerraConnection = {
        ...connection('tu-1', camille),
        status: 'needs_reauth',
        statusReason: 'access_revoked',
        updatedAt: '2025-03-15T08:00:00.000Z',
      }
      await store.put(revoked)
      expect(await store.get('tu-1')).toEqual(revoked)
      expect(await store.listForUser(camille)).toHaveLength(1)
    })

    it('lists the connections of one person only, oldest first', async () => {
      const store = await make()
      await store.put(connection('tu-oura', camille, '2025-03-14T12:00:00.000Z'))
      await store.put(connection('tu-garmin', camille, '2025-03-01T12:00:00.000Z'))
      await store.put(connection('tu-other-tenant', { ...camille, tenantId: 'tenant-b' }))
      await store.put(connection('tu-other-user', { ...camille, userId: 'alex' }))
      const listed = await store.listForUser(camille)
      expect(listed.map((entry) => entry.terraUserId)).toEqual(['tu-garmin', 'tu-oura'])
      expect(await store.listForUser({ tenantId: 'tenant-c', userId: 'camille' })).toEqual([])
    })

    it('deletes one connection and says whether it existed', async () => {
      const store = await make()
      await store.put(connection('tu-1', camille))
      await store.put(connection('tu-2', camille))
      expect(await store.delete('tu-1')).toBe(true)
      expect(await store.delete('tu-1')).toBe(false)
      expect(await store.get('tu-1')).toBeUndefined()
      expect((await store.listForUser(camille)).map((entry) => entry.terraUserId)).toEqual(['tu-2'])
    })

    it('hands out copies', async () => {
      const store = await make()
      const stored = connection('tu-1', camille)
      await store.put(stored)
      const read = (await store.get('tu-1')) as unknown as { scopes: string[] }
      read.scopes.push('MUTATED')
      expect((await store.get('tu-1'))?.scopes).toEqual(['ACTIVITY_EXPORT', 'HEALTH_EXPORT'])
    })
  })
}

/**
 * Registers the contract every {@link TerraDeliveryLog} meets: a first claim succeeds, a second
 * one of the same id fails until it expires or is released, of concurrent claims exactly one
 * succeeds, and ids are independent. `make` receives the clock the log must use.
 */
export function describeTerraDeliveryLogContract(
  make: (now: () => Date) => TerraDeliveryLog | Promise<TerraDeliveryLog>,
  title = 'terra delivery log contract',
): void {
  const start = Date.parse('2025-03-14T12:00:00Z')
  const inFive = new Date(start + 300_000)
  describe(title, () => {
    it('refuses a second claim of the same id, not of another one', async () => {
      const log = await make(() => new Date(start))
      expect(await log.claim('sig-a', inFive)).toBe(true)
      expect(await log.claim('sig-a', inFive)).toBe(false)
      expect(await log.claim('sig-b', inFive)).toBe(true)
    })

    it('lets an id be claimed again once released', async () => {
      const log = await make(() => new Date(start))
      expect(await log.claim('sig-a', inFive)).toBe(true)
      await log.release('sig-a')
      expect(await log.claim('sig-a', inFive)).toBe(true)
    })

    it('forgets an id after it expires', async () => {
      let clock = start
      const log = await make(() => new Date(clock))
      expect(await log.claim('sig-a', inFive)).toBe(true)
      clock = start + 299_000
      expect(await log.claim('sig-a', inFive)).toBe(false)
      clock = start + 301_000
      expect(await log.claim('sig-a', new Date(clock + 300_000))).toBe(true)
    })

    it('grants exactly one of concurrent claims', async () => {
      const log = await make(() => new Date(start))
      const results = await Promise.all(
        Array.from({ length: 10 }, () => log.claim('sig-a', inFive)),
      )
      expect(results.filter(Boolean)).toHaveLength(1)
    })
  })
}
