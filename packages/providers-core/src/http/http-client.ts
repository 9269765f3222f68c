import type { z } from 'zod'
import { isProviderError, ProviderError, redactUrl, truncateForMessage } from '../errors.js'
import { anySignal, sleep as defaultSleep, throwIfAborted } from '../internal/abort.js'
import { parseJsonPreservingBigIntegers } from '../internal/json.js'
import type { AccessTokenSource } from '../oauth/types.js'
import type { CircuitBreaker } from './circuit-breaker.js'
import type { RateLimitBudget, RateLimitParser, RateLimitWindow } from './rate-limit.js'
import { createRateLimitBudget, parseRateLimitHeaders } from './rate-limit.js'
import type { RetryPolicy } from './retry.js'
import { computeBackoffMs, defaultRetryPolicy, parseRetryAfter } from './retry.js'

/** A query parameter value; arrays are sent comma-separated, `undefined` is left out. */
export type QueryValue = string | number | boolean | undefined | readonly (string | number)[]

/** One request made through an {@link HttpClient}. */
export interface HttpRequest {
  /** `GET` by default. */
  readonly method?: string
  /**
   * Path relative to the client's `baseUrl` (`/athlete/activities`), or an absolute URL on the same
   * origin (a provider's `next` link).
   */
  readonly path: string
  readonly query?: Readonly<Record<string, QueryValue>>
  readonly headers?: Readonly<Record<string, string>>
  /** A JSON value (sent as JSON), `URLSearchParams` (sent as a form) or a string. */
  readonly body?: unknown
  readonly signal?: AbortSignal
  /** Overrides the client's per-attempt timeout, ms. */
  readonly timeoutMs?: number
  /** Overrides the retry count; `GET`/`HEAD` use the policy's `maxRetries`, others 0. */
  readonly maxRetries?: number
  /** Whether to send the access token; true when the client has `auth`. */
  readonly authenticated?: boolean
  /** What is fetched (`activity`), for `not_found` errors. */
  readonly resource?: string
  /** Which one (`13876543210`), for `not_found` errors. */
  readonly resourceId?: string
}

/** A successful response: status 2xx, parsed body (JSON, or text when not JSON). */
export interface HttpResponse {
  readonly status: number
  readonly headers: Headers
  readonly body: unknown
  /** Final URL, secrets redacted. */
  readonly url: string
}

/** What a provider's {@link HttpClientOptions.classifyResponse} sees of an error response. */
export interface ErrorResponseInfo {
  readonly status: number
  readonly headers: Headers
  /** Parsed JSON body, or the text when it is not JSON. */
  readonly body: unknown
  readonly method: string
  readonly path: string
  readonly resource: string | undefined
  readonly resourceId: string | undefined
}

/** What {@link HttpClientHooks.onRetry} receives. */
export interface RetryEvent {
  readonly provider: string
  readonly method: string
  /** URL with secrets redacted. */
  readonly url: string
  /** 1 for the first retry. */
  readonly retry: number
  readonly delayMs: number
  readonly reason: 'status' | 'network' | 'timeout' | 'rate_limited'
  readonly status: number | undefined
}

/** What {@link HttpClientHooks.onResponse} receives. */
export interface ResponseEvent {
  readonly provider: string
  readonly method: string
  readonly url: string
  readonly status: number
  readonly durationMs: number
}

/** Observers of an {@link HttpClient} (libraries never log; STYLE B.7). */
export interface HttpClientHooks {
  /** Called before waiting for a retry. */
  readonly onRetry?: (event: RetryEvent) => void
  /** Called for every response received, successful or not. */
  readonly onResponse?: (event: ResponseEvent) => void
  /** Called with the windows read from each response's headers. */
  readonly onRateLimit?: (event: {
    readonly provider: string
    readonly scope: string
    readonly windows: readonly RateLimitWindow[]
  }) => void
}

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** Provider registry name, for errors and events. */
  readonly provider: string
  /** Base URL of the API (`https://www.strava.com/api/v3`); tests pass a loopback URL. */
  readonly baseUrl: string
  /** Source of access tokens; a 401 makes the client refresh once and retry once. */
  readonly auth?: AccessTokenSource
  /** Puts the token on a request; `Authorization: Bearer <token>` by default. */
  readonly applyToken?: (
    token: string,
    request: { readonly url: URL; readonly headers: Headers },
  ) => void
  /** `globalThis.fetch` by default. */
  readonly fetch?: typeof fetch
  /** Per-attempt timeout, ms; 30 000 by default. */
  readonly timeoutMs?: number
  /** Retry policy; {@link defaultRetryPolicy} by default. */
  readonly retry?: Partial<RetryPolicy>
  /** Reads rate-limit headers; {@link parseRateLimitHeaders} by default. */
  readonly rateLimitParser?: RateLimitParser
  /** Budget shared by every client of one credential; a private one by default. */
  readonly rateLimitBudget?: RateLimitBudget
  /** Budget scope (`strava:app:<client id>`); the provider name by default. */
  readonly rateLimitScope?: string
  /** Circuit breaker shared per provider credential; none when absent. */
  readonly breaker?: CircuitBreaker
  /**
   * Maps a provider's own error bodies to errors (Strava's missing-scope 401). Return `undefined`
   * for the default mapping.
   */
  readonly classifyResponse?: (response: ErrorResponseInfo) => ProviderError | undefined
  /** Runs before each attempt and may throw (a tenant's daily quota → `quota_exceeded`). */
  readonly beforeRequest?: (request: {
    readonly method: string
    readonly url: string
  }) => void | Promise<void>
  /** Headers sent with every request (`User-Agent`). `Accept: application/json` is the default. */
  readonly headers?: Readonly<Record<string, string>>
  /** Current time; `() => new Date()` by default. */
  readonly now?: () => Date
  /** Random numbers in [0, 1) for jitter; `Math.random` by default. */
  readonly random?: () => number
  /** Waits between retries; a `setTimeout` sleep by default. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  readonly hooks?: HttpClientHooks
}

/** Options of {@link HttpClient.getJson}. */
export interface GetJsonOptions<TResult> {
  readonly query?: Readonly<Record<string, QueryValue>>
  readonly headers?: Readonly<Record<string, string>>
  readonly signal?: AbortSignal
  /** Validates the body; a mismatch rejects with `invalid_data`. */
  readonly schema?: z.ZodType<TResult>
  readonly resource?: string
  readonly resourceId?: string
}

/** The HTTP behaviour shared by every provider: timeouts, retries, rate limits, breaker, auth. */
export interface HttpClient {
  /**
   * Sends a request and resolves with a 2xx response.
   *
   * @throws ProviderError `not_found` (404), `token_expired` (401 after one refresh),
   *   `insufficient_scope`, `rate_limited` (429 or local budget, with `retryAfterSeconds`),
   *   `circuit_open`, `upstream_unavailable` (5xx, network, timeout after retries),
   *   `upstream_error` (other statuses), `invalid_data` (unreadable 2xx body); the caller's abort
   *   reason when `signal` aborts.
   */
  request(request: HttpRequest): Promise<HttpResponse>
  /** Sends a `GET` and returns the body, validated by `schema` when given. */
  getJson<TResult = unknown>(path: string, options?: GetJsonOptions<TResult>): Promise<TResult>
}

const defaultTimeoutMs = 30_000

/**
 * Creates an {@link HttpClient} over `fetch`.
 *
 * Each attempt has its own timeout. `GET` and `HEAD` are retried on 429, 5xx, network errors and
 * timeouts with jittered exponential backoff; a `Retry-After` (seconds or HTTP date) or a known
 * rate-limit reset is waited out when it is at most `maxRetryAfterSeconds`, otherwise the call
 * fails at once with `rate_limited`. 400, 401, 403, 404 and other 4xx are never retried, except
 * that a 401 makes the client refresh the token once and repeat the call once. An exhausted
 * rate-limit window fails locally without spending a request.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const provider = options.provider
  const base = parseBaseUrl(options.baseUrl, provider)
  const fetchImpl = options.fetch ?? globalThis.fetch
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...definedEntries(options.retry ?? {}) }
  const parser = options.rateLimitParser ?? parseRateLimitHeaders
  const now = options.now ?? (() => new Date())
  const budget = options.rateLimitBudget ?? createRateLimitBudget({ now })
  const scope = options.rateLimitScope ?? provider
  const random = options.random ?? Math.random
  const wait = options.sleep ?? defaultSleep
  const hooks = options.hooks ?? {}
  const applyToken =
    options.applyToken ??
    ((token: string, request: { readonly headers: Headers }) => {
      request.headers.set('authorization', `Bearer ${token}`)
    })

  const buildUrl = (request: HttpRequest): URL => {
    let url: URL
    if (/^https?:\/\//i.test(request.path)) {
      url = new URL(request.path)
      if (url.origin !== base.origin) {
        throw new ProviderError(
          'invalid_argument',
          `refusing to send a request for ${provider} to another origin than ${base.origin}`,
          { provider },
        )
      }
    } else {
      const basePath = base.pathname.replace(/\/+$/, '')
      const path = request.path.startsWith('/') ? request.path : `/${request.path}`
      url = new URL(`${basePath}${path}`, base.origin)
    }
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value === undefined) continue
      url.searchParams.set(name, Array.isArray(value) ? value.join(',') : String(value))
    }
    return url
  }

  const attempt = async (
    request: HttpRequest,
    target: { readonly method: string; readonly url: URL; readonly token: string | undefined },
  ): Promise<HttpResponse> => {
    const { method, url, token } = target
    const timeoutMs = request.timeoutMs ?? options.timeoutMs ?? defaultTimeoutMs
    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, timeoutMs)
    const signal = anySignal([controller.signal, request.signal]) as AbortSignal
    const safeUrl = redactUrl(url)
    const started = now().getTime()
    const transportError = (error: unknown): unknown => {
      if (request.signal?.aborted) return request.signal.reason
      if (timedOut) {
        return new ProviderError(
          'upstream_unavailable',
          `request to ${provider} timed out after ${timeoutMs} ms`,
          { provider, details: { reason: 'timeout' }, cause: error },
        )
      }
      return new ProviderError(
        'upstream_unavailable',
        `request to ${provider} failed: network error`,
        {
          provider,
          details: { reason: 'network' },
          cause: error,
        },
      )
    }
    try {
      const headers = new Headers({
        accept: 'application/json',
        ...options.headers,
        ...request.headers,
      })
      if (token !== undefined) applyToken(token, { url, headers })
      const init: RequestInit = { method, headers, signal }
      const body = encodeBody(request.body, headers)
      if (body !== undefined) init.body = body
      let response: Response
      let text: string
      try {
        response = await fetchImpl(url, init)
        text = await response.text()
      } catch (error) {
        throw transportError(error)
      }
      const windows = parser(response.headers, now())
      if (windows.length > 0) {
        budget.record(scope, windows)
        hooks.onRateLimit?.({ provider, scope, windows })
      }
      hooks.onResponse?.({
        provider,
        method,
        url: safeUrl,
        status: response.status,
        durationMs: Math.max(0, now().getTime() - started),
      })
      const parsed = parseBody(text, response.headers)
      if (response.ok) {
        if (parsed.error !== undefined) {
          throw new ProviderError(
            'invalid_data',
            `${provider} sent a body that is not valid JSON`,
            {
              provider,
              status: response.status,
              cause: parsed.error,
              upstreamBody: text,
            },
          )
        }
        return {
          status: response.status,
          headers: response.headers,
          body: parsed.value,
          url: safeUrl,
        }
      }
      throw classify({
        status: response.status,
        headers: response.headers,
        body: parsed.value,
        method,
        path: url.pathname,
        resource: request.resource,
        resourceId: request.resourceId,
      })
    } finally {
      clearTimeout(timer)
    }
  }

  const classify = (info: ErrorResponseInfo): ProviderError => {
    const custom = options.classifyResponse?.(info)
    if (custom !== undefined) return withBody(custom, info.body)
    const { status, headers, body } = info
    const common = { provider, status, upstreamBody: body }
    const challenge = headers.get('www-authenticate') ?? ''
    if (/error\s*=\s*"?insufficient_scope/i.test(challenge)) {
      return new ProviderError(
        'insufficient_scope',
        `${provider} refused the call: a scope is missing`,
        common,
      )
    }
    if (status === 401) {
      return new ProviderError('token_expired', `${provider} rejected the access token`, common)
    }
    if (status === 404) {
      const what = info.resource ?? 'resource'
      return new ProviderError(
        'not_found',
        info.resourceId === undefined
          ? `${provider} has no such ${what}`
          : `${provider} has no ${what} ${truncateForMessage(info.resourceId)}`,
        {
          ...common,
          details: {
            resource_type: what,
            ...(info.resourceId === undefined ? {} : { resource_id: info.resourceId }),
          },
        },
      )
    }
    if (status === 429) {
      const retryAfter = parseRetryAfter(headers.get('retry-after'), now())
      const block = budget.check(scope)
      const retryAfterSeconds = retryAfter ?? block?.retryAfterSeconds
      return new ProviderError('rate_limited', `${provider} rate limit exceeded`, {
        ...common,
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
        details: block === undefined ? {} : { limit_type: block.window.name },
      })
    }
    if (status >= 500) {
      const retryAfter = parseRetryAfter(headers.get('retry-after'), now())
      return new ProviderError('upstream_unavailable', `${provider} answered ${status}`, {
        ...common,
        ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
        details: { reason: 'status' },
      })
    }
    return new ProviderError('upstream_error', `${provider} answered ${status}`, common)
  }

  const request = async (input: HttpRequest): Promise<HttpResponse> => {
    const method = (input.method ?? 'GET').toUpperCase()
    const url = buildUrl(input)
    const safeUrl = redactUrl(url)
    const idempotent = method === 'GET' || method === 'HEAD'
    const maxRetries = Math.max(0, input.maxRetries ?? (idempotent ? policy.maxRetries : 0))
    const useAuth =
      (input.authenticated ?? options.auth !== undefined) && options.auth !== undefined
    let retry = 0
    let rejectedToken: string | undefined
    let authRetried = false
    for (;;) {
      throwIfAborted(input.signal)
      const block = budget.check(scope)
      if (block !== undefined) {
        throw new ProviderError(
          'rate_limited',
          `${provider} ${block.window.name} rate-limit window is used up`,
          {
            provider,
            retryAfterSeconds: block.retryAfterSeconds,
            details: { limit_type: block.window.name, local: true },
          },
        )
      }
      await options.beforeRequest?.({ method, url: safeUrl })
      let token: string | undefined
      if (useAuth && options.auth !== undefined) {
        token = await options.auth.getAccessToken({
          ...(rejectedToken === undefined ? {} : { forceRefresh: true, rejectedToken }),
          ...(input.signal === undefined ? {} : { signal: input.signal }),
        })
      }
      try {
        const run = () => attempt(input, { method, url, token })
        return await (options.breaker === undefined ? run() : options.breaker.run(run))
      } catch (error) {
        if (!isProviderError(error)) throw error
        if (error.code === 'token_expired' && useAuth && !authRetried) {
          authRetried = true
          rejectedToken = token
          continue
        }
        const retryable =
          (error.code === 'upstream_unavailable' || error.code === 'rate_limited') &&
          error.details?.local !== true
        if (!retryable) throw error
        const asked = error.retryAfterSeconds
        if (
          error.code === 'rate_limited' &&
          asked !== undefined &&
          asked > policy.maxRetryAfterSeconds
        ) {
          throw error
        }
        const nextRetry = retry + 1
        const backoffMs = computeBackoffMs(nextRetry, policy, random)
        if (retry >= maxRetries) {
          if (error.code === 'rate_limited' && asked === undefined) {
            throw copyWith(error, { retryAfterSeconds: Math.max(1, Math.ceil(backoffMs / 1000)) })
          }
          throw error
        }
        const delayMs =
          asked !== undefined && asked <= policy.maxRetryAfterSeconds ? asked * 1000 : backoffMs
        retry = nextRetry
        hooks.onRetry?.({
          provider,
          method,
          url: safeUrl,
          retry,
          delayMs,
          reason:
            error.code === 'rate_limited'
              ? 'rate_limited'
              : ((error.details?.reason as RetryEvent['reason'] | undefined) ?? 'status'),
          status: error.status,
        })
        await wait(delayMs, input.signal)
      }
    }
  }

  return {
    request,
    async getJson<TResult>(
      path: string,
      getOptions: GetJsonOptions<TResult> = {},
    ): Promise<TResult> {
      const response = await request({
        path,
        ...(getOptions.query === undefined ? {} : { query: getOptions.query }),
        ...(getOptions.headers === undefined ? {} : { headers: getOptions.headers }),
        ...(getOptions.signal === undefined ? {} : { signal: getOptions.signal }),
        ...(getOptions.resource === undefined ? {} : { resource: getOptions.resource }),
        ...(getOptions.resourceId === undefined ? {} : { resourceId: getOptions.resourceId }),
      })
      if (getOptions.schema === undefined) return response.body as TResult
      const result = getOptions.schema.safeParse(response.body)
      if (result.success) return result.data
      const issues = result.error.issues.slice(0, 20).map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      }))
      throw new ProviderError(
        'invalid_data',
        `${provider} response to ${path.split('?')[0]} has an unexpected shape: ${truncateForMessage(
          issues.map((issue) => `${issue.path || '(root)'} ${issue.message}`).join('; '),
        )}`,
        { provider, status: response.status, details: { issues }, upstreamBody: response.body },
      )
    },
  }
}

function parseBaseUrl(baseUrl: string, provider: string): URL {
  try {
    const url = new URL(baseUrl)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError('not http')
    return url
  } catch (error) {
    throw new ProviderError('not_configured', `base URL of ${provider} is not an http(s) URL`, {
      provider,
      cause: error,
    })
  }
}

function encodeBody(body: unknown, headers: Headers): RequestInit['body'] | undefined {
  if (body === undefined) return undefined
  if (body instanceof URLSearchParams) {
    if (!headers.has('content-type'))
      headers.set('content-type', 'application/x-www-form-urlencoded')
    return body
  }
  if (typeof body === 'string') return body
  if (!headers.has('content-type')) headers.set('content-type', 'application/json')
  return JSON.stringify(body)
}

function parseBody(text: string, headers: Headers): { value: unknown; error?: unknown } {
  if (text === '') return { value: undefined }
  const type = headers.get('content-type') ?? ''
  const looksJson = /json/i.test(type) || /^\s*[[{]/.test(text)
  if (!looksJson) return { value: text }
  try {
    return { value: parseJsonPreservingBigIntegers(text) }
  } catch (error) {
    return /json/i.test(type) ? { value: text, error } : { value: text }
  }
}

function withBody(error: ProviderError, body: unknown): ProviderError {
  return error.upstreamBody === undefined ? copyWith(error, { upstreamBody: body }) : error
}

function copyWith(
  error: ProviderError,
  changes: { readonly retryAfterSeconds?: number; readonly upstreamBody?: unknown },
): ProviderError {
  const retryAfterSeconds = changes.retryAfterSeconds ?? error.retryAfterSeconds
  return new ProviderError(error.code, error.message, {
    ...(error.provider === undefined ? {} : { provider: error.provider }),
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.details === undefined ? {} : { details: error.details }),
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    retryable: error.retryable,
    cause: error.cause,
    upstreamBody: 'upstreamBody' in changes ? changes.upstreamBody : error.upstreamBody,
  })
}

function definedEntries<TValue extends object>(value: TValue): Partial<TValue> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<TValue>
}
