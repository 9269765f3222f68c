import { describe, expect, it } from 'vitest'
import { circuitBreakerPresets, createCircuitBreaker, ProviderError } from '../src/index.js'
import { createTestClock } from './support/demo.js'

const down = () => Promise.reject(new ProviderError('upstream_unavailable', 'demo answered 503'))

describe('circuit breaker', () => {
  it('has the Rust presets', () => {
    expect(circuitBreakerPresets).toEqual({
      default: { failureThreshold: 5, recoveryTimeoutMs: 30_000, successThreshold: 2 },
      strict: { failureThreshold: 3, recoveryTimeoutMs: 60_000, successThreshold: 3 },
      lenient: { failureThreshold: 10, recoveryTimeoutMs: 15_000, successThreshold: 1 },
    })
  })

  it('lets exactly one probe through while half-open', async () => {
    const clock = createTestClock('2025-03-14T12:00:00Z')
    const breaker = createCircuitBreaker({ provider: 'demo', failureThreshold: 1, now: clock })
    await expect(breaker.run(down)).rejects.toMatchObject({ code: 'upstream_unavailable' })
    clock.advance(30_000)
    let release: () => void = () => {}
    const probe = breaker.run(
      () => new Promise<string>((resolve) => (release = () => resolve('ok'))),
    )
    await expect(breaker.run(async () => 'second')).rejects.toMatchObject({ code: 'circuit_open' })
    release()
    expect(await probe).toBe('ok')
    expect(breaker.state).toBe('half_open')
    expect(await breaker.run(async () => 'again')).toBe('again')
    expect(breaker.state).toBe('closed')
  })

  it('resets the failure count on success and ignores aborts', async () => {
    const breaker = createCircuitBreaker({ provider: 'demo', failureThreshold: 2 })
    await breaker.run(down).catch(() => {})
    await breaker.run(async () => 1)
    await breaker.run(down).catch(() => {})
    await breaker
      .run(() => Promise.reject(new DOMException('aborted', 'AbortError')))
      .catch(() => {})
    expect(breaker.state).toBe('closed')
    await breaker.run(down).catch(() => {})
    expect(breaker.state).toBe('open')
    breaker.reset()
    expect(breaker.state).toBe('closed')
  })
})
