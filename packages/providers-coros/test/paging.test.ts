import { collect } from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import { rejectionOf, setUp } from './support.js'

const seconds = (iso: string) => Date.parse(iso) / 1000
const windowsOf = (requests: readonly { query: URLSearchParams }[]) =>
  requests.map((request) => [request.query.get('startDate'), request.query.get('endDate')])

describe('workouts over date windows (at most 30 days per call, the last 3 months)', () => {
  it('walks the 3 months back in 30-day windows, newest first, and finds the whole history', async () => {
    const { fake, provider } = await setUp()
    const all = await collect(provider.iterateActivities())
    expect(all).toHaveLength(24)
    expect(all.map((activity) => activity.id)).toEqual(
      fake.workouts.map((workout) => String(workout.labelId)),
    )
    // today (2025-03-14) plus one day for zones ahead of ours, back to 2024-12-14
    expect(windowsOf(fake.requestsTo('GET /coros/open/sport/data'))).toEqual([
      ['20250214', '20250315'],
      ['20250115', '20250213'],
      ['20241216', '20250114'],
      ['20241214', '20241215'],
    ])
  })

  it('asks only the windows a limit needs', async () => {
    const { fake, provider } = await setUp()
    const newest = await provider.getActivities({ limit: 3 })
    expect(newest.map((activity) => activity.start_date)).toEqual([
      '2025-03-14T11:02:13Z',
      '2025-03-12T20:31:40Z',
      '2025-03-07T11:02:13Z',
    ])
    expect(fake.requestsTo('GET /coros/open/sport/data')).toHaveLength(1)
    const shifted = await provider.getActivities({ offset: 1, limit: 2 })
    expect(shifted.map((activity) => activity.id)).toEqual(newest.slice(1).map((a) => a.id))
  })

  it('turns after and before into dates around them and filters the exact instants', async () => {
    const { fake, provider } = await setUp()
    const after = seconds('2025-03-07T11:02:13Z')
    const before = seconds('2025-03-14T11:02:13Z')
    const found = await collect(provider.iterateActivities({ after, before }))
    // after is inclusive, before exclusive
    expect(found.map((activity) => activity.start_date)).toEqual([
      '2025-03-12T20:31:40Z',
      '2025-03-07T11:02:13Z',
    ])
    expect(windowsOf(fake.requestsTo('GET /coros/open/sport/data'))).toEqual([
      ['20250306', '20250315'],
    ])
  })

  it('computes the query dates in the configured zone', async () => {
    const { fake, provider } = await setUp({ provider: { timeZone: 'Asia/Tokyo' } })
    // 2025-03-05T20:00Z is already the 6th in Tokyo
    await collect(provider.iterateActivities({ after: seconds('2025-03-05T20:00:00Z') }))
    expect(windowsOf(fake.requestsTo('GET /coros/open/sport/data'))).toEqual([
      ['20250305', '20250316'],
    ])
  })

  it('asks nothing for a range older than the 3 months COROS keeps', async () => {
    const { fake, provider } = await setUp()
    const old = await collect(
      provider.iterateActivities({ before: seconds('2024-11-01T00:00:00Z') }),
    )
    expect(old).toEqual([])
    expect(fake.requestsTo('GET /coros/open/sport/data')).toHaveLength(0)
  })

  it('filters sport types on the client side', async () => {
    const { provider } = await setUp()
    const rides = await provider.getActivities({ limit: 100, sport_types: ['ride'] })
    expect(rides).toHaveLength(12)
    expect(new Set(rides.map((activity) => activity.sport_type))).toEqual(new Set(['ride']))
  })

  it('finds one workout in the history, and reports an unknown one as not_found', async () => {
    const { provider } = await setUp()
    const ride = await provider.getActivity('426801122339981266')
    expect(ride.sport_type).toBe('ride')
    const oldest = await provider.getActivity('426801122328981233')
    // 11 weeks before the fixture ride
    expect(oldest.start_date).toBe('2024-12-25T20:31:40Z')
    expect(await rejectionOf(provider.getActivity('1'))).toMatchObject({
      code: 'not_found',
      details: { resource_type: 'activity', resource_id: '1' },
    })
  })

  it('pages with cursors over the windows', async () => {
    const { provider } = await setUp()
    const first = await provider.getActivitiesPage({ limit: 10 })
    expect(first.has_more).toBe(true)
    const second = await provider.getActivitiesPage({
      limit: 10,
      cursor: first.next_cursor as string,
    })
    const third = await provider.getActivitiesPage({
      limit: 10,
      cursor: second.next_cursor as string,
    })
    expect(third.count).toBe(4)
    expect(third.has_more).toBe(false)
    const ids = [...first.items, ...second.items, ...third.items].map((activity) => activity.id)
    expect(new Set(ids).size).toBe(24)
  })
})

describe('daily data over dates', () => {
  it('selects the local dates a range covers, in the configured zone', async () => {
    const { fake, provider } = await setUp({ provider: { timeZone: 'America/Toronto' } })
    // [03-12 04:00Z, 03-14 04:00Z) is 03-12 and 03-13 in Montréal
    const summaries = await provider.getDailySummaries({
      start: '2025-03-12T04:00:00Z',
      end: '2025-03-14T04:00:00Z',
    })
    expect(summaries.map((summary) => summary.calendar_date)).toEqual(['2025-03-13', '2025-03-12'])
    expect(windowsOf(fake.requestsTo('GET /coros/open/daily/data'))).toEqual([
      ['20250312', '20250313'],
    ])
    const recovery = await provider.getRecoveryMetrics({
      start: '2025-03-08T05:00:00Z',
      end: '2025-03-09T05:00:00Z',
    })
    // the day before the DST change starts at 05:00Z
    expect(recovery.map((entry) => entry.date)).toEqual(['2025-03-08T05:00:00Z'])
  })

  it('selects sleep by the instant it ends, looking a day around the range', async () => {
    const { fake, provider } = await setUp()
    const nights = await provider.getSleepSessions({
      start: '2025-03-13T09:37:30Z',
      end: '2025-03-14T09:37:30Z',
    })
    // the 14th's night ends at 09:37:30Z exactly, outside the half-open range
    expect(nights.map((night) => night.end_time)).toEqual(['2025-03-13T09:37:30Z'])
    expect(windowsOf(fake.requestsTo('GET /coros/open/daily/data'))).toEqual([
      ['20250312', '20250315'],
    ])
    const latest = await provider.getLatestSleepSession()
    expect(latest.end_time).toBe('2025-03-14T09:37:30Z')
  })

  it('splits a long range into 30-day calls and keeps to the last 3 months', async () => {
    const { fake, provider } = await setUp()
    const hrv = await provider.getHrv({
      start: '2024-06-01T00:00:00Z',
      end: '2025-03-15T00:00:00Z',
    })
    expect(hrv).toHaveLength(7)
    expect(hrv[0]?.calendar_date).toBe('2025-03-14')
    expect(windowsOf(fake.requestsTo('GET /coros/open/daily/data'))).toEqual([
      ['20250213', '20250314'],
      ['20250114', '20250212'],
      ['20241215', '20250113'],
      ['20241214', '20241214'],
    ])
  })

  it('rejects an inverted range before any request', async () => {
    const { fake, provider } = await setUp()
    expect(
      await rejectionOf(
        provider.getHrv({ start: '2025-03-14T00:00:00Z', end: '2025-03-13T00:00:00Z' }),
      ),
    ).toMatchObject({ code: 'invalid_argument' })
    expect(fake.requestsTo('GET /coros/open/daily/data')).toHaveLength(0)
  })
})
