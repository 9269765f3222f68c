import { fc, test } from '@fast-check/vitest'
import {
  activitySchema,
  createMemoryDataStore,
  isProviderError,
  sleepSessionSchema,
} from '@pierre/providers-core'
import { describe, expect } from 'vitest'
import {
  createMemoryTerraConnectionStore,
  createTerraWebhookHandler,
  mapTerraActivity,
  mapTerraSleep,
  parseTerraReferenceId,
  parseTerraSignatureHeader,
  signTerraPayload,
  toTerraReferenceId,
  verifyTerraSignature,
} from '../src/index.js'
import { fixture } from './support.js'

const signedAt = 1_741_953_600
const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/)

// Strings that look like signature headers, broken in every way a sender or attacker might.
const headerLike = fc
  .array(
    fc.oneof(
      fc
        .tuple(fc.constantFrom('t', 'v1', 'v0', 'T', ' t', 'v1 '), fc.string())
        .map(([k, v]) => `${k}=${v}`),
      fc.nat().map((n) => `t=${n}`),
      hex64.map((sig) => `v1=${sig}`),
      fc.string(),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(','))

describe('signature header parser', () => {
  test.prop([fc.oneof(headerLike, fc.string(), fc.anything())])(
    'never throws, and only returns well-formed headers',
    (header) => {
      const parsed = parseTerraSignatureHeader(header)
      if (parsed === undefined) return
      expect(Number.isSafeInteger(parsed.timestamp)).toBe(true)
      expect(parsed.signatures.length).toBeGreaterThan(0)
      for (const signature of parsed.signatures) expect(signature).toMatch(/^[0-9a-f]{64}$/)
    },
  )

  test.prop([
    fc.integer({ min: 0, max: 99_999_999_999 }),
    fc.array(hex64, { minLength: 1, maxLength: 8 }),
  ])('reads back what it is given', (timestamp, signatures) => {
    const header = [`t=${timestamp}`, ...signatures.map((signature) => `v1=${signature}`)].join(',')
    expect(parseTerraSignatureHeader(header)).toEqual({ timestamp, signatures })
  })
})

describe('signing and verifying', () => {
  const bodies = fc.oneof(
    fc.string({ unit: 'grapheme' }),
    fc.json(),
    fc.uint8Array({ maxLength: 512 }),
  )

  test.prop([bodies, fc.string({ minLength: 1 }), fc.integer({ min: -300, max: 300 })])(
    'accepts what was signed with the secret within the window',
    (body, secret, skew) => {
      const header = signTerraPayload(body, secret, signedAt)
      const now = () => new Date((signedAt + skew) * 1000)
      expect(verifyTerraSignature(body, header, { secret, now }).ok).toBe(true)
    },
  )

  test.prop([
    fc.uint8Array({ minLength: 1, maxLength: 256 }),
    fc.nat(),
    fc.integer({ min: 1, max: 255 }),
  ])('refuses the body with any single byte changed', (body, position, delta) => {
    const header = signTerraPayload(body, 'secret', signedAt)
    const tampered = Uint8Array.from(body)
    const index = position % tampered.length
    tampered[index] = ((tampered[index] as number) + delta) % 256
    expect(
      verifyTerraSignature(tampered, header, {
        secret: 'secret',
        now: () => new Date(signedAt * 1000),
      }),
    ).toEqual({ ok: false, reason: 'signature_mismatch' })
  })
})

describe('webhook handler', () => {
  const handler = () =>
    createTerraWebhookHandler({
      signingSecret: 'secret',
      dataStore: createMemoryDataStore(),
      connections: createMemoryTerraConnectionStore(),
      now: () => new Date(signedAt * 1000),
    })

  const payloads = fc.oneof(
    fc.string(),
    fc.json(),
    fc
      .record({
        type: fc.constantFrom(
          'activity',
          'sleep',
          'daily',
          'body',
          'auth',
          'deauth',
          'user_reauth',
          'x',
        ),
        user: fc.oneof(
          fc.constant(fixture('webhook_auth.json').user),
          fc.record({ user_id: fc.string(), reference_id: fc.string() }),
          fc.anything(),
        ),
        data: fc.oneof(fc.array(fc.anything(), { maxLength: 3 }), fc.anything()),
        status: fc.oneof(fc.constant('success'), fc.anything()),
      })
      .map((payload) => JSON.stringify(payload)),
  )

  test.prop([payloads])(
    'answers any signed body with 200, 400 or 409, never throwing',
    async (body) => {
      const handle = handler()
      const answer = await handle(body, {
        'terra-signature': signTerraPayload(body, 'secret', signedAt),
      })
      expect([200, 400, 409]).toContain(answer.status)
    },
  )

  test.prop([fc.string(), fc.oneof(headerLike, fc.string())])(
    'answers any unsigned body with 401, never throwing',
    async (body, header) => {
      const answer = await handler()(body, { 'terra-signature': header })
      expect(answer.status).toBe(401)
    },
  )
})

describe('mapping totality', () => {
  const time = fc.oneof(
    fc.constant('2025-03-14T07:02:13.000000-04:00'),
    fc
      .date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true })
      .map((date) => date.toISOString()),
    fc.string(),
    fc.anything(),
  )
  const maybe = <TValue>(arbitrary: fc.Arbitrary<TValue>) =>
    fc.option(arbitrary, { nil: undefined, freq: 3 })
  const number = fc.oneof(fc.double({ noNaN: false }), fc.integer(), fc.constant(null))

  const activities = fc.record({
    metadata: fc.record({
      start_time: time,
      end_time: time,
      type: maybe(fc.oneof(fc.integer({ min: -5, max: 130 }), fc.anything())),
      summary_id: maybe(fc.oneof(fc.string(), fc.integer(), fc.anything())),
      upload_type: maybe(number),
    }),
    heart_rate_data: maybe(
      fc.record({
        summary: fc.record({ avg_hr_bpm: number, max_hr_bpm: number, user_max_hr_bpm: number }),
      }),
    ),
    movement_data: maybe(
      fc.record({ avg_cadence_rpm: number, avg_speed_meters_per_second: number }),
    ),
    distance_data: maybe(
      fc.record({ summary: fc.record({ distance_meters: number, steps: number }) }),
    ),
    position_data: maybe(fc.record({ start_pos_lat_lng_deg: fc.array(number, { maxLength: 3 }) })),
    calories_data: maybe(fc.record({ total_burned_calories: number })),
    lap_data: maybe(
      fc.record({
        laps: fc.array(fc.record({ start_time: time, end_time: time, avg_hr_bpm: number }), {
          maxLength: 3,
        }),
      }),
    ),
  })

  test.prop([activities], { numRuns: 300 })(
    'an activity maps to a schema-valid one or fails with invalid_data, never a TypeError',
    (raw) => {
      try {
        const activity = mapTerraActivity(raw)
        const parsed = activitySchema.safeParse(activity)
        expect(parsed.success, parsed.error?.message).toBe(true)
      } catch (error) {
        expect(isProviderError(error) && error.code).toBe('invalid_data')
      }
    },
  )

  const sleeps = fc.record({
    metadata: fc.record({ start_time: time, end_time: time, is_nap: maybe(fc.anything()) }),
    sleep_durations_data: maybe(
      fc.record({
        asleep: fc.record({
          duration_asleep_state_seconds: number,
          duration_deep_sleep_state_seconds: number,
        }),
        other: fc.record({ duration_in_bed_seconds: number }),
        hypnogram_samples: fc.array(
          fc.record({
            timestamp: time,
            level: fc.oneof(fc.integer({ min: -1, max: 8 }), fc.anything()),
          }),
          {
            maxLength: 6,
          },
        ),
      }),
    ),
    scores: maybe(fc.record({ sleep: number })),
  })

  test.prop([sleeps], { numRuns: 300 })(
    'a sleep session maps to a schema-valid one or fails with invalid_data',
    (raw) => {
      try {
        const session = mapTerraSleep(raw)
        const parsed = sleepSessionSchema.safeParse(session)
        expect(parsed.success, parsed.error?.message).toBe(true)
        expect(session.total_sleep_time).toBeLessThanOrEqual(session.time_in_bed)
      } catch (error) {
        expect(isProviderError(error) && error.code).toBe('invalid_data')
      }
    },
  )
})

describe('reference ids', () => {
  test.prop([fc.string({ minLength: 1 }), fc.string({ minLength: 1 })])(
    'round-trip any tenant and user id, colons included',
    (tenantId, userId) => {
      expect(parseTerraReferenceId(toTerraReferenceId({ tenantId, userId }))).toEqual({
        tenantId,
        userId,
      })
    },
  )

  test.prop([fc.anything()])('never throw on foreign values', (value) => {
    const parsed = parseTerraReferenceId(value)
    if (parsed !== undefined) expect(typeof value).toBe('string')
  })
})
