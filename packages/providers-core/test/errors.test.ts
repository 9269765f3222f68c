import { describe, expect, it } from 'vitest'
import { hasProviderErrorCode, isProviderError, ProviderError, redactUrl } from '../src/index.js'

describe('ProviderError', () => {
  it('carries code, provider, status, retry time and details', () => {
    const error = new ProviderError('rate_limited', 'strava rate limit exceeded', {
      provider: 'strava',
      status: 429,
      retryAfterSeconds: 120,
      details: { limit_type: '15min' },
    })
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('ProviderError')
    expect(error.code).toBe('rate_limited')
    expect(error.retryable).toBe(true)
    expect(error.toJSON()).toEqual({
      code: 'rate_limited',
      message: 'strava rate limit exceeded',
      details: { provider: 'strava', status: 429, retry_after_seconds: 120, limit_type: '15min' },
      retryable: true,
    })
  })

  it.for([
    { code: 'upstream_unavailable', retryable: true },
    { code: 'circuit_open', retryable: true },
    { code: 'not_found', retryable: false },
    { code: 'reauth_required', retryable: false },
  ] as const)('defaults retryable for $code to $retryable', ({ code, retryable }) => {
    expect(new ProviderError(code, 'x').retryable).toBe(retryable)
  })

  it('keeps the raw upstream body non-enumerable so logs never print it', () => {
    const error = new ProviderError('upstream_error', 'strava answered 400', {
      upstreamBody: { message: 'Bad Request', secret: 'token' },
    })
    expect(error.upstreamBody).toEqual({ message: 'Bad Request', secret: 'token' })
    expect(Object.keys(error)).not.toContain('upstreamBody')
    expect(JSON.stringify(error)).not.toContain('secret')
  })

  it('is recognised by brand, also when built by another copy of the package', () => {
    const foreign = Object.assign(new Error('x'), { code: 'not_found' })
    Object.defineProperty(foreign, Symbol.for('@pierre/providers-core.error'), { value: true })
    expect(isProviderError(foreign)).toBe(true)
    expect(isProviderError(new Error('x'))).toBe(false)
    expect(isProviderError(null)).toBe(false)
    expect(hasProviderErrorCode(new ProviderError('not_found', 'x'), 'not_found')).toBe(true)
    expect(hasProviderErrorCode(new ProviderError('not_found', 'x'), 'token_expired')).toBe(false)
  })
})

describe('redactUrl', () => {
  it('hides token-bearing query parameters and credentials', () => {
    expect(
      redactUrl('https://user:pw@open.coros.com/v2/sport/list?token=abc&openId=42&client_secret=s'),
    ).toBe(
      'https://open.coros.com/v2/sport/list?token=%5Bredacted%5D&openId=42&client_secret=%5Bredacted%5D',
    )
    expect(redactUrl('not a url')).toBe('[invalid url]')
  })
})
