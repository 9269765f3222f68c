import type Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../src/storage/database.js'
import { createProviderAccounts } from '../src/storage/provider-accounts.js'

const opened: Database.Database[] = []
function database(): Database.Database {
  const db = openDatabase(':memory:')
  opened.push(db)
  return db
}
afterEach(() => {
  for (const db of opened.splice(0)) db.close()
})

const camille = { tenantId: 'tenant-a', userId: 'camille' }
const camilleElsewhere = { tenantId: 'tenant-b', userId: 'camille' }

describe('createProviderAccounts', () => {
  it('resolves a linked provider user to its tenant and user, and nothing else', () => {
    const accounts = createProviderAccounts(database())
    expect(accounts.resolve('garmin', 'g-123')).toBeUndefined()
    accounts.link({ provider: 'garmin', providerUserId: 'g-123', ...camille })
    expect(accounts.resolve('garmin', 'g-123')).toEqual(camille)
    // The same provider user id at another provider is another account.
    expect(accounts.resolve('coros', 'g-123')).toBeUndefined()
    expect(accounts.providerUserIdOf({ provider: 'garmin', ...camille })).toBe('g-123')
    expect(accounts.providerUserIdOf({ provider: 'garmin', ...camilleElsewhere })).toBeUndefined()
    expect(accounts.providerUserIdOf({ provider: 'coros', ...camille })).toBeUndefined()
  })

  it('keeps the same user id in two tenants apart', () => {
    const accounts = createProviderAccounts(database())
    accounts.link({ provider: 'garmin', providerUserId: 'g-a', ...camille })
    accounts.link({ provider: 'garmin', providerUserId: 'g-b', ...camilleElsewhere })
    expect(accounts.resolve('garmin', 'g-a')).toEqual(camille)
    expect(accounts.resolve('garmin', 'g-b')).toEqual(camilleElsewhere)
    expect(accounts.unlinkUser({ provider: 'garmin', ...camille })).toBe(1)
    expect(accounts.resolve('garmin', 'g-a')).toBeUndefined()
    expect(accounts.resolve('garmin', 'g-b')).toEqual(camilleElsewhere)
  })

  it('lets the last link of a provider user win', () => {
    const accounts = createProviderAccounts(database())
    accounts.link({ provider: 'coros', providerUserId: 'open-1', ...camille })
    accounts.link({ provider: 'coros', providerUserId: 'open-1', ...camilleElsewhere })
    expect(accounts.resolve('coros', 'open-1')).toEqual(camilleElsewhere)
    expect(accounts.providerUserIdOf({ provider: 'coros', ...camille })).toBeUndefined()
    expect(accounts.providerUserIdOf({ provider: 'coros', ...camilleElsewhere })).toBe('open-1')
  })

  it('gives a user one account per provider: linking another one drops the previous', () => {
    const accounts = createProviderAccounts(database())
    accounts.link({ provider: 'garmin', providerUserId: 'g-old', ...camille })
    accounts.link({ provider: 'coros', providerUserId: 'c-1', ...camille })
    accounts.link({ provider: 'garmin', providerUserId: 'g-new', ...camille })
    expect(accounts.resolve('garmin', 'g-old')).toBeUndefined()
    expect(accounts.resolve('garmin', 'g-new')).toEqual(camille)
    expect(accounts.providerUserIdOf({ provider: 'garmin', ...camille })).toBe('g-new')
    expect(accounts.resolve('coros', 'c-1')).toEqual(camille)
    // Linking the same account again changes nothing.
    accounts.link({ provider: 'garmin', providerUserId: 'g-new', ...camille })
    expect(accounts.resolve('garmin', 'g-new')).toEqual(camille)
  })

  it('unlinks one provider of one user and counts what it removed', () => {
    const accounts = createProviderAccounts(database())
    accounts.link({ provider: 'garmin', providerUserId: 'g-1', ...camille })
    accounts.link({ provider: 'coros', providerUserId: 'c-1', ...camille })
    expect(accounts.unlinkUser({ provider: 'garmin', ...camille })).toBe(1)
    expect(accounts.unlinkUser({ provider: 'garmin', ...camille })).toBe(0)
    expect(accounts.resolve('garmin', 'g-1')).toBeUndefined()
    expect(accounts.resolve('coros', 'c-1')).toEqual(camille)
  })

  it('persists in the database, across instances', () => {
    const db = database()
    createProviderAccounts(db, { now: () => new Date('2025-03-14T12:00:00Z') }).link({
      provider: 'garmin',
      providerUserId: 'g-1',
      ...camille,
    })
    expect(createProviderAccounts(db).resolve('garmin', 'g-1')).toEqual(camille)
    expect(db.prepare('SELECT * FROM provider_accounts').all()).toEqual([
      {
        provider: 'garmin',
        provider_user_id: 'g-1',
        tenant_id: 'tenant-a',
        user_id: 'camille',
        linked_at: '2025-03-14T12:00:00.000Z',
      },
    ])
  })

  it('refuses a link with an empty field, naming it', () => {
    const accounts = createProviderAccounts(database())
    expect(() => accounts.link({ provider: 'garmin', providerUserId: '', ...camille })).toThrow(
      expect.objectContaining({
        code: 'invalid_argument',
        message: expect.stringContaining('providerUserId'),
      }),
    )
    expect(() => accounts.link({ provider: '', providerUserId: 'g-1', ...camille })).toThrow(
      /provider/,
    )
    expect(accounts.resolve('garmin', '')).toBeUndefined()
  })
})
