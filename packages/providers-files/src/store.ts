import type { Activity } from '@pierre/providers-core'
import { compareActivitiesNewestFirst } from '@pierre/providers-core'
import type { ParsedActivity } from './types.js'

/** Where imported activities live; the files provider reads from it. */
export interface ActivityStore {
  /** Returns whether an activity with this id is stored. */
  has(id: string): boolean
  /** Returns the stored activity with this id, or `undefined`. */
  get(id: string): ParsedActivity | undefined
  /** Stores an activity, replacing one with the same id; returns whether it was new. */
  put(parsed: ParsedActivity): boolean
  /** Returns the stored activity summaries, newest first. */
  list(): readonly Activity[]
  /** The number of stored activities. */
  readonly size: number
}

/** Creates an in-memory {@link ActivityStore}. */
export function createMemoryActivityStore(): ActivityStore {
  const byId = new Map<string, ParsedActivity>()
  let sorted: readonly Activity[] | undefined
  return {
    has: (id) => byId.has(id),
    get: (id) => byId.get(id),
    put(parsed) {
      const isNew = !byId.has(parsed.activity.id)
      byId.set(parsed.activity.id, parsed)
      sorted = undefined
      return isNew
    },
    list() {
      sorted ??= [...byId.values()]
        .map((entry) => entry.activity)
        .sort(compareActivitiesNewestFirst)
      return sorted
    },
    get size() {
      return byId.size
    },
  }
}
