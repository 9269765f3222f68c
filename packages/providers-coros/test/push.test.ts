import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { DataOwner } from '@pierre/providers-core'
import {
  activitySchema,
  buildCacheKey,
  createMemoryCache,
  createMemoryDataStore,
} from '@pierre/providers-core'
import { describe, expect, it, onTestFinished } from 'vitest'
import type { CorosPushHandlerOptions, CorosPushNotice } from '../src/index.js'
import { createCorosPushHandler, mapCorosWorkout } from '../src/index.js'
import { startFakeCoros } from '../src/testing/index.js'
import { camille, client, fixture, fixtureNow } from './support.js'

type Raw = Record<string, unknown>

const openId = 'coros-open-51dfe50ec0518813fb9b360a'
const owner: DataOwner = { provider: 'coros', ...camille }
const pushBody = JSON.stringify(fixture('webhook_sport_data_push.json'))
const goodHeaders = {
  'content-type': 'application/json',
  client: 'coros-client',
  secret: 'coros-secret',
}
const [run, ride] = (fixture('sport_data.json') as { data: Raw[] }).data as [Raw, Raw]

function setUp(options: Partial<CorosPushHandlerOptions> = {}) {
  const dataStore = createMemoryDataStore()
  const notices: CorosPushNotice[] = []
  const handle = createCorosPushHandler({
    ...client,
    dataStore,
    resolveUser: async (id) => (id === openId ? camille : undefined),
    onEvent: (notice) => notices.push(notice),
    ...options,
  })
  return { dataStore, handle, notices }
}

describe('the sport-data push receiver', () => {
  it('stores the pushed workout and answers the acknowledgement of the fixture', async () => {
    const { dataStore, handle, notices } = setUp()
    const answer = await handle(pushBody, goodHeaders)
    expect(answer).toEqual({ status: 200, body: fixture('webhook_ack_response.json') })
    const stored = await dataStore.query('activity', owner)
    expect(stored).toHaveLength(1)
    expect(stored[0]).toEqual({
      id: '426887715123987459',
      start: '2025-03-14T11:02:13Z',
      payload: mapCorosWorkout(run),
    })
    expect(activitySchema.safeParse(stored[0]?.payload).success).toBe(true)
    expect(notices).toEqual([
      {
        owner,
        event: {
          kind: 'upsert',
          resource: 'activity',
          providerUserId: openId,
          records: stored,
        },
      },
    ])
  })

  it('is idempotent: a repeated delivery leaves one equal record', async () => {
    const { dataStore, handle } = setUp()
    await handle(pushBody, goodHeaders)
    const before = await dataStore.query('activity', owner)
    const again = await handle(Buffer.from(pushBody), new Headers(goodHeaders))
    expect(again.status).toBe(200)
    expect(await dataStore.query('activity', owner)).toEqual(before)
  })

  it('updates a workout COROS sends again with new values', async () => {
    const { dataStore, handle } = setUp()
    await handle(pushBody, goodHeaders)
    const corrected = JSON.stringify({ sportDataList: [{ ...run, calorie: 480 }] })
    await handle(corrected, goodHeaders)
    const [record] = await dataStore.query('activity', owner)
    expect(record?.payload).toMatchObject({ calories: 480 })
  })

  it.for([
    { name: 'no credentials', headers: { 'content-type': 'application/json' } },
    { name: 'a wrong secret', headers: { ...goodHeaders, secret: 'coros-secreT' } },
    { name: 'a wrong client', headers: { ...goodHeaders, client: 'someone-else' } },
    { name: 'a longer secret', headers: { ...goodHeaders, secret: 'coros-secret-and-more' } },
  ])('refuses a push with $name (401) and stores nothing', async ({ headers }) => {
    const { dataStore, handle, notices } = setUp()
    expect(await handle(pushBody, headers)).toEqual({
      status: 401,
      body: { error: 'invalid_credentials' },
    })
    expect(await dataStore.query('activity', owner)).toEqual([])
    expect(notices).toEqual([])
  })

  it.for([
    { name: 'not JSON', body: '{"sportDataList": [', error: 'invalid_json' },
    { name: 'without sportDataList', body: '{"data": []}', error: 'invalid_payload' },
    {
      name: 'a workout without labelId',
      body: JSON.stringify({ sportDataList: [{ ...run, labelId: undefined }] }),
      error: 'invalid_payload',
    },
    {
      name: 'a workout without openId',
      body: JSON.stringify({ sportDataList: [{ ...run, openId: undefined }] }),
      error: 'invalid_payload',
    },
    {
      name: 'a workout with an impossible startTime',
      body: JSON.stringify({ sportDataList: [ride, { ...run, startTime: -5 }] }),
      error: 'invalid_payload',
    },
  ])('refuses a body that is $name (400) and stores nothing', async ({ body, error }) => {
    const { dataStore, handle } = setUp()
    const answer = await handle(body, goodHeaders)
    expect(answer.status).toBe(400)
    expect(answer.body.error).toBe(error)
    expect(await dataStore.query('activity', owner)).toEqual([])
  })

  it('refuses a body over the size limit with 413', async () => {
    const { handle } = setUp({ maxBodyBytes: 100 })
    expect((await handle(pushBody, goodHeaders)).status).toBe(413)
  })

  it('acknowledges and skips workouts of users nobody connected', async () => {
    const { dataStore, handle, notices } = setUp()
    const body = JSON.stringify({
      sportDataList: [ride, { ...run, openId: 'coros-open-someone-else' }],
    })
    expect((await handle(body, goodHeaders)).status).toBe(200)
    expect((await dataStore.query('activity', owner)).map((record) => record.id)).toEqual([
      '426801122339981266',
    ])
    expect(notices).toHaveLength(1)
  })

  it('accepts an openId given once for the whole push', async () => {
    const { dataStore, handle } = setUp()
    const body = JSON.stringify({ openId, sportDataList: [{ ...ride, openId: undefined }] })
    expect((await handle(body, goodHeaders)).status).toBe(200)
    expect(await dataStore.query('activity', owner)).toHaveLength(1)
  })

  it('drops the cached lists and the workout of the user', async () => {
    const cache = createMemoryCache()
    const base = { ...camille, provider: 'coros' }
    const listKey = buildCacheKey({ ...base, resource: 'activity_list', params: { limit: 5 } })
    const activityKey = buildCacheKey({ ...base, resource: 'activity', id: '426887715123987459' })
    const athleteKey = buildCacheKey({ ...base, resource: 'athlete' })
    for (const key of [listKey, activityKey, athleteKey]) await cache.set(key, 'cached', 900)
    const { handle } = setUp({ cache })
    await handle(pushBody, goodHeaders)
    expect(await cache.get(listKey)).toBeUndefined()
    expect(await cache.get(activityKey)).toBeUndefined()
    expect(await cache.get(athleteKey)).toBe('cached')
  })

  it('lets a storage failure through, so that COROS delivers again', async () => {
    const dataStore = createMemoryDataStore()
    const failing = {
      ...dataStore,
      upsert: async () => {
        throw new Error('disk')
      },
    }
    const { handle } = setUp({ dataStore: failing })
    await expect(handle(pushBody, goodHeaders)).rejects.toThrow('disk')
  })

  it('needs the client id and secret', () => {
    const dataStore = createMemoryDataStore()
    expect(() =>
      createCorosPushHandler({
        clientId: 'coros-client',
        clientSecret: '',
        dataStore,
        resolveUser: async () => undefined,
      }),
    ).toThrow(expect.objectContaining({ code: 'not_configured' }))
  })

  it('receives the fake’s push over HTTP end to end', async () => {
    const { dataStore, handle } = setUp()
    const server = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        handle(Buffer.concat(chunks), request.headers).then(
          ({ status, body }) => {
            response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
            response.end(JSON.stringify(body))
          },
          () => {
            response.writeHead(500)
            response.end()
          },
        )
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/coros`
    const fake = await startFakeCoros({ now: fixtureNow, ...client })
    onTestFinished(() => fake.close())
    expect(await fake.push(url)).toEqual({ status: 200, body: { result: '0000', message: 'OK' } })
    expect(await fake.push(url, { workouts: [ride] })).toMatchObject({ status: 200 })
    expect(await fake.push(url, { clientSecret: 'guess' })).toMatchObject({ status: 401 })
    expect((await dataStore.query('activity', owner)).map((record) => record.id)).toEqual([
      '426887715123987459',
      '426801122339981266',
    ])
  })
})
