import { activitySchema, hrvDailySchema } from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import { parseGarminNotification } from '../../src/index.js'

// Counterexamples found by test/notification.prop.test.ts: numbers far outside any real range used
// to throw a RangeError (Invalid time value) or produce unsafe integers that failed the model.
describe('out-of-range numbers in a delivery (issue 7)', () => {
  const user = { userId: 'u1' }

  it('ignores a lap start of 1e21 seconds instead of throwing', () => {
    const body = {
      activityDetails: [
        {
          ...user,
          summary: { summaryId: '0', startTimeInSeconds: 1741950000, durationInSeconds: 0 },
          laps: [{ startTimeInSeconds: 1e21 }],
        },
      ],
    }
    const [event] = parseGarminNotification(JSON.stringify(body)).events
    const activity = event?.records?.[0]?.payload
    expect(activitySchema.safeParse(activity).success).toBe(true)
    expect(activity).not.toHaveProperty('laps')
  })

  it('drops a cadence of 1e21 per minute', () => {
    const body = {
      activities: [
        { ...user, summaryId: '0', startTimeInSeconds: 0, averageRunCadenceInStepsPerMinute: 1e21 },
      ],
    }
    const activity = parseGarminNotification(JSON.stringify(body)).events[0]?.records?.[0]?.payload
    expect(activitySchema.safeParse(activity).success).toBe(true)
    expect(activity).not.toHaveProperty('average_cadence')
  })

  it('treats an HRV offset of −1e21 seconds as unknown (UTC midnight)', () => {
    const body = {
      hrv: [
        {
          ...user,
          summaryId: '0',
          calendarDate: '2020-01-01',
          lastNightAvg: 0,
          startTimeInSeconds: 0,
          startTimeOffsetInSeconds: -1e21,
        },
      ],
    }
    const [record] = parseGarminNotification(JSON.stringify(body)).events[0]?.records ?? []
    expect(record?.start).toBe('2020-01-01T00:00:00.000Z')
    expect(hrvDailySchema.safeParse(record?.payload).success).toBe(true)
  })

  it('rejects epoch times beyond the year 3000 as invalid items', () => {
    const body = { sleeps: [{ ...user, summaryId: 's', startTimeInSeconds: 1e21 }] }
    const parsed = parseGarminNotification(JSON.stringify(body))
    expect(parsed.events).toEqual([])
    expect(parsed.skipped[0]).toMatchObject({ reason: 'invalid_item' })
  })
})
