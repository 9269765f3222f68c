import { describe, expect, it } from 'vitest'
import { parseHttpDate, parseRateLimitHeaders, parseRetryAfter } from '../src/index.js'

const now = new Date('2025-03-14T11:00:00Z')

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  it.for([
    { value: '120', expected: 120 },
    { value: 'Fri, 14 Mar 2025 11:01:00 GMT', expected: 60 },
    { value: 'Friday, 14-Mar-25 11:00:30 GMT', expected: 30 },
    { value: 'Fri Mar 14 11:00:05 2025', expected: 5 },
    { value: 'Thu, 13 Mar 2025 11:00:00 GMT', expected: 0 },
    { value: '1.5', expected: undefined },
    { value: '-3', expected: undefined },
    { value: 'Fri, 30 Feb 2025 11:00:00 GMT', expected: undefined },
    { value: 'soon', expected: undefined },
    { value: '', expected: undefined },
  ])('"$value" → $expected', ({ value, expected }) => {
    expect(parseRetryAfter(value, now)).toBe(expected)
  })

  it('treats an absent header as undefined', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined()
    expect(parseHttpDate('Fri, 14 Mar 2025 25:00:00 GMT')).toBeUndefined()
  })
})

describe('parseRateLimitHeaders', () => {
  it.for([
    {
      name: 'IETF structured fields',
      headers: { RateLimit: '"default";r=0;t=30', 'RateLimit-Policy': '"default";q=100;w=60' },
      expected: { name: 'default', limit: 100, remaining: 0, resetAtMs: now.getTime() + 30_000 },
    },
    {
      name: 'IETF draft 6 headers',
      headers: {
        'RateLimit-Limit': '100, 100;w=60',
        'RateLimit-Remaining': '7',
        'RateLimit-Reset': '12',
      },
      expected: { name: 'default', limit: 100, remaining: 7, resetAtMs: now.getTime() + 12_000 },
    },
    {
      name: 'X- headers with an epoch reset',
      headers: {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '1741950060',
      },
      expected: { name: 'default', limit: 5000, remaining: 0, resetAtMs: 1_741_950_060_000 },
    },
  ])('reads $name', ({ headers, expected }) => {
    expect(parseRateLimitHeaders(headers, now)).toEqual([expected])
    expect(parseRateLimitHeaders(new Headers(headers), now)).toEqual([expected])
  })

  it('returns nothing when no rate-limit header is present', () => {
    expect(parseRateLimitHeaders({ 'content-type': 'application/json' }, now)).toEqual([])
  })
})
