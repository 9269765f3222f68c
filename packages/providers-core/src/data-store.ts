import type { DateRange } from './model/query.js'

/** What a push-model provider stores (`specs/providers.md` §4.5). */
export type DataKind = 'activity' | 'streams' | 'sleep' | 'recovery' | 'health' | 'hrv' | 'daily'

/** The owner of stored records: one person at one provider, inside one tenant. */
export interface DataOwner {
  readonly provider: string
  readonly tenantId: string
  readonly userId: string
}

/** One stored record, keyed by (provider, tenant, user, kind, id). */
export interface DataRecord<TPayload = unknown> {
  /** The provider's id of the record (activity id, summary id, calendar date…). */
  readonly id: string
  /** ISO-8601 start instant, for time-ordered kinds (activities, sleep). */
  readonly start?: string
  /** Local calendar date `YYYY-MM-DD`, for daily kinds (recovery, hrv, daily). */
  readonly date?: string
  /** The normalized record (already mapped to the model). */
  readonly payload: TPayload
}

/** A range query: `start` (or `date` at 00:00 UTC) within [range.start, range.end), newest first. */
export interface DataQuery {
  readonly range?: DateRange
  readonly limit?: number
}

/**
 * Tenant-scoped storage of data pushed by providers (webhooks, push APIs). Upserts are idempotent on
 * (provider, tenant, user, kind, id): a duplicate delivery replaces the record with equal content.
 * Implementations live with the application's storage; {@link createMemoryDataStore} is for tests
 * and single-process use.
 */
export interface ProviderDataStore {
  upsert(kind: DataKind, owner: DataOwner, record: DataRecord): Promise<void>
  /** Deletes one record; false when it did not exist. */
  delete(kind: DataKind, owner: DataOwner, id: string): Promise<boolean>
  /** One record by id. */
  get(kind: DataKind, owner: DataOwner, id: string): Promise<DataRecord | undefined>
  /** Records of one kind, newest first (by the instant of `start`, else `date`; ties by id). */
  query(kind: DataKind, owner: DataOwner, query?: DataQuery): Promise<readonly DataRecord[]>
  /** Deletes everything of one owner (deauthorization); returns how many records. */
  clear(owner: DataOwner): Promise<number>
}

/** A change event a provider pushed, after verification and parsing (§4.5). */
export interface WebhookEvent {
  readonly kind: 'upsert' | 'delete' | 'deauthorized' | 'permissions_changed'
  /** What changed (`activity`, `sleep`, `daily`, …). */
  readonly resource: DataKind | 'user'
  /** The person at the provider. */
  readonly providerUserId: string
  /** Ids of the changed records, when the event carries only ids. */
  readonly ids?: readonly string[]
  /** Normalized records, when the event carries the data inline. */
  readonly records?: readonly DataRecord[]
}

/** Milliseconds of a record's instant (`start`, else `date` at 00:00 UTC); undefined without either. */
function instantOf(record: DataRecord): number | undefined {
  if (record.start !== undefined) return Date.parse(record.start)
  if (record.date !== undefined) return Date.parse(`${record.date}T00:00:00Z`)
  return undefined
}

/** Newest first by instant (records without one last), then by id for a stable order. */
function compareNewestFirst(a: DataRecord, b: DataRecord): number {
  const left = instantOf(a) ?? Number.NEGATIVE_INFINITY
  const right = instantOf(b) ?? Number.NEGATIVE_INFINITY
  if (left !== right) return right - left
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

function inRange(record: DataRecord, range: DateRange | undefined): boolean {
  if (range === undefined) return true
  const at = instantOf(record)
  // A record without a time cannot be placed in a range, so a range query leaves it out.
  if (at === undefined) return false
  return at >= Date.parse(range.start) && at < Date.parse(range.end)
}

/** An in-memory {@link ProviderDataStore}; records are deep-copied in and out. */
export function createMemoryDataStore(): ProviderDataStore {
  const tables = new Map<string, Map<string, DataRecord>>()
  const tableKey = (kind: DataKind, owner: DataOwner) =>
    JSON.stringify([owner.provider, owner.tenantId, owner.userId, kind])
  const table = (kind: DataKind, owner: DataOwner) => {
    const key = tableKey(kind, owner)
    let rows = tables.get(key)
    if (rows === undefined) {
      rows = new Map()
      tables.set(key, rows)
    }
    return rows
  }
  return {
    async upsert(kind, owner, record) {
      table(kind, owner).set(record.id, structuredClone(record))
    },
    async delete(kind, owner, id) {
      return table(kind, owner).delete(id)
    },
    async get(kind, owner, id) {
      const record = table(kind, owner).get(id)
      return record === undefined ? undefined : structuredClone(record)
    },
    async query(kind, owner, query = {}) {
      const rows = [...table(kind, owner).values()]
        .filter((record) => inRange(record, query.range))
        .sort(compareNewestFirst)
      const limited = query.limit === undefined ? rows : rows.slice(0, query.limit)
      return limited.map((record) => structuredClone(record))
    },
    async clear(owner) {
      const prefix = JSON.stringify([owner.provider, owner.tenantId, owner.userId]).slice(0, -1)
      let count = 0
      for (const [key, rows] of tables) {
        if (key.startsWith(`${prefix},`)) {
          count += rows.size
          tables.delete(key)
        }
      }
      return count
    },
  }
}
