import type { HttpClientOptions } from './http-client.js'

const providerHttpKeys = [
  'timeoutMs',
  'retry',
  'rateLimitBudget',
  'rateLimitScope',
  'breaker',
  'fetch',
  'sleep',
  'random',
  'headers',
  'beforeRequest',
  'hooks',
] as const

/**
 * The HTTP settings a provider package takes from its caller and hands on to
 * {@link createHttpClient}: timeout, retries, the shared rate-limit budget and its scope, the
 * breaker, and the test seams (`fetch`, `sleep`, `random`, `hooks`). Packages extend it with their
 * own (a quota, a clock).
 */
export type ProviderHttpOptions = Pick<HttpClientOptions, (typeof providerHttpKeys)[number]>

/**
 * The {@link ProviderHttpOptions} set in `options`, and nothing else (no `undefined` members, which
 * `exactOptionalPropertyTypes` would refuse). Spread it first into `createHttpClient`, then the
 * provider's own settings, which win.
 *
 * @example
 * ```ts
 * createHttpClient({ ...pickHttpOptions(options), provider: 'whoop', baseUrl,
 *   rateLimitScope: options.rateLimitScope ?? 'whoop:app' })
 * ```
 */
export function pickHttpOptions(options: ProviderHttpOptions): ProviderHttpOptions {
  const picked: Record<string, unknown> = {}
  for (const key of providerHttpKeys) {
    if (options[key] !== undefined) picked[key] = options[key]
  }
  return picked as ProviderHttpOptions
}
