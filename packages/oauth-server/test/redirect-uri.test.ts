import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { safeEqual } from '../src/internal/crypto.js'
import { escapeHtml, html } from '../src/internal/html.js'
import { checkRedirectUri, matchRedirectUri } from '../src/redirect-uri.js'

describe('redirect URI policy (security spec §1.3.2)', () => {
  it.each([
    'https://app.example.com/cb',
    'https://app.example.com/cb?x=1',
    'http://127.0.0.1/cb',
    'http://127.0.0.1:5555/cb',
    'http://[::1]:8080/cb',
    'http://localhost:3000/oauth/callback',
    'com.example.app:/oauth2redirect',
  ])('allows %s', (uri) => {
    expect(checkRedirectUri(uri)).toBeUndefined()
  })

  it.each([
    ['http://app.example.com/cb', /only to 127.0.0.1/],
    ['javascript:alert(1)', /not allowed/],
    ['file:///etc/passwd', /not allowed/],
    ['urn:ietf:wg:oauth:2.0:oob', /out-of-band/],
    ['https://app.example.com/cb#frag', /fragment/],
    ['https://*.example.com/cb', /wildcard/],
    ['https://u:p@app.example.com/cb', /user information/],
    ['cursor://anysphere/cb', /not allowed/],
    ['/relative', /absolute/],
    ['https://a.example/\r\nx', /control/],
  ])('refuses %s', (uri, reason) => {
    expect(checkRedirectUri(uri)).toMatch(reason)
  })

  it('accepts configured extra schemes', () => {
    expect(checkRedirectUri('cursor://anysphere/cb', ['cursor'])).toBeUndefined()
  })

  it('matches exactly, except the port of loopback http URIs', () => {
    const registered = ['https://app.example.com/cb', 'http://127.0.0.1:5555/cb?x=1']
    expect(matchRedirectUri('https://app.example.com/cb', registered)).toBe(true)
    expect(matchRedirectUri('https://app.example.com:443/cb', registered)).toBe(false)
    expect(matchRedirectUri('https://app.example.com/cb/', registered)).toBe(false)
    expect(matchRedirectUri('http://127.0.0.1:6666/cb?x=1', registered)).toBe(true)
    expect(matchRedirectUri('http://127.0.0.1/cb?x=1', registered)).toBe(true)
    expect(matchRedirectUri('http://127.0.0.1:6666/cb?x=2', registered)).toBe(false)
    expect(matchRedirectUri('http://localhost:5555/cb?x=1', registered)).toBe(false)
  })

  test.prop([fc.string({ maxLength: 300 })])('never throws on arbitrary input', (uri) => {
    const problem = checkRedirectUri(uri)
    expect(problem === undefined || typeof problem === 'string').toBe(true)
    expect(typeof matchRedirectUri(uri, ['https://a.example/cb', 'http://127.0.0.1:1/cb'])).toBe(
      'boolean',
    )
  })

  test.prop([fc.webUrl({ withFragments: false, withQueryParameters: true })])(
    'a registered URI always matches itself and only URIs equal to it (non-loopback)',
    (uri) => {
      expect(matchRedirectUri(uri, [uri])).toBe(true)
      if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])/.test(uri)) {
        expect(matchRedirectUri(`${uri}x`, [uri])).toBe(false)
      }
    },
  )
})

describe('page escaping', () => {
  test.prop([fc.string()])('escaped text contains no markup characters', (text) => {
    expect(escapeHtml(text)).not.toMatch(/[<>"']/)
    expect(html`<p title="${text}">${text}</p>`.safe).not.toMatch(/<(?!\/?p[ >])/)
  })
})

describe('constant-time comparison helper', () => {
  test.prop([fc.string(), fc.string()])('agrees with equality', (a, b) => {
    expect(safeEqual(a, b)).toBe(a === b)
    expect(safeEqual(a, a)).toBe(true)
  })
})
