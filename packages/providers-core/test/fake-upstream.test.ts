import { describe, expect, it, onTestFinished } from 'vitest'
import { pageOf, startFakeUpstream } from '../src/testing/index.js'

const fixturesDir = new URL('./fixtures/', import.meta.url)

describe('fake upstream', () => {
  it('serves routes and fixtures on 127.0.0.1 and records requests', async () => {
    const fake = await startFakeUpstream({
      fixturesDir,
      routes: [
        {
          path: '/api/v3/athlete',
          respond: { fixture: 'athlete.json', headers: { 'x-ratelimit-usage': '1,1' } },
        },
        {
          path: '/api/v3/activities/:id',
          respond: (request) => ({ body: { id: request.params.id } }),
        },
      ],
    })
    onTestFinished(() => fake.close())
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const athlete = await fetch(`${fake.url}/api/v3/athlete`)
    expect(athlete.headers.get('x-ratelimit-usage')).toBe('1,1')
    expect(await athlete.text()).toContain('"id": 48213977')
    expect(await (await fetch(`${fake.url}/api/v3/activities/42?x=1`)).json()).toEqual({ id: '42' })
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /api/v3/athlete',
      'GET /api/v3/activities/42',
    ])
    expect(fake.requests[1]?.query.get('x')).toBe('1')
    expect((await fetch(`${fake.url}/nope`)).status).toBe(404)
  })

  it('plays scripted responses in order before the route, then falls back to it', async () => {
    const fake = await startFakeUpstream({ routes: [{ path: '/ping', respond: { body: 'pong' } }] })
    onTestFinished(() => fake.close())
    fake.script('GET /ping', [{ status: 503 }, { status: 429, headers: { 'retry-after': '3' } }])
    const statuses = []
    for (let call = 0; call < 3; call += 1) statuses.push((await fetch(`${fake.url}/ping`)).status)
    expect(statuses).toEqual([503, 429, 200])
  })

  it('answers 401 for missing, unknown or expired tokens', async () => {
    const fake = await startFakeUpstream({
      oauth: true,
      routes: [{ path: '/me', respond: { body: { ok: true } } }],
    })
    onTestFinished(() => fake.close())
    const { accessToken } = fake.tokens.issue()
    const call = (token?: string) =>
      fetch(
        `${fake.url}/me`,
        token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } },
      )
    expect((await call()).status).toBe(401)
    expect((await call('f'.repeat(40))).status).toBe(401)
    expect((await call(accessToken)).status).toBe(200)
    fake.tokens.expire(accessToken)
    const expired = await call(accessToken)
    expect(expired.status).toBe(401)
    expect(expired.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"')
  })

  it('slices page-numbered lists like an upstream API', () => {
    const items = Array.from({ length: 7 }, (_, index) => index)
    const query = (text: string) => ({ query: new URLSearchParams(text) })
    expect(pageOf(items, query('page=2&per_page=3'))).toEqual([3, 4, 5])
    expect(pageOf(items, query('page=3&per_page=3'))).toEqual([6])
    expect(pageOf(items, query('per_page=500'), { maxSize: 5 })).toEqual([0, 1, 2, 3, 4])
  })
})
