import { describe, expect, it } from 'vitest'
import {
  createCircuitBreaker,
  createRateLimitBudget,
  isDistanceFreeSport,
  pickHttpOptions,
  readHeader,
  sportTypes,
  withoutUndefined,
} from '../src/index.js'

describe('pickHttpOptions', () => {
  it('keeps the HTTP settings that are set, by reference, and nothing else', () => {
    const budget = createRateLimitBudget()
    const breaker = createCircuitBreaker({ provider: 'whoop' })
    const fetchImpl: typeof fetch = async () => new Response('{}')
    const options = {
      timeoutMs: 5000,
      retry: { maxRetries: 2 },
      rateLimitBudget: budget,
      rateLimitScope: 'whoop:app:42',
      breaker,
      fetch: fetchImpl,
      headers: { 'user-agent': 'pierre' },
      // Not an HTTP setting: a provider's own option stays out.
      tokenSource: { getAccessToken: async () => 'secret-token' },
      baseUrl: 'http://127.0.0.1:9',
    }
    const picked = pickHttpOptions(options)
    expect(Object.keys(picked).sort()).toEqual([
      'breaker',
      'fetch',
      'headers',
      'rateLimitBudget',
      'rateLimitScope',
      'retry',
      'timeoutMs',
    ])
    expect(picked.rateLimitBudget).toBe(budget)
    expect(picked.breaker).toBe(breaker)
    expect(picked.fetch).toBe(fetchImpl)
    expect('random' in picked).toBe(false)
  })

  it('gives an empty object when nothing is set', () => {
    expect(pickHttpOptions({})).toEqual({})
  })
})

describe('readHeader', () => {
  it('reads fetch Headers and Node header records in any letter case', () => {
    expect(readHeader(new Headers({ 'Terra-Signature': 't=1,v1=ab' }), 'terra-signature')).toBe(
      't=1,v1=ab',
    )
    expect(readHeader({ 'Garmin-Client-Id': 'abc' }, 'garmin-client-id')).toBe('abc')
    expect(readHeader({ secret: 's' }, 'SECRET')).toBe('s')
  })

  it('joins a repeated header as Headers does, and answers undefined for a missing one', () => {
    expect(readHeader({ client: ['a', 'b'] }, 'client')).toBe('a, b')
    expect(readHeader({ client: undefined }, 'client')).toBeUndefined()
    expect(readHeader({}, 'client')).toBeUndefined()
  })
})

describe('withoutUndefined', () => {
  it('drops undefined members and keeps null, zero, false and empty strings', () => {
    expect(
      withoutUndefined({ a: undefined, b: null, c: 0, d: false, e: '', f: [undefined] }),
    ).toEqual({ b: null, c: 0, d: false, e: '', f: [undefined] })
    expect(Object.keys(withoutUndefined({ a: undefined }))).toEqual([])
  })
})

describe('isDistanceFreeSport', () => {
  it('names the sports that cover no ground, and no others', () => {
    const free = sportTypes.filter((sport) => isDistanceFreeSport(sport))
    expect(free).toEqual([
      'workout',
      'yoga',
      'pilates',
      'crossfit',
      'strength_training',
      'rock_climbing',
    ])
    expect(isDistanceFreeSport('run')).toBe(false)
    expect(isDistanceFreeSport('other')).toBe(false)
  })
})
