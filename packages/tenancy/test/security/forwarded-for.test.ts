import { describe, expect, it } from 'vitest'
import {
  createMemoryStores,
  createRateLimiter,
  getClientAddress,
  isTenancyError,
  parseTrustProxy,
} from '../../src/index.js'
import { createClock } from '../support.js'

// Threat catalogue T-32: rate-limit bypass through spoofed X-Forwarded-For.

const socket = '203.0.113.50'

async function loginAttempts(
  trust: ReturnType<typeof parseTrustProxy>,
  headerFor: (i: number) => string,
) {
  const clock = createClock()
  const stores = createMemoryStores()
  const limiter = createRateLimiter({
    store: stores.rateLimits,
    tenants: stores.tenants,
    now: clock.now,
  })
  const answers: boolean[] = []
  for (let i = 0; i < 30; i += 1) {
    const clientIp = getClientAddress({
      socketAddress: socket,
      forwardedFor: headerFor(i),
      trustProxy: trust,
    })
    answers.push(
      (await limiter.consume(`login:${clientIp}`, { limit: 20, windowSeconds: 60 })).allowed,
    )
  }
  return answers
}

describe('client address', () => {
  it('T-32 without trust proxy, 30 logins with 30 spoofed X-Forwarded-For values hit 429 after 20', async () => {
    const answers = await loginAttempts(false, (i) => `10.0.0.${i}`)
    expect(answers.filter(Boolean)).toHaveLength(20)
    expect(answers.slice(20)).toEqual(Array(10).fill(false))
  })

  it('T-32 with one trusted proxy only the address it appended counts; spoofed leftmost entries are ignored', async () => {
    const answers = await loginAttempts(1, (i) => `10.0.0.${i}, 198.51.100.9`)
    expect(answers.filter(Boolean)).toHaveLength(20)
    expect(
      getClientAddress({
        socketAddress: socket,
        forwardedFor: '1.2.3.4, 5.6.7.8, 198.51.100.9',
        trustProxy: 1,
      }),
    ).toBe('198.51.100.9')
  })

  it('T-32 ignores forwarded headers entirely when trust is off, including garbage', () => {
    expect(
      getClientAddress({
        socketAddress: `::ffff:${socket}`,
        forwardedFor: '1.1.1.1',
        trustProxy: false,
      }),
    ).toBe(socket)
    expect(
      getClientAddress({ socketAddress: socket, forwardedFor: 'not-an-ip', trustProxy: 1 }),
    ).toBe(socket)
  })

  it('T-32 walks past trusted proxy ranges and stops at the first untrusted address', () => {
    const trust = parseTrustProxy('10.0.0.0/8, loopback')
    expect(
      getClientAddress({
        socketAddress: '127.0.0.1',
        forwardedFor: ['6.6.6.6, 198.51.100.9', '10.1.2.3'],
        trustProxy: trust,
      }),
    ).toBe('198.51.100.9')
    expect(
      getClientAddress({ socketAddress: socket, forwardedFor: '6.6.6.6', trustProxy: trust }),
    ).toBe(socket)
    expect(
      getClientAddress({ socketAddress: '::1', forwardedFor: '2001:db8::1', trustProxy: trust }),
    ).toBe('2001:db8::1')
  })

  it('parses trust settings and refuses "true" (trust everyone)', () => {
    expect(parseTrustProxy(undefined)).toBe(false)
    expect(parseTrustProxy('false')).toBe(false)
    expect(parseTrustProxy('2')).toBe(2)
    expect(parseTrustProxy('192.0.2.0/24,::1')).toEqual(['192.0.2.0/24', '::1'])
    for (const bad of ['true', '10.0.0.0/33', 'proxy.example']) {
      let caught: unknown
      try {
        parseTrustProxy(bad)
      } catch (error) {
        caught = error
      }
      expect(isTenancyError(caught) && caught.code).toBe('invalid_argument')
    }
  })
})
