import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it, onTestFinished } from 'vitest'
import { startFakeGarmin } from '../src/testing/index.js'

async function started(options: Parameters<typeof startFakeGarmin>[0] = {}) {
  const fake = await startFakeGarmin(options)
  onTestFinished(() => fake.close())
  const { accessToken, refreshToken } = fake.issueTokens()
  const get = (path: string, token = accessToken) =>
    fetch(`${fake.apiBaseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })
  return { fake, accessToken, refreshToken, get }
}

const day = 86_400

describe('the fake Garmin', () => {
  it('serves the user id and permissions of the fixtures, and 401 for an expired token', async () => {
    const { fake, accessToken, get } = await started()
    expect(await (await get('/wellness-api/rest/user/id')).json()).toEqual({
      userId: 'd3315b1072421d0dd7c8f6b8e1de4df8',
    })
    expect(await (await get('/wellness-api/rest/user/permissions')).json()).toEqual([
      'ACTIVITY_EXPORT',
      'HEALTH_EXPORT',
      'HISTORICAL_DATA_EXPORT',
    ])
    fake.upstream.tokens.expire(accessToken)
    expect((await get('/wellness-api/rest/user/id')).status).toBe(401)
  })

  it('answers token requests like Garmin: lower-case bearer, partner scopes, jti, rotation', async () => {
    const { fake, refreshToken } = await started({ clientSecret: 's3cret' })
    const refresh = (token: string, secret = 's3cret') =>
      fetch(fake.oauthEndpoints.tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: token,
          client_id: fake.clientId,
          client_secret: secret,
        }),
      })
    expect((await refresh(refreshToken, 'wrong')).status).toBe(401)
    const response = await refresh(refreshToken)
    const body = (await response.json()) as Record<string, unknown>
    expect(body).toMatchObject({
      token_type: 'bearer',
      expires_in: 86_400,
      scope: 'PARTNER_WRITE PARTNER_READ CONNECT_READ CONNECT_WRITE',
      refresh_token_expires_in: 7_775_999,
    })
    expect(body.jti).toMatch(/^[0-9a-f-]{36}$/)
    expect(body.refresh_token).not.toBe(refreshToken)
    expect((await refresh(refreshToken)).status).toBe(400)
  })

  it('checks backfill windows: 202, 409 when repeated, 400 beyond 30 days, 403 without history', async () => {
    const { fake, get } = await started()
    const backfill = (start: number, end: number) =>
      get(
        `/wellness-api/rest/backfill/sleeps?summaryStartTimeInSeconds=${start}&summaryEndTimeInSeconds=${end}`,
      )
    const end = 1742083200
    expect((await backfill(end - 30 * day, end)).status).toBe(202)
    expect((await backfill(end - 30 * day, end)).status).toBe(409)
    expect((await backfill(end - 31 * day, end)).status).toBe(400)
    expect((await get('/wellness-api/rest/backfill/sleeps')).status).toBe(400)
    fake.setPermissions(['ACTIVITY_EXPORT', 'HEALTH_EXPORT'])
    expect((await backfill(end - 2 * day, end)).status).toBe(403)
  })

  it('serves a ping callback once per valid token and window, for 24 hours', async () => {
    let clock = Date.parse('2025-03-15T00:00:00Z')
    const { fake, get } = await started({ now: () => new Date(clock) })
    const url = new URL(fake.callbackUrl('dailies'))
    const path = `${url.pathname}${url.search}`
    const items = (await (await get(path)).json()) as { calendarDate: string }[]
    expect(items.map((item) => item.calendarDate)).toEqual([
      '2025-03-14',
      '2025-03-13',
      '2025-03-12',
      '2025-03-11',
      '2025-03-10',
      '2025-03-09',
      '2025-03-08',
    ])
    const wide = new URL(url)
    wide.searchParams.set(
      'uploadStartTimeInSeconds',
      String(Number(url.searchParams.get('uploadEndTimeInSeconds')) - 2 * day),
    )
    expect((await get(`${wide.pathname}${wide.search}`)).status).toBe(400)
    expect((await get(path.replace('/dailies', '/sleeps'))).status).toBe(400)
    clock += 25 * 3600 * 1000
    const { accessToken } = fake.issueTokens()
    expect((await get(path, accessToken)).status).toBe(400)
  })

  it('generates a week of distinct days and activities with unique ids', async () => {
    const { fake } = await started({ activityCount: 12, dayCount: 10 })
    const ids = (type: keyof typeof fake.summaries) =>
      new Set(fake.summaries[type].map((item) => String(item.summaryId))).size
    expect(ids('activities')).toBe(12)
    expect(ids('sleeps')).toBe(10)
    expect(ids('dailies')).toBe(10)
    const [newest, older] = fake.summaries.sleeps
    expect(older?.startTimeInSeconds).toBe((newest?.startTimeInSeconds as number) - day)
    expect(older?.summaryId).toBe('xd3315b1-67d24814-5f46')
  })

  it('delivers to a URL with the garmin-client-id header, and deregisters after DELETE', async () => {
    const { fake, get } = await started()
    const received: { headers: Record<string, unknown>; body: string }[] = []
    const server = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') })
        response.writeHead(200, { 'content-type': 'application/json' })
        response.end('{"ok":true}')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())))
    const { port } = server.address() as AddressInfo
    fake.setReceiver(`http://127.0.0.1:${port}/webhooks/garmin`)
    const response = await fetch(`${fake.apiBaseUrl}/wellness-api/rest/user/registration`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${fake.issueTokens().accessToken}` },
    })
    expect(response.status).toBe(204)
    await fake.settled()
    expect(received).toHaveLength(1)
    expect(received[0]?.headers['garmin-client-id']).toBe(fake.clientId)
    expect(JSON.parse(received[0]?.body ?? '')).toEqual({
      deregistrations: [{ userId: fake.userId }],
    })
    expect((await get('/wellness-api/rest/user/id')).status).toBe(401)
    const pushed = await fake.push(`http://127.0.0.1:${port}/webhooks/garmin`, 'hrv')
    expect(pushed).toEqual({ status: 200, body: { ok: true } })
    expect(JSON.parse(received[1]?.body ?? '').hrv).toHaveLength(7)
  })
})
