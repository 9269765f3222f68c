import Database from 'better-sqlite3'
import { describe } from 'vitest'
import { createMemoryStores } from '../src/index.js'
import { applyTenancyMigrations, createSqliteStores } from '../src/sqlite/index.js'
import { describeTenancyStoresContract } from '../src/testing/index.js'

describe('memory stores', () => {
  describeTenancyStoresContract(() => createMemoryStores())
})

describe('sqlite stores (:memory:)', () => {
  describeTenancyStoresContract(() => {
    const db = new Database(':memory:')
    db.pragma('foreign_keys = ON')
    applyTenancyMigrations(db)
    return createSqliteStores(db)
  })
})
