/**
 * Terra's request budget (`specs/providers.md` §6.6): per Terra user, a request costs the days it
 * spans (1 without dates), at most 1,825 per request and 6,000 per rolling hour. This ledger keeps
 * the spend per scope so a request that would exceed it fails locally, and remembers a wait Terra
 * imposed with a 429.
 */
export interface DayLedger {
  /** Records `days` for `scope`; returns seconds to wait instead when the budget cannot take them. */
  spend(scope: string, days: number): number | undefined
  /** Refuses every request of `scope` for `seconds`. */
  block(scope: string, seconds: number): void
}

const hourMs = 3_600_000

export function createDayLedger(options: {
  readonly daysPerHour: number
  readonly now: () => Date
}): DayLedger {
  const scopes = new Map<
    string,
    { entries: { atMs: number; days: number }[]; blockedUntil: number }
  >()
  const stateOf = (scope: string) => {
    let state = scopes.get(scope)
    if (state === undefined) {
      state = { entries: [], blockedUntil: 0 }
      scopes.set(scope, state)
    }
    return state
  }
  return {
    spend(scope, days) {
      const nowMs = options.now().getTime()
      const state = stateOf(scope)
      if (state.blockedUntil > nowMs)
        return Math.max(1, Math.ceil((state.blockedUntil - nowMs) / 1000))
      state.entries = state.entries.filter((entry) => entry.atMs + hourMs > nowMs)
      let used = state.entries.reduce((sum, entry) => sum + entry.days, 0)
      if (used + days <= options.daysPerHour) {
        state.entries.push({ atMs: nowMs, days })
        return undefined
      }
      // Wait until enough of the oldest spend has left the rolling hour.
      for (const entry of state.entries) {
        used -= entry.days
        if (used + days <= options.daysPerHour) {
          return Math.max(1, Math.ceil((entry.atMs + hourMs - nowMs) / 1000))
        }
      }
      return Math.ceil(hourMs / 1000)
    },
    block(scope, seconds) {
      const state = stateOf(scope)
      state.blockedUntil = Math.max(state.blockedUntil, options.now().getTime() + seconds * 1000)
    },
  }
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/
const epochPattern = /^\d{9,11}$/

function toMs(value: string | null): number | undefined {
  if (value === null) return undefined
  if (datePattern.test(value)) return Date.parse(`${value}T00:00:00Z`)
  if (epochPattern.test(value)) return Number(value) * 1000
  return undefined
}

/** The days a data request costs: `end_date − start_date` rounded up, at least 1. */
export function requestDays(startDate: string | null, endDate: string | null): number {
  const start = toMs(startDate)
  const end = toMs(endDate)
  if (start === undefined || end === undefined || end <= start) return 1
  return Math.max(1, Math.ceil((end - start) / 86_400_000))
}
