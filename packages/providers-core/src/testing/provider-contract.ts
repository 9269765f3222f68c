import { describe, expect, it } from 'vitest'
import type { Capability } from '../capabilities.js'
import { capabilityBits, hasCapability } from '../capabilities.js'
import { isProviderError } from '../errors.js'
import type { Activity } from '../model/activity.js'
import { activitySchema } from '../model/activity.js'
import { athleteSchema, personalRecordSchema, statsSchema } from '../model/athlete.js'
import {
  dailySummarySchema,
  healthMetricsSchema,
  hrvDailySchema,
  recoveryMetricsSchema,
  sleepSessionSchema,
} from '../model/health.js'
import type { DateRange } from '../model/query.js'
import { compareActivitiesNewestFirst } from '../model/query.js'
import { activityStreamsSchema } from '../model/streams.js'
import { collect } from '../paging.js'
import type { FitnessProvider } from '../provider.js'

/** What the factory of {@link describeProviderContract} returns for each test. */
export interface ProviderContractSubject {
  readonly provider: FitnessProvider
  /** Called after the test (close the fake, remove temporary files). */
  readonly cleanup?: () => Promise<void> | void
}

/** Options of {@link describeProviderContract}. */
export interface ProviderContractOptions {
  /** Title of the `describe` block; `provider contract` by default. */
  readonly title?: string
  /** A range with data for the sleep, recovery, health, HRV and daily methods. */
  readonly range?: DateRange
  /** An id the provider surely does not have; `0000-no-such-activity` by default. */
  readonly missingActivityId?: string
  /** Activities the full history is expected to hold; checked when given. */
  readonly expectedActivityCount?: number
}

/**
 * Registers the contract every provider meets, run with the provider's fake: descriptor sanity,
 * normalized output that validates against the zod models, newest-first order, exact offset/limit,
 * full-history iteration with date filters, cursor round trip, `not_found` for a missing activity,
 * `unsupported_feature` without I/O for absent capabilities, `invalid_argument` for bad queries, and
 * abort support. Call it at the top level of a test file.
 *
 * @example
 * ```ts
 * describeProviderContract(async () => {
 *   const fake = await startStravaFake()
 *   return { provider: createStravaProvider({ baseUrl: fake.url, … }), cleanup: () => fake.close() }
 * })
 * ```
 */
export function describeProviderContract(
  make: () => ProviderContractSubject | Promise<ProviderContractSubject>,
  options: ProviderContractOptions = {},
): void {
  const withProvider = async (
    test: (provider: FitnessProvider) => Promise<void>,
  ): Promise<void> => {
    const subject = await make()
    try {
      await test(subject.provider)
    } finally {
      await subject.cleanup?.()
    }
  }

  const expectCode = async (promise: Promise<unknown>, code: string): Promise<void> => {
    const error = await promise.then(
      () => undefined,
      (reason: unknown) => reason,
    )
    expect(isProviderError(error), `expected a ProviderError ${code}, got ${String(error)}`).toBe(
      true,
    )
    expect((error as { code: string }).code).toBe(code)
  }

  const has = (provider: FitnessProvider, capability: Capability): boolean =>
    hasCapability(provider.descriptor, capability)

  describe(options.title ?? 'provider contract', () => {
    it('has a well-formed descriptor', () =>
      withProvider(async (provider) => {
        const { descriptor } = provider
        expect(descriptor.name).toMatch(/^[a-z][a-z0-9_]*$/)
        expect(descriptor.displayName.length).toBeGreaterThan(0)
        for (const capability of descriptor.capabilities)
          expect(capabilityBits).toHaveProperty(capability)
        if (descriptor.auth.kind === 'oauth2') expect(descriptor.capabilities).toContain('oauth')
        if (has(provider, 'local')) expect(descriptor.auth.kind).toBe('none')
      }))

    it('lists valid activities newest first with exact offset and limit', () =>
      withProvider(async (provider) => {
        if (!has(provider, 'activities')) return
        const first = await provider.getActivities({ limit: 5 })
        expect(first.length).toBeLessThanOrEqual(5)
        expectValidActivities(first, provider.descriptor.name)
        const three = await provider.getActivities({ limit: 3 })
        const shifted = await provider.getActivities({ offset: 1, limit: 2 })
        expect(shifted.map((activity) => activity.id)).toEqual(
          three.slice(1, 3).map((activity) => activity.id),
        )
      }))

    it('iterates the full history lazily, ordered and without duplicates', () =>
      withProvider(async (provider) => {
        if (!has(provider, 'activities')) return
        const all = await collect(provider.iterateActivities({ pageSize: 10 }))
        expectValidActivities(all, provider.descriptor.name)
        expect(new Set(all.map((activity) => activity.id)).size).toBe(all.length)
        if (options.expectedActivityCount !== undefined) {
          expect(all.length).toBe(options.expectedActivityCount)
        }
        const listed = await provider.getActivities({
          limit: Math.min(1000, Math.max(1, all.length)),
        })
        expect(listed.map((activity) => activity.id)).toEqual(
          all.slice(0, listed.length).map((activity) => activity.id),
        )
      }))

    it('filters on after (inclusive) and before (exclusive)', () =>
      withProvider(async (provider) => {
        if (!has(provider, 'activities')) return
        const all = await collect(provider.iterateActivities({ pageSize: 50 }))
        const middle = all[Math.floor(all.length / 2)]
        if (middle === undefined) return
        const pivot = Math.floor(Date.parse(middle.start_date) / 1000)
        const after = await collect(provider.iterateActivities({ after: pivot }))
        const before = await collect(provider.iterateActivities({ before: pivot }))
        for (const activity of after) {
          expect(Date.parse(activity.start_date) / 1000).toBeGreaterThanOrEqual(pivot)
        }
        for (const activity of before) {
          expect(Date.parse(activity.start_date) / 1000).toBeLessThan(pivot)
        }
        expect(after.map((activity) => activity.id)).toContain(middle.id)
        expect(after.length + before.length).toBe(all.length)
      }))

    it('pages with opaque cursors that round-trip', () =>
      withProvider(async (provider) => {
        if (!has(provider, 'activities')) return
        const expected = await provider.getActivities({ limit: 4 })
        const first = await provider.getActivitiesPage({ limit: 2 })
        expect(first.count).toBe(first.items.length)
        const ids = first.items.map((activity) => activity.id)
        if (first.has_more) {
          expect(first.next_cursor).not.toBeNull()
          const second = await provider.getActivitiesPage({
            limit: 2,
            cursor: first.next_cursor as string,
          })
          ids.push(...second.items.map((activity) => activity.id))
        }
        expect(ids).toEqual(expected.map((activity) => activity.id))
        await expectCode(
          provider.getActivitiesPage({ limit: 2, cursor: 'not-a-cursor!' }),
          'invalid_cursor',
        )
      }))

    it('gets one activity and reports a missing one as not_found', () =>
      withProvider(async (provider) => {
        if (!has(provider, 'activities')) return
        const [newest] = await provider.getActivities({ limit: 1 })
        if (newest !== undefined) {
          const found = await provider.getActivity(newest.id)
          expect(found.id).toBe(newest.id)
          expect(activitySchema.safeParse(found).success).toBe(true)
        }
        await expectCode(
          provider.getActivity(options.missingActivityId ?? '0000-no-such-activity'),
          'not_found',
        )
      }))

    it('returns streams whose series match the time axis', () =>
      withProvider(async (provider) => {
        if (!has(provider, 'streams')) return
        const activities = await provider.getActivities({ limit: 10 })
        const withStreams = activities.find((activity) => activity.streams_available !== false)
        if (withStreams === undefined) return
        const streams = await provider.getActivityStreams(withStreams.id)
        const parsed = activityStreamsSchema.safeParse(streams)
        expect(parsed.success, parsed.success ? '' : parsed.error.message).toBe(true)
        expect(streams.activity_id).toBe(withStreams.id)
      }))

    it('returns a valid athlete, stats and personal records when it has them', () =>
      withProvider(async (provider) => {
        if (has(provider, 'athlete')) expectValid(athleteSchema, await provider.getAthlete())
        if (has(provider, 'stats')) expectValid(statsSchema, await provider.getStats())
        if (has(provider, 'activities')) {
          for (const record of await provider.getPersonalRecords())
            expectValid(personalRecordSchema, record)
        }
      }))

    it('returns valid health data for the sample range', () =>
      withProvider(async (provider) => {
        const range = options.range
        if (range === undefined) return
        if (has(provider, 'sleep')) {
          for (const session of await provider.getSleepSessions(range))
            expectValid(sleepSessionSchema, session)
        }
        if (has(provider, 'recovery')) {
          for (const entry of await provider.getRecoveryMetrics(range))
            expectValid(recoveryMetricsSchema, entry)
        }
        if (has(provider, 'health')) {
          for (const entry of await provider.getHealthMetrics(range))
            expectValid(healthMetricsSchema, entry)
        }
        if (has(provider, 'hrv')) {
          for (const entry of await provider.getHrv(range)) expectValid(hrvDailySchema, entry)
        }
        if (has(provider, 'daily')) {
          for (const entry of await provider.getDailySummaries(range))
            expectValid(dailySummarySchema, entry)
        }
      }))

    it('refuses absent capabilities with unsupported_feature', () =>
      withProvider(async (provider) => {
        const range = { start: '2025-03-08T00:00:00Z', end: '2025-03-15T00:00:00Z' }
        const checks: [Capability, () => Promise<unknown>][] = [
          ['athlete', () => provider.getAthlete()],
          ['activities', () => provider.getActivities()],
          ['streams', () => provider.getActivityStreams('1')],
          ['stats', () => provider.getStats()],
          ['sleep', () => provider.getSleepSessions(range)],
          ['recovery', () => provider.getRecoveryMetrics(range)],
          ['health', () => provider.getHealthMetrics(range)],
          ['hrv', () => provider.getHrv(range)],
          ['daily', () => provider.getDailySummaries(range)],
        ]
        for (const [capability, call] of checks) {
          if (!has(provider, capability)) await expectCode(call(), 'unsupported_feature')
        }
      }))

    it('rejects invalid queries before any request', () =>
      withProvider(async (provider) => {
        if (!has(provider, 'activities')) return
        await expectCode(provider.getActivities({ limit: 0 }), 'invalid_argument')
        await expectCode(provider.getActivities({ after: 200, before: 100 }), 'invalid_argument')
      }))

    it('stops iterating when the signal aborts', () =>
      withProvider(async (provider) => {
        if (!has(provider, 'activities')) return
        const controller = new AbortController()
        controller.abort(new Error('stop'))
        await expect(
          collect(provider.iterateActivities({}, { signal: controller.signal })),
        ).rejects.toThrow('stop')
      }))
  })
}

function expectValid(
  schema: { safeParse(value: unknown): { success: boolean; error?: { message: string } } },
  value: unknown,
): void {
  const result = schema.safeParse(value)
  expect(result.success, result.error?.message ?? '').toBe(true)
}

function expectValidActivities(activities: readonly Activity[], provider: string): void {
  for (const activity of activities) {
    expectValid(activitySchema, activity)
    expect(activity.provider).toBe(provider)
  }
  const sorted = [...activities].sort(compareActivitiesNewestFirst)
  expect(activities.map((activity) => activity.id)).toEqual(sorted.map((activity) => activity.id))
}
