import { collect } from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import { setUp } from './support.js'

describe('activity paging against the fake Strava', () => {
  it('iterates the full history newest first with page and per_page, ending on a short page', async () => {
    const { fake, provider } = await setUp({ fake: { activityCount: 123 } })
    const all = await collect(provider.iterateActivities({ pageSize: 50 }))
    expect(all).toHaveLength(123)
    expect(new Set(all.map((activity) => activity.id)).size).toBe(123)
    const starts = all.map((activity) => Date.parse(activity.start_date))
    expect(starts).toEqual([...starts].sort((left, right) => right - left))
    const pages = fake.requestsTo('GET /api/v3/athlete/activities')
    expect(pages.map((request) => request.query.get('page'))).toEqual(['1', '2', '3'])
    expect(pages.every((request) => request.query.get('per_page') === '50')).toBe(true)
  })

  it('stops after the exact multiple of the page size with one empty page', async () => {
    const { fake, provider } = await setUp({ fake: { activityCount: 20 } })
    expect(await collect(provider.iterateActivities({ pageSize: 10 }))).toHaveLength(20)
    expect(fake.requestsTo('/api/v3/athlete/activities')).toHaveLength(3)
  })

  it('passes before through and stops paging below after (inclusive)', async () => {
    const { fake, provider } = await setUp({ fake: { activityCount: 40 } })
    const all = await collect(provider.iterateActivities({ pageSize: 200 }))
    const pivot = all[10]
    const upper = all[3]
    if (pivot === undefined || upper === undefined) throw new Error('fixture too small')
    const after = Date.parse(pivot.start_date) / 1000
    const before = Date.parse(upper.start_date) / 1000
    fake.upstream.reset()
    const window = await collect(provider.iterateActivities({ after, before, pageSize: 10 }))
    expect(window.map((activity) => activity.id)).toEqual(all.slice(4, 11).map((a) => a.id))
    const requests = fake.requestsTo('/api/v3/athlete/activities')
    expect(requests[0]?.query.get('before')).toBe(String(before))
    expect(requests).toHaveLength(1)
  })

  it('gives exact offset and limit across Strava pages', async () => {
    const { provider } = await setUp({ fake: { activityCount: 60 } })
    const all = await collect(provider.iterateActivities({ pageSize: 200 }))
    const slice = await provider.getActivities({ offset: 33, limit: 7 })
    expect(slice.map((activity) => activity.id)).toEqual(all.slice(33, 40).map((a) => a.id))
  })

  it('answers like Strava: strict bounds, ascending with after, per_page capped at 200', async () => {
    const { fake } = await setUp({ fake: { activityCount: 250 } })
    const token = fake.issueTokens().accessToken
    const get = async (query: string) => {
      const response = await fetch(`${fake.apiBaseUrl}/athlete/activities?${query}`, {
        headers: { authorization: `Bearer ${token}` },
      })
      return (await response.json()) as { id: number; start_date: string }[]
    }
    expect(await get('per_page=500')).toHaveLength(200)
    const newest = (await get('per_page=3')).map((row) => row.start_date)
    const pivot = Date.parse(newest[1] as string) / 1000
    const ascending = await get(`after=${pivot - 7 * 86_400}&per_page=200`)
    const times = ascending.map((row) => Date.parse(row.start_date))
    expect(times).toEqual([...times].sort((left, right) => left - right))
    const strictlyBefore = await get(`before=${pivot}&per_page=1`)
    expect(Date.parse(strictlyBefore[0]?.start_date as string) / 1000).toBeLessThan(pivot)
    const strictlyAfter = await get(`after=${pivot}`)
    expect(strictlyAfter.map((row) => row.start_date)).toEqual([newest[0]])
  })
})
