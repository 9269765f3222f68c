import { collect } from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import { setUp } from './support.js'

describe('paging through nextToken against the fake WHOOP', () => {
  it('iterates the full workout history newest first, 25 per page, following next_token', async () => {
    const { fake, provider } = await setUp({ fake: { workoutCount: 123 } })
    const all = await collect(provider.iterateActivities({ pageSize: 200 }))
    expect(all).toHaveLength(123)
    expect(new Set(all.map((activity) => activity.id)).size).toBe(123)
    expect(all.map((activity) => activity.id)).toEqual(fake.workouts.map((workout) => workout.id))
    const starts = all.map((activity) => Date.parse(activity.start_date))
    expect(starts).toEqual([...starts].sort((left, right) => right - left))
    const pages = fake.requestsTo('GET /developer/v2/activity/workout')
    expect(pages).toHaveLength(5)
    expect(pages.every((request) => request.query.get('limit') === '25')).toBe(true)
    expect(pages[0]?.query.has('nextToken')).toBe(false)
    expect(pages.slice(1).every((request) => request.query.has('nextToken'))).toBe(true)
    expect(new Set(pages.map((request) => request.query.get('nextToken'))).size).toBe(5)
  })

  it('uses a smaller page size when asked and stops when WHOOP sends no next_token', async () => {
    const { fake, provider } = await setUp({ fake: { workoutCount: 20 } })
    expect(await collect(provider.iterateActivities({ pageSize: 10 }))).toHaveLength(20)
    const pages = fake.requestsTo('/developer/v2/activity/workout')
    expect(pages.map((request) => request.query.get('limit'))).toEqual(['10', '10'])
  })

  it('sends after as start (inclusive) and before as end (exclusive)', async () => {
    const { fake, provider } = await setUp({ fake: { workoutCount: 40 } })
    const all = await collect(provider.iterateActivities())
    const lower = all[10]
    const upper = all[3]
    if (lower === undefined || upper === undefined) throw new Error('history too short')
    const after = Math.floor(Date.parse(lower.start_date) / 1000)
    const before = Math.floor(Date.parse(upper.start_date) / 1000)
    fake.upstream.reset()
    const window = await collect(provider.iterateActivities({ after, before, pageSize: 10 }))
    expect(window.map((activity) => activity.id)).toEqual(all.slice(4, 11).map((a) => a.id))
    const [request] = fake.requestsTo('/developer/v2/activity/workout')
    expect(request?.query.get('start')).toBe(new Date(after * 1000).toISOString())
    expect(request?.query.get('end')).toBe(new Date(before * 1000).toISOString())
    expect(fake.requestsTo('/developer/v2/activity/workout')).toHaveLength(1)
  })

  it('gives exact offset and limit across WHOOP pages', async () => {
    const { provider } = await setUp({ fake: { workoutCount: 60 } })
    const all = await collect(provider.iterateActivities())
    const slice = await provider.getActivities({ offset: 33, limit: 7 })
    expect(slice.map((activity) => activity.id)).toEqual(all.slice(33, 40).map((a) => a.id))
  })

  it('pages sleep, recovery and cycle collections to the end of a long range', async () => {
    const { fake, provider } = await setUp({ fake: { cycleCount: 90 } })
    const range = { start: '2024-12-01T00:00:00Z', end: '2025-03-15T00:00:00Z' }
    const sleeps = await provider.getSleepSessions(range)
    // 30 rounds of 3 fixture days: two nights and a nap per round
    expect(sleeps).toHaveLength(90)
    expect(fake.requestsTo('/developer/v2/activity/sleep')).toHaveLength(4)
    const cycles = await provider.getCycles(range)
    expect(cycles).toHaveLength(90)
    expect(new Set(cycles.map((cycle) => cycle.calendar_date)).size).toBe(90)
    expect(fake.requestsTo('/developer/v2/cycle')).toHaveLength(4)
    const recoveries = await provider.getRecoveryMetrics(range)
    // one recovery in three is UNSCORABLE
    expect(recoveries).toHaveLength(60)
  })

  it('refuses a next_token that repeats instead of looping forever', async () => {
    const { fake, provider } = await setUp()
    const page = { records: fake.workouts.slice(0, 2), next_token: 'c2FtZQ==' }
    fake.script('GET /developer/v2/activity/workout', [{ body: page }, { body: page }])
    const error = await collect(provider.iterateActivities()).catch((reason: unknown) => reason)
    expect(error).toMatchObject({
      code: 'invalid_data',
      provider: 'whoop',
      details: { endpoint: 'GET /v2/activity/workout' },
    })
  })
})
