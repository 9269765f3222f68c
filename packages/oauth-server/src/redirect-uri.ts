/** Why a redirect URI was refused (registration answers `invalid_redirect_uri` with it). */
export type RedirectUriProblem = string

const loopbackHosts = new Set(['127.0.0.1', '[::1]', 'localhost'])
const forbiddenSchemes = new Set([
  'javascript:',
  'data:',
  'file:',
  'vbscript:',
  'blob:',
  'about:',
  'ws:',
  'wss:',
  'ftp:',
])

/**
 * Checks one redirect URI against the policy of security spec §1.3.2: parseable, no fragment, no
 * user-info, no `*`, no out-of-band URN; `https` to any host, `http` only to a loopback literal
 * (`127.0.0.1`, `[::1]`, `localhost`), a private-use scheme in reverse-domain form (RFC 8252 §7.1),
 * or a scheme named in `extraSchemes`. Returns the problem, or undefined when the URI is allowed.
 */
export function checkRedirectUri(
  uri: string,
  extraSchemes: readonly string[] = [],
): RedirectUriProblem | undefined {
  if (uri.length === 0) return 'empty redirect URI'
  if (uri.length > 2000) return 'redirect URI longer than 2000 characters'
  // Raw control characters, whitespace and CR/LF (also percent-encoded) would reach headers.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (/[\u0000-\u0020\u007f]/.test(uri) || /%0[ad]/i.test(uri)) {
    return 'redirect URI contains whitespace or control characters'
  }
  if (uri.includes('*')) return 'redirect URI contains a wildcard'
  if (uri.includes('#')) return 'redirect URI contains a fragment'
  if (uri.toLowerCase().startsWith('urn:ietf:wg:oauth:2.0:oob')) {
    return 'out-of-band redirect URIs are not allowed'
  }
  let url: URL
  try {
    url = new URL(uri)
  } catch {
    return 'redirect URI is not an absolute URL'
  }
  if (url.username !== '' || url.password !== '' || /^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(uri)) {
    return 'redirect URI contains user information'
  }
  const scheme = url.protocol
  if (forbiddenSchemes.has(scheme)) return `scheme ${scheme} is not allowed`
  if (scheme === 'https:') {
    return url.hostname === '' ? 'redirect URI has no host' : undefined
  }
  if (scheme === 'http:') {
    return loopbackHosts.has(url.hostname)
      ? undefined
      : 'http redirect URIs are allowed only to 127.0.0.1, [::1] or localhost'
  }
  const name = scheme.slice(0, -1)
  if (extraSchemes.includes(name)) return undefined
  if (name.includes('.')) return undefined
  return `scheme ${scheme} is not allowed (use https, loopback http, or a reverse-domain scheme)`
}

/** True when `uri` is an http URI to a loopback host, whose port may vary (RFC 8252 §7.3). */
function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && loopbackHosts.has(url.hostname)
}

/**
 * Matches a requested redirect URI against the registered ones: exact string equality, except that
 * for loopback http URIs the port may differ (scheme, host, path and query still identical).
 */
export function matchRedirectUri(requested: string, registered: readonly string[]): boolean {
  if (registered.includes(requested)) return true
  let url: URL
  try {
    url = new URL(requested)
  } catch {
    return false
  }
  if (!isLoopbackHttp(url) || requested.includes('#') || url.username !== '') return false
  // The requested URI must be exactly the registered one with only the port changed.
  return registered.some((candidate) => {
    let base: URL
    try {
      base = new URL(candidate)
    } catch {
      return false
    }
    if (!isLoopbackHttp(base) || base.hostname !== url.hostname) return false
    const withoutPort = (text: string, parsed: URL) =>
      parsed.port === '' ? text : text.replace(`${parsed.hostname}:${parsed.port}`, parsed.hostname)
    return withoutPort(requested, url) === withoutPort(candidate, base)
  })
}

/** The CSP `form-action` source of a redirect URI: its origin, or its scheme for native apps. */
export function formActionSource(uri: string): string {
  const url = new URL(uri)
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol
}
