import { collect } from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import { setUp } from './support.js'

const exercisePath = '/v4/users/me/dataTypes/exercise/dataPoints'

describe('exercise paging against the fake Google Health API', () => {
  it('iterates the full history newest first through pageToken, 25 per page at most', async () => {
    const { fake, provider } = await setUp({ fake: { exerciseCount: 123 } })
    const all = await collect(provider.iterateActivities({ pageSize: 200 }))
    expect(all).toHaveLength(123)
    expect(new Set(all.map((activity) => activity.id)).size).toBe(123)
    const starts = all.map((activity) => Date.parse(activity.start_date))
    expect(starts).toEqual([...starts].sort((left, right) => right - left))
    const pages = fake.requestsTo(`GET ${exercisePath}`)
    expect(pages).toHaveLength(5)
    expect(pages.every((request) => request.query.get('pageSize') === '25')).toBe(true)
    expect(pages[0]?.query.has('pageToken')).toBe(false)
    const tokens = pages.slice(1).map((request) => request.query.get('pageToken'))
    expect(new Set(tokens).size).toBe(4)
    expect(tokens.every((token) => token !== null && token.length > 0)).toBe(true)
  })

  it('ends on an exact multiple of the page size when nextPageToken comes back empty', async () => {
    const { fake, provider } = await setUp({ fake: { exerciseCount: 50 } })
    expect(await collect(provider.iterateActivities({ pageSize: 25 }))).toHaveLength(50)
    expect(fake.requestsTo(exercisePath)).toHaveLength(2)
  })

  it('sends widened civil bounds for after/before and keeps only the exact window', async () => {
    const { fake, provider } = await setUp({ fake: { exerciseCount: 40 } })
    const all = await collect(provider.iterateActivities({ pageSize: 25 }))
    const pivot = all[10]
    const upper = all[3]
    if (pivot === undefined || upper === undefined) throw new Error('fixture too small')
    const after = Date.parse(pivot.start_date) / 1000
    const before = Date.parse(upper.start_date) / 1000
    fake.upstream.reset()
    const window = await collect(provider.iterateActivities({ after, before, pageSize: 10 }))
    expect(window.map((activity) => activity.id)).toEqual(all.slice(4, 11).map((a) => a.id))
    const filter = fake.requestsTo(exercisePath)[0]?.query.get('filter') ?? ''
    const civil = (ms: number) => new Date(ms).toISOString().slice(0, 19)
    expect(filter).toBe(
      `exercise.interval.civil_start_time >= "${civil(after * 1000 - 14 * 3_600_000)}" AND ` +
        `exercise.interval.civil_start_time < "${civil(before * 1000 + 14 * 3_600_000)}"`,
    )
  })

  it('gives exact offset and limit across pages', async () => {
    const { provider } = await setUp({ fake: { exerciseCount: 60 } })
    const all = await collect(provider.iterateActivities({ pageSize: 25 }))
    const slice = await provider.getActivities({ offset: 33, limit: 7 })
    expect(slice.map((activity) => activity.id)).toEqual(all.slice(33, 40).map((a) => a.id))
  })

  it('answers like the list reference: page size capped at 25, tokens bound to the query', async () => {
    const { fake } = await setUp({ fake: { exerciseCount: 60 } })
    const token = fake.issueTokens().accessToken
    const get = (query: string) =>
      fetch(`${fake.apiBaseUrl}/users/me/dataTypes/exercise/dataPoints?${query}`, {
        headers: { authorization: `Bearer ${token}` },
      })
    const first = (await (await get('pageSize=100')).json()) as {
      dataPoints: unknown[]
      nextPageToken: string
    }
    expect(first.dataPoints).toHaveLength(25)
    const other = await get(
      `pageToken=${first.nextPageToken}&filter=${encodeURIComponent('exercise.interval.civil_start_time >= "2025-01-01"')}`,
    )
    expect(other.status).toBe(400)
    expect(await other.json()).toMatchObject({ error: { status: 'INVALID_ARGUMENT' } })
    const last = (await (
      await get(
        'pageSize=25&pageToken=' +
          encodeURIComponent(
            Buffer.from(JSON.stringify({ type: 'exercise', filter: '', offset: 50 })).toString(
              'base64url',
            ),
          ),
      )
    ).json()) as { dataPoints: unknown[]; nextPageToken: string }
    expect(last.dataPoints).toHaveLength(10)
    expect(last.nextPageToken).toBe('')
  })
})
