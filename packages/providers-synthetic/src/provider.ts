import type {
  Activity,
  ActivityStreams,
  Athlete,
  FitnessProvider,
  ProviderBundle,
  ProviderContext,
  ProviderDescriptor,
  SportTotals,
  Stats,
  Totals,
} from '@pierre/providers-core'
import { createProvider, ProviderError, selectStreams } from '@pierre/providers-core'
import { z } from 'zod'
import type { SyntheticProfile } from './athlete.js'
import { drawProfile } from './athlete.js'
import { generateActivity, providerName } from './generate-activity.js'
import type { DayRecord } from './health.js'
import { generateDays } from './health.js'
import { dayMs, toDayNumber, utcOffsetSeconds } from './internal/calendar.js'
import type { PlannedSession } from './plan.js'
import { planDay } from './plan.js'

/** The descriptor of the `synthetic` provider: local, no authentication, every data kind. */
export const syntheticDescriptor: ProviderDescriptor = Object.freeze({
  name: providerName,
  displayName: 'Synthetic athlete',
  capabilities: Object.freeze([
    'local',
    'athlete',
    'activities',
    'streams',
    'stats',
    'sleep',
    'recovery',
    'health',
    'hrv',
    'daily',
  ] as const),
  auth: Object.freeze({ kind: 'none' as const }),
  defaultScopes: Object.freeze([]),
})

/** Options of {@link createSyntheticProvider}. */
export interface SyntheticProviderOptions {
  /** Seed of the athlete and all their data: a non-negative integer or a non-empty string. */
  readonly seed: number | string
  /**
   * The current time. The provider never reads the clock: history ends at the local day of
   * `now()`, and only activities and nights that ended by then are returned.
   */
  readonly now: () => Date
  /** Days of history before today, 1–1100; 120 by default. */
  readonly historyDays?: number
  /** Id of the athlete; `synthetic-<seed>` by default. */
  readonly athleteId?: string
}

/** A synthetic {@link FitnessProvider} that also exposes the physiology it draws from. */
export interface SyntheticProvider extends FitnessProvider {
  /** The athlete's physiology (FTP, threshold pace, LTHR, HRV baseline…), fixed by the seed. */
  readonly profile: SyntheticProfile
}

const optionsSchema = z.object({
  seed: z.union([
    z
      .number()
      .int()
      .nonnegative()
      .max(2 ** 53),
    z.string().min(1).max(200),
  ]),
  now: z.custom<() => Date>(
    (value) => typeof value === 'function',
    'expected a function returning a Date',
  ),
  historyDays: z.number().int().min(1).max(1100).optional(),
  athleteId: z.string().min(1).max(200).optional(),
})

interface Dataset {
  readonly anchorDay: number
  /** Sessions that ended by now, newest first. */
  readonly sessions: readonly PlannedSession[]
  readonly byId: ReadonlyMap<string, PlannedSession>
  readonly days: readonly DayRecord[]
}

function invalidOptions(
  issues: readonly { path: PropertyKey[]; message: string }[],
): ProviderError {
  const list = issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }))
  return new ProviderError(
    'invalid_argument',
    `invalid synthetic provider options: ${list.map((issue) => `${issue.path || '(root)'} ${issue.message}`).join('; ')}`,
    { provider: providerName, details: { issues: list } },
  )
}

/**
 * Creates the `synthetic` provider: a deterministic athlete with months of running, cycling and
 * swimming (1 Hz streams generated lazily per activity), sleep with stages, HRV, resting HR,
 * recovery, body metrics and daily summaries, all in memory and from `seed` alone.
 *
 * @throws ProviderError `invalid_argument` when an option is outside its documented form.
 * @example
 * ```ts
 * const provider = createSyntheticProvider({ seed: 42, now: () => new Date('2025-03-15T00:00:00Z') })
 * const [latest] = await provider.getActivities({ limit: 1 })
 * ```
 */
export function createSyntheticProvider(options: SyntheticProviderOptions): SyntheticProvider {
  const parsed = optionsSchema.safeParse(options)
  if (!parsed.success) throw invalidOptions(parsed.error.issues)
  const seed = String(options.seed)
  const historyDays = options.historyDays ?? 120
  const profile = drawProfile(seed)
  const athleteId = options.athleteId ?? `synthetic-${seed}`
  const now = options.now
  const plans = new Map<number, PlannedSession[]>()
  const summaries = new Map<string, Activity>()
  let dataset: Dataset | undefined

  const plan = (dayNumber: number): PlannedSession[] => {
    let sessions = plans.get(dayNumber)
    if (sessions === undefined) {
      sessions = planDay(seed, profile, dayNumber)
      plans.set(dayNumber, sessions)
    }
    return sessions
  }

  const currentMs = (): number => {
    const value = now()
    const epochMs = value instanceof Date ? value.getTime() : Number.NaN
    if (!Number.isFinite(epochMs)) {
      throw new ProviderError('invalid_argument', 'now() must return a valid Date', {
        provider: providerName,
      })
    }
    return epochMs
  }

  // Rebuilt only when the local day of now() changes; within a day only the cut-off moves.
  const load = (): { data: Dataset; nowMs: number } => {
    const nowMs = currentMs()
    const utcDay = toDayNumber(nowMs)
    const anchorDay = toDayNumber(nowMs + utcOffsetSeconds(utcDay, profile.home) * 1000)
    if (dataset === undefined || dataset.anchorDay !== anchorDay) {
      const firstDay = anchorDay - historyDays
      const sessions: PlannedSession[] = []
      for (let day = anchorDay; day >= firstDay; day -= 1) {
        sessions.push(...plan(day).slice().reverse())
      }
      dataset = {
        anchorDay,
        sessions,
        byId: new Map(sessions.map((session) => [session.id, session])),
        days: generateDays(seed, profile, { firstDay, lastDay: anchorDay, plan }),
      }
    }
    return { data: dataset, nowMs }
  }

  const ended = (session: PlannedSession, nowMs: number): boolean =>
    session.startEpochMs + session.plannedDurationSeconds * 1000 <= nowMs

  const summaryOf = (session: PlannedSession): Activity => {
    let activity = summaries.get(session.id)
    if (activity === undefined) {
      activity = generateActivity(seed, profile, session).activity
      summaries.set(session.id, activity)
    }
    return activity
  }

  const findSession = (id: string): PlannedSession => {
    const { data, nowMs } = load()
    const session = data.byId.get(id)
    if (session === undefined || !ended(session, nowMs)) {
      throw new ProviderError(
        'not_found',
        `activity ${JSON.stringify(id).slice(0, 100)} not found`,
        {
          provider: providerName,
          details: { resource_type: 'activity', resource_id: id.slice(0, 100) },
        },
      )
    }
    return session
  }

  const matching = (query: {
    readonly after?: number | undefined
    readonly before?: number | undefined
    readonly sport_types?: readonly string[] | undefined
  }) => {
    const { data, nowMs } = load()
    return data.sessions.filter((session) => {
      if (!ended(session, nowMs)) return false
      const startSeconds = Math.floor(session.startEpochMs / 1000)
      if (query.after !== undefined && startSeconds < query.after) return false
      if (query.before !== undefined && startSeconds >= query.before) return false
      if (query.sport_types !== undefined && query.sport_types.length > 0) {
        return query.sport_types.includes(session.sport)
      }
      return true
    })
  }

  const daysIn = (range: { start: string; end: string }): DayRecord[] => {
    const startMs = Date.parse(range.start)
    const endMs = Date.parse(range.end)
    const { data, nowMs } = load()
    return data.days.filter(
      (day) =>
        day.midnightEpochMs >= startMs &&
        day.midnightEpochMs < endMs &&
        day.midnightEpochMs <= nowMs,
    )
  }

  const totalsOf = (activities: readonly Activity[], sport: string): Totals => {
    let count = 0
    let distance = 0
    let movingTime = 0
    let elapsedTime = 0
    let elevationGain = 0
    for (const activity of activities) {
      if (activity.sport_type !== sport) continue
      count += 1
      distance += activity.distance_meters ?? 0
      movingTime += activity.moving_time_seconds ?? 0
      elapsedTime += activity.duration_seconds
      elevationGain += activity.elevation_gain ?? 0
    }
    return {
      count,
      distance: Math.round(distance),
      moving_time: movingTime,
      elapsed_time: elapsedTime,
      elevation_gain: Math.round(elevationGain),
    }
  }

  const bySport = (activities: readonly Activity[]): SportTotals => ({
    run: totalsOf(activities, 'run'),
    ride: totalsOf(activities, 'ride'),
    swim: totalsOf(activities, 'swim'),
  })

  const provider = createProvider(
    syntheticDescriptor,
    {
      getAthlete: async (): Promise<Athlete> => ({
        id: athleteId,
        username: `synthetic_${seed}`.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 60),
        firstname: profile.firstname,
        lastname: profile.lastname,
        provider: providerName,
        sex: profile.sex,
        birth_date: `${profile.birthYear}-06-15`,
        weight_kg: profile.weightKg,
        height_m: profile.heightMeters,
        ftp: profile.ftp,
        max_heart_rate: profile.maxHeartRate,
        resting_heart_rate: profile.restingHeartRate,
        city: profile.home.city,
        region: profile.home.region,
        country: profile.home.country,
        time_zone: profile.home.timeZone,
        measurement_preference: 'metric',
      }),
      getActivities: async (query) => {
        const offset = query?.offset ?? 0
        const limit = query?.limit ?? 30
        return matching(query ?? {})
          .slice(offset, offset + limit)
          .map(summaryOf)
      },
      iterateActivities: (query, callOptions) => ({
        async *[Symbol.asyncIterator]() {
          for (const session of matching(query ?? {})) {
            if (callOptions?.signal?.aborted) throw callOptions.signal.reason
            yield summaryOf(session)
          }
        },
      }),
      getActivity: async (id) => summaryOf(findSession(id)),
      getActivityStreams: async (id, streamOptions): Promise<ActivityStreams> => {
        const generated = generateActivity(seed, profile, findSession(id))
        return selectStreams(generated.streams, streamOptions?.keys)
      },
      getStats: async (): Promise<Stats> => {
        const { nowMs } = load()
        const all = matching({}).map(summaryOf)
        const recentSince = nowMs - 28 * dayMs
        const yearStart = Date.UTC(new Date(nowMs).getUTCFullYear(), 0, 1)
        const totals = bySport(all)
        const sum = (pick: (totals: Totals) => number): number =>
          [totals.run, totals.ride, totals.swim].reduce(
            (total, entry) => total + (entry ? pick(entry) : 0),
            0,
          )
        return {
          total_activities: all.length,
          total_distance: sum((entry) => entry.distance),
          total_duration: sum((entry) => entry.moving_time),
          total_elevation_gain: sum((entry) => entry.elevation_gain ?? 0),
          by_sport: totals,
          recent: bySport(all.filter((activity) => Date.parse(activity.start_date) >= recentSince)),
          ytd: bySport(all.filter((activity) => Date.parse(activity.start_date) >= yearStart)),
        }
      },
      getSleepSessions: async (range) => {
        const startMs = Date.parse(range.start)
        const endMs = Date.parse(range.end)
        const { data, nowMs } = load()
        return data.days
          .map((day) => day.sleep)
          .filter((sleep) => {
            const endTime = Date.parse(sleep.end_time)
            return endTime >= startMs && endTime < endMs && endTime <= nowMs
          })
      },
      getRecoveryMetrics: async (range) => daysIn(range).map((day) => day.recovery),
      getHealthMetrics: async (range) => daysIn(range).map((day) => day.health),
      getHrv: async (range) => daysIn(range).map((day) => day.hrv),
      getDailySummaries: async (range) =>
        daysIn(range)
          .filter((day) => day.endEpochMs <= load().nowMs)
          .map((day) => day.daily),
    },
    { now },
  )
  return Object.freeze({ ...provider, profile })
}

/** Options of {@link createSyntheticBundle}. */
export interface SyntheticBundleOptions {
  /** Seed for every user; 42 by default (`PIERRE_SYNTHETIC_SEED`). */
  readonly seed?: number | string
  /** Days of history; 120 by default (`PIERRE_SYNTHETIC_DAYS`). */
  readonly historyDays?: number
  /** Clock used when the context has none; fixed at 2025-03-15T00:00:00Z by default. */
  readonly now?: () => Date
}

const defaultAnchor = '2025-03-15T00:00:00Z'

/**
 * Creates the registry bundle of the `synthetic` provider. Each user gets the same seeded athlete
 * under their own id; the clock comes from the context, else from `options.now`, else the fixed
 * default anchor (the provider never reads the system clock).
 */
export function createSyntheticBundle(options: SyntheticBundleOptions = {}): ProviderBundle {
  return Object.freeze({
    descriptor: syntheticDescriptor,
    create: (context: ProviderContext) =>
      createSyntheticProvider({
        seed: options.seed ?? 42,
        now: context.now ?? options.now ?? (() => new Date(defaultAnchor)),
        athleteId: context.userId,
        ...(options.historyDays === undefined ? {} : { historyDays: options.historyDays }),
      }),
  })
}
