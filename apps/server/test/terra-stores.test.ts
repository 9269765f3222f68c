import type { TerraConnection } from '@pierre/providers-terra'
import {
  describeTerraConnectionStoreContract,
  describeTerraDeliveryLogContract,
} from '@pierre/providers-terra/testing'
import type Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../src/storage/database.js'
import {
  createSqliteTerraConnectionStore,
  createSqliteTerraDeliveryLog,
} from '../src/storage/terra.js'
import { tempDir } from './helpers.js'

const opened: Database.Database[] = []
function database(): Database.Database {
  const db = openDatabase(':memory:')
  opened.push(db)
  return db
}
afterEach(() => {
  for (const db of opened.splice(0)) db.close()
})

describeTerraConnectionStoreContract(
  () => createSqliteTerraConnectionStore(database()),
  'the SQLite terra connection store meets the contract',
)
describeTerraDeliveryLogContract(
  (now) => createSqliteTerraDeliveryLog(database(), { now }),
  'the SQLite terra delivery log meets the contract',
)

const camille = { tenantId: 'tenant-a', userId: 'camille' }
const connection = (
  terraUserId: string,
  owner: { tenantId: string; userId: string },
  connectedAt: string,
): TerraConnection => ({
  terraUserId,
  ...owner,
  resource: 'OURA',
  scopes: ['SLEEP_EXPORT'],
  status: 'connected',
  statusReason: undefined,
  connectedAt,
  updatedAt: connectedAt,
})

describe('createSqliteTerraConnectionStore', () => {
  it('round-trips every field, including undefined ones, and persists across instances', async () => {
    const db = database()
    const revoked: TerraConnection = {
      terraUserId: 'tu-1',
      ...camille,
      resource: undefined,
      scopes: [],
      status: 'needs_reauth',
      statusReason: 'access_revoked',
      connectedAt: '2025-03-14T12:00:00.000Z',
      updatedAt: '2025-03-15T08:00:00.000Z',
    }
    await createSqliteTerraConnectionStore(db).put(revoked)
    const read = await createSqliteTerraConnectionStore(db).get('tu-1')
    expect(read).toStrictEqual(revoked)
  })

  it('lists oldest first by instant, whatever the text of connectedAt', async () => {
    const store = createSqliteTerraConnectionStore(database())
    // 13:00 at +02:00 is 11:00 UTC: before 12:00 UTC although its text sorts after.
    await store.put(connection('tu-utc', camille, '2025-03-14T12:00:00Z'))
    await store.put(connection('tu-east', camille, '2025-03-14T13:00:00+02:00'))
    await store.put(connection('tu-millis', camille, '2025-03-14T12:00:00.001Z'))
    const listed = await store.listForUser(camille)
    expect(listed.map((entry) => entry.terraUserId)).toEqual(['tu-east', 'tu-utc', 'tu-millis'])
  })

  it('keeps the same user id of two tenants apart, and moves a Terra user between owners', async () => {
    const store = createSqliteTerraConnectionStore(database())
    const otherTenant = { tenantId: 'tenant-b', userId: 'camille' }
    await store.put(connection('tu-a', camille, '2025-03-14T12:00:00Z'))
    await store.put(connection('tu-b', otherTenant, '2025-03-14T12:00:00Z'))
    expect((await store.listForUser(camille)).map((entry) => entry.terraUserId)).toEqual(['tu-a'])
    expect((await store.listForUser(otherTenant)).map((entry) => entry.terraUserId)).toEqual([
      'tu-b',
    ])
    await store.put(connection('tu-a', otherTenant, '2025-03-15T12:00:00Z'))
    expect(await store.listForUser(camille)).toEqual([])
    expect((await store.listForUser(otherTenant)).map((entry) => entry.terraUserId)).toEqual([
      'tu-b',
      'tu-a',
    ])
    expect(await store.delete('tu-b')).toBe(true)
    expect(await store.delete('tu-b')).toBe(false)
    expect((await store.listForUser(otherTenant)).map((entry) => entry.terraUserId)).toEqual([
      'tu-a',
    ])
  })

  it('refuses a connection that does not match the port', async () => {
    const store = createSqliteTerraConnectionStore(database())
    const good = connection('tu-1', camille, '2025-03-14T12:00:00Z')
    for (const bad of [
      { ...good, terraUserId: '' },
      { ...good, tenantId: '' },
      { ...good, status: 'paused' as TerraConnection['status'] },
      { ...good, connectedAt: '2025-03-14 12:00' },
      { ...good, updatedAt: '2025-03-14T12:00:00' },
    ]) {
      await expect(store.put(bad)).rejects.toMatchObject({ code: 'invalid_argument' })
    }
    expect(await store.listForUser(camille)).toEqual([])
  })
})

describe('createSqliteTerraDeliveryLog', () => {
  const start = Date.parse('2025-03-14T12:00:00Z')
  const inFive = new Date(start + 300_000)

  it('claims once; a second claim fails until expiry or release', async () => {
    let clock = start
    const log = createSqliteTerraDeliveryLog(database(), { now: () => new Date(clock) })
    expect(await log.claim('sig-1', inFive)).toBe(true)
    expect(await log.claim('sig-1', inFive)).toBe(false)
    await log.release('sig-1')
    expect(await log.claim('sig-1', inFive)).toBe(true)
    clock = inFive.getTime() - 1
    expect(await log.claim('sig-1', new Date(clock + 300_000))).toBe(false)
    // Expired exactly at its expiry time.
    clock = inFive.getTime()
    expect(await log.claim('sig-1', new Date(clock + 300_000))).toBe(true)
    expect(await log.claim('sig-1', new Date(clock + 300_000))).toBe(false)
  })

  it('grants exactly one of concurrent claims, across two connections to one database file', async () => {
    const dataDir = tempDir()
    const [first, second] = [openDatabase({ dataDir }), openDatabase({ dataDir })]
    opened.push(first, second)
    const now = () => new Date(start)
    const logs = [
      createSqliteTerraDeliveryLog(first, { now }),
      createSqliteTerraDeliveryLog(second, { now }),
    ]
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) => logs[index % 2]?.claim('sig-race', inFive)),
    )
    expect(results.filter((result) => result === true)).toHaveLength(1)
    expect(results.filter((result) => result === false)).toHaveLength(19)
  })

  it('prunes expired entries at most once per interval', async () => {
    const db = database()
    let clock = start
    const log = createSqliteTerraDeliveryLog(db, {
      now: () => new Date(clock),
      pruneIntervalMs: 60_000,
    })
    const count = () =>
      (db.prepare('SELECT COUNT(*) AS n FROM terra_deliveries').get() as { n: number }).n
    expect(await log.claim('old-1', new Date(start + 1_000))).toBe(true)
    expect(await log.claim('old-2', new Date(start + 1_000))).toBe(true)
    clock = start + 30_000
    expect(await log.claim('new-1', new Date(clock + 300_000))).toBe(true)
    // Within the interval: nothing pruned yet, though two entries have expired.
    expect(count()).toBe(3)
    clock = start + 60_000
    expect(await log.claim('new-2', new Date(clock + 300_000))).toBe(true)
    expect(count()).toBe(2)
    expect(
      (
        db.prepare('SELECT delivery_id FROM terra_deliveries ORDER BY delivery_id').all() as {
          delivery_id: string
        }[]
      ).map((row) => row.delivery_id),
    ).toEqual(['new-1', 'new-2'])
  })

  it('refuses an empty id or an invalid expiry', async () => {
    const log = createSqliteTerraDeliveryLog(database(), { now: () => new Date(start) })
    await expect(log.claim('', inFive)).rejects.toMatchObject({ code: 'invalid_argument' })
    await expect(log.claim('sig', new Date(Number.NaN))).rejects.toMatchObject({
      code: 'invalid_argument',
    })
  })
})
