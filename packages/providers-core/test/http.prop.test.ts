import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import {
  computeBackoffMs,
  createRateLimitBudget,
  createUsagePairParser,
  parseRateLimitHeaders,
  parseRetryAfter,
} from '../src/index.js'

const now = new Date('2025-03-14T11:07:30Z')
const headerNames = fc.constantFrom(
  'RateLimit',
  'RateLimit-Policy',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'X-RateLimit-Usage',
  'retry-after',
)
const headerValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.nat().map(String),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `${a},${b}`),
  fc.constantFrom('"default";r=0;t=30', '100, 100;w=60', '1e400', '-5', '99999999999999999999'),
)
const headers = fc.dictionary(fc.oneof(headerNames, fc.string()), headerValue)

const stravaParser = createUsagePairParser({
  limitHeader: 'x-ratelimit-limit',
  usageHeader: 'x-ratelimit-usage',
  windows: [
    { name: '15min', seconds: 900 },
    { name: 'daily', seconds: 86_400 },
  ],
})

function isWellFormed(value: number | undefined): boolean {
  return value === undefined || (Number.isFinite(value) && value >= 0)
}

describe('Retry-After parser', () => {
  test.prop([
    fc.option(fc.string({ unit: 'grapheme' }), { nil: undefined }),
    fc.date({ noInvalidDate: true }),
  ])('is total: any string ends as whole seconds ≥ 0 or undefined', (value, at) => {
    const seconds = parseRetryAfter(value, at)
    expect(seconds === undefined || (Number.isSafeInteger(seconds) && seconds >= 0)).toBe(true)
  })

  test.prop([fc.nat()])('reads delay-seconds as they are', (seconds) => {
    expect(parseRetryAfter(` ${seconds} `, now)).toBe(seconds)
  })

  test.prop([
    fc.date({
      min: new Date('1970-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
  ])('reads an IMF-fixdate as the whole seconds until it, never negative', (date) => {
    const whole = new Date(Math.floor(date.getTime() / 1000) * 1000)
    expect(parseRetryAfter(whole.toUTCString(), now)).toBe(
      Math.max(0, Math.ceil((whole.getTime() - now.getTime()) / 1000)),
    )
  })
})

describe('rate-limit header parsers', () => {
  test.prop([headers, fc.date()])(
    'are total and only produce well-formed windows',
    (values, at) => {
      for (const parser of [parseRateLimitHeaders, stravaParser]) {
        const windows = parser(values, at)
        expect(Array.isArray(windows)).toBe(true)
        for (const window of windows) {
          expect(typeof window.name).toBe('string')
          expect(isWellFormed(window.limit)).toBe(true)
          expect(isWellFormed(window.remaining)).toBe(true)
          expect(window.resetAtMs === undefined || Number.isFinite(window.resetAtMs)).toBe(true)
        }
      }
    },
  )

  test.prop([
    fc.record({
      shortLimit: fc.nat(100_000),
      shortUsage: fc.nat(100_000),
      dailyLimit: fc.nat(200_000),
      dailyUsage: fc.nat(200_000),
    }),
    fc.date({ min: new Date(0), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }),
  ])(
    'read Strava pairs: remaining = limit − usage (≥ 0), reset within the next window',
    ({ shortLimit, shortUsage, dailyLimit, dailyUsage }, at) => {
      const windows = stravaParser(
        {
          'X-RateLimit-Limit': `${shortLimit},${dailyLimit}`,
          'X-RateLimit-Usage': `${shortUsage},${dailyUsage}`,
        },
        at,
      )
      expect(windows.map((window) => window.name)).toEqual(['15min', 'daily'])
      const [quarter, day] = windows
      expect(quarter?.remaining).toBe(Math.max(0, shortLimit - shortUsage))
      expect(day?.remaining).toBe(Math.max(0, dailyLimit - dailyUsage))
      const quarterReset = (quarter?.resetAtMs ?? 0) - at.getTime()
      expect(quarterReset > 0 && quarterReset <= 900_000).toBe(true)
      expect(new Date(day?.resetAtMs ?? 0).toISOString().endsWith('T00:00:00.000Z')).toBe(true)
    },
  )

  test.prop([fc.integer({ min: 1, max: 86_400_000 })])(
    'make the budget wait until an exhausted window resets',
    (untilResetMs) => {
      const budget = createRateLimitBudget({ now: () => now })
      budget.record('app', [
        { name: '15min', limit: 100, remaining: 0, resetAtMs: now.getTime() + untilResetMs },
      ])
      const block = budget.check('app')
      expect(block?.retryAfterSeconds).toBe(Math.max(1, Math.ceil(untilResetMs / 1000)))
    },
  )
})

describe('backoff', () => {
  test.prop([
    fc.record({
      retry: fc.integer({ min: 1, max: 100 }),
      initialDelayMs: fc.integer({ min: 0, max: 10_000 }),
      maxDelayMs: fc.integer({ min: 0, max: 60_000 }),
      jitterFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  ])(
    'stays within min(max, initial·2^(n−1)) ± jitter',
    ({ retry, initialDelayMs, maxDelayMs, jitterFraction }, draw) => {
      const delay = computeBackoffMs(
        retry,
        { initialDelayMs, maxDelayMs, jitterFraction },
        () => draw,
      )
      const base = Math.min(maxDelayMs, initialDelayMs * 2 ** (retry - 1))
      expect(delay).toBeGreaterThanOrEqual(Math.floor(base * (1 - jitterFraction)))
      expect(delay).toBeLessThanOrEqual(Math.ceil(base * (1 + jitterFraction)))
    },
  )

  test.prop([fc.integer({ min: 1, max: 20 })])(
    'doubles from 1 s to a 30 s cap with the defaults and no jitter draw',
    (retry) => {
      expect(computeBackoffMs(retry, {}, () => 0.5)).toBe(Math.min(30_000, 1000 * 2 ** (retry - 1)))
    },
  )
})
