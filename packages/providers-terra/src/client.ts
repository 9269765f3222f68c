import type {
  CircuitBreaker,
  ErrorResponseInfo,
  HttpClient,
  HttpClientHooks,
  HttpRequest,
  HttpResponse,
  RateLimitBudget,
  RetryPolicy,
} from '@pierre/providers-core'
import { createHttpClient, isProviderError, ProviderError } from '@pierre/providers-core'
import { z } from 'zod'
import { terraApiBaseUrl } from './descriptor.js'
import type { DayLedger } from './internal/day-budget.js'
import { createDayLedger, requestDays } from './internal/day-budget.js'
import type { Raw } from './internal/read.js'
import type { TerraUserDto } from './schemas.js'
import {
  terraAuthenticateUserSchema,
  terraDataResponseSchema,
  terraDeauthenticateSchema,
  terraSubscriptionsSchema,
  terraUserInfoSchema,
  terraWidgetSessionSchema,
} from './schemas.js'

/** The data endpoints of Terra's API v2. */
export type TerraDataType =
  | 'activity'
  | 'sleep'
  | 'daily'
  | 'body'
  | 'nutrition'
  | 'menstruation'
  | 'athlete'

/** A Terra user: one wearable account connected through Terra. */
export interface TerraUser {
  readonly terraUserId: string
  /** The wearable behind it (`GARMIN`, `OURA`…). */
  readonly resource: string | undefined
  /** The `reference_id` given at connection (see `toTerraReferenceId`). */
  readonly referenceId: string | undefined
  readonly scopes: readonly string[]
  readonly active: boolean | undefined
  /** When Terra last sent data for this user, as Terra wrote it. */
  readonly lastWebhookUpdate: string | undefined
}

/** What to ask Terra for in {@link TerraClient.generateWidgetSession}. */
export interface TerraWidgetSessionRequest {
  /** Who is connecting; `toTerraReferenceId({ tenantId, userId })`. */
  readonly referenceId: string
  /** Wearables offered in the widget (`GARMIN`, `OURA`…); all of the dev id's by default. */
  readonly providers?: readonly string[]
  readonly language?: string
  readonly successRedirectUrl?: string
  readonly failureRedirectUrl?: string
}

/** A widget session: send the person to `url` (valid `expiresInSeconds`, 900 s at Terra). */
export interface TerraWidgetSession {
  readonly sessionId: string
  readonly url: string
  readonly expiresInSeconds: number | undefined
}

/** What to ask Terra for in {@link TerraClient.authenticateUser}. */
export interface TerraAuthenticationRequest {
  /** The wearable to connect directly (`GARMIN`). */
  readonly resource: string
  readonly referenceId: string
  readonly language?: string
  readonly successRedirectUrl?: string
  readonly failureRedirectUrl?: string
}

/** A pending direct connection: send the person to `authUrl`. */
export interface TerraAuthentication {
  readonly terraUserId: string
  readonly authUrl: string
  readonly referenceId: string | undefined
}

/** What `GET /userInfo` says about one Terra user. */
export interface TerraUserInfo {
  readonly user: TerraUser
  readonly isAuthenticated: boolean | undefined
}

/** The query of {@link TerraClient.fetchData}. */
export interface TerraDataQuery {
  readonly terraUserId: string
  /** `YYYY-MM-DD` or Unix seconds. Required except for `athlete`. */
  readonly startDate?: string | number
  /** `YYYY-MM-DD` or Unix seconds. */
  readonly endDate?: string | number
  /** Ask Terra to deliver the data to the webhook instead (it answers with a `reference`). */
  readonly toWebhook?: boolean
  /** Include the `*_samples` arrays (heart rate, speed, position, hypnogram…). */
  readonly withSamples?: boolean
}

/** The answer of a data endpoint: the data objects, or a `reference` to a webhook delivery. */
export interface TerraDataResponse {
  readonly user: TerraUser | undefined
  /** Terra's data objects as sent (map them with `mapTerraActivity`, `mapTerraSleep`…). */
  readonly data: readonly Raw[] | undefined
  /** Set when Terra will deliver the data to the webhook. */
  readonly reference: string | undefined
}

/** Options every client call accepts. */
export interface TerraCallOptions {
  readonly signal?: AbortSignal
}

/** Terra's REST API v2 with one app credential (`dev-id` + `x-api-key`). */
export interface TerraClient {
  /** Creates a widget session (`POST /auth/generateWidgetSession`). */
  generateWidgetSession(
    request: TerraWidgetSessionRequest,
    options?: TerraCallOptions,
  ): Promise<TerraWidgetSession>
  /** Starts a direct connection to one wearable (`POST /auth/authenticateUser?resource=`). */
  authenticateUser(
    request: TerraAuthenticationRequest,
    options?: TerraCallOptions,
  ): Promise<TerraAuthentication>
  /** Returns one Terra user (`GET /userInfo?user_id=`). */
  getUserInfo(terraUserId: string, options?: TerraCallOptions): Promise<TerraUserInfo>
  /** Returns every Terra user of the dev id (`GET /subscriptions`). */
  listSubscriptions(options?: TerraCallOptions): Promise<readonly TerraUser[]>
  /** Disconnects a Terra user (`DELETE /auth/deauthenticateUser?user_id=`). */
  deauthenticateUser(terraUserId: string, options?: TerraCallOptions): Promise<void>
  /** Fetches data of one type for one Terra user (`GET /{type}?user_id&start_date&end_date…`). */
  fetchData(
    type: TerraDataType,
    query: TerraDataQuery,
    options?: TerraCallOptions,
  ): Promise<TerraDataResponse>
}

/** HTTP settings of a Terra client, passed to providers-core's `createHttpClient`. */
export interface TerraHttpOptions {
  /** Per-attempt timeout, ms; 30 000 by default. */
  readonly timeoutMs?: number
  readonly retry?: Partial<RetryPolicy>
  /** Budget fed by rate-limit headers; private by default. */
  readonly rateLimitBudget?: RateLimitBudget
  /** One breaker for the whole Terra credential; none by default. */
  readonly breaker?: CircuitBreaker
  readonly fetch?: typeof fetch
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  readonly random?: () => number
  /** Extra headers (`User-Agent`); `dev-id` and `x-api-key` always win. */
  readonly headers?: Readonly<Record<string, string>>
  readonly beforeRequest?: (request: {
    readonly method: string
    readonly url: string
  }) => void | Promise<void>
  readonly hooks?: HttpClientHooks
}

/** Options of {@link createTerraClient}. */
export interface TerraClientOptions extends TerraHttpOptions {
  /** The developer id (`dev-id` header). */
  readonly devId: string
  /** The API key (`x-api-key` header). Never logged, never in an error. */
  readonly apiKey: string
  /** `https://api.tryterra.co/v2` by default; tests pass `fakeTerra.apiBaseUrl`. */
  readonly baseUrl?: string
  /** Requested days allowed per Terra user and rolling hour; 6 000 (Terra's limit) by default. */
  readonly daysPerHour?: number
  /** Current time; `() => new Date()` by default. */
  readonly now?: () => Date
}

const provider = 'terra'
const appScope = 'terra:app'
const maxDaysPerRequest = 1825
const maxUserClients = 1000

const dateParam = z.union([
  z.iso.date(),
  z
    .number()
    .int()
    .min(0)
    .max(10 ** 11),
])
const dataQuerySchema = z.object({
  terraUserId: z.string().min(1).max(200),
  startDate: dateParam.optional(),
  endDate: dateParam.optional(),
  toWebhook: z.boolean().optional(),
  withSamples: z.boolean().optional(),
})
const dataTypes: readonly TerraDataType[] = [
  'activity',
  'sleep',
  'daily',
  'body',
  'nutrition',
  'menstruation',
  'athlete',
]

function toUser(dto: TerraUserDto): TerraUser {
  return {
    terraUserId: dto.user_id,
    resource: dto.provider ?? undefined,
    referenceId: dto.reference_id ?? undefined,
    scopes: (dto.scopes ?? '')
      .split(',')
      .map((scope) => scope.trim())
      .filter((scope) => scope !== ''),
    active: dto.active ?? undefined,
    lastWebhookUpdate: dto.last_webhook_update ?? undefined,
  }
}

function invalidArgument(
  what: string,
  issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[],
): ProviderError {
  const listed = issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }))
  return new ProviderError(
    'invalid_argument',
    `invalid ${what}: ${listed.map((issue) => `${issue.path || '(root)'} ${issue.message}`).join('; ')}`,
    { provider, details: { issues: listed } },
  )
}

function headerSeconds(value: string | null, nowMs: number): number | undefined {
  if (value === null || !/^\s*\d{1,12}\s*$/.test(value)) return undefined
  const number = Number(value)
  // Epoch seconds are above 10^9; smaller values are a delay.
  return number >= 1_000_000_000 ? Math.max(1, Math.ceil(number - nowMs / 1000)) : number
}

/**
 * Creates a client of Terra's REST API v2 on providers-core's HTTP client (timeouts, retries with
 * backoff and `Retry-After`, breaker): every call carries `dev-id` and `x-api-key`; each Terra user
 * has its own rate-limit scope (`terra:user:<id>`) where the requested days are counted against
 * Terra's 6,000 days per rolling hour, so a call that would exceed it fails locally.
 *
 * @throws ProviderError `not_configured` when `devId`, `apiKey` or `baseUrl` is unusable.
 *
 * @example
 * ```ts
 * const terra = createTerraClient({ devId: 'pierre-dev', apiKey, baseUrl: fake.apiBaseUrl })
 * const { url } = await terra.generateWidgetSession({ referenceId: toTerraReferenceId(user) })
 * ```
 */
export function createTerraClient(options: TerraClientOptions): TerraClient {
  if (typeof options.devId !== 'string' || options.devId.trim() === '') {
    throw new ProviderError('not_configured', 'terra needs a dev id', { provider })
  }
  if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
    throw new ProviderError('not_configured', 'terra needs an api key', { provider })
  }
  const now = options.now ?? (() => new Date())
  const baseUrl = options.baseUrl ?? terraApiBaseUrl
  let basePath: string
  try {
    basePath = new URL(baseUrl).pathname.replace(/\/+$/, '')
  } catch (error) {
    throw new ProviderError('not_configured', 'base URL of terra is not an http(s) URL', {
      provider,
      cause: error,
    })
  }
  const ledger: DayLedger = createDayLedger({
    daysPerHour: options.daysPerHour ?? 6000,
    now,
  })
  const clients = new Map<string, HttpClient>()
  // The credentials win over same-named extra headers, whatever their letter case.
  const credentialHeaders: Record<string, string> = {
    ...Object.fromEntries(
      Object.entries(options.headers ?? {}).filter(
        ([name]) => !['dev-id', 'x-api-key'].includes(name.toLowerCase()),
      ),
    ),
    'dev-id': options.devId,
    'x-api-key': options.apiKey,
  }

  const classifyFor =
    (scope: string) =>
    (response: ErrorResponseInfo): ProviderError | undefined => {
      const common = { provider, status: response.status }
      if (response.status === 401 || response.status === 403) {
        return new ProviderError('not_configured', 'terra refused the dev-id and x-api-key', {
          ...common,
          retryable: false,
        })
      }
      if (response.status === 429 || response.status === 424) {
        const nowMs = now().getTime()
        const reset =
          headerSeconds(response.headers.get('x-terra-ratelimit-reset'), nowMs) ??
          headerSeconds(response.headers.get('retry-after'), nowMs)
        if (response.status === 429 && reset !== undefined) ledger.block(scope, reset)
        const rule = response.headers.get('x-terra-ratelimit-rule') ?? undefined
        return new ProviderError(
          'rate_limited',
          response.status === 429
            ? 'terra rate limit exceeded (requested days per hour)'
            : 'terra failed the request because of the wearable provider rate limit',
          {
            ...common,
            ...(reset === undefined ? {} : { retryAfterSeconds: reset }),
            details: {
              limit_type: response.status === 429 ? 'day_budget' : 'provider',
              ...(rule === undefined ? {} : { rule }),
            },
          },
        )
      }
      return undefined
    }

  const httpFor = (scope: string): HttpClient => {
    const known = clients.get(scope)
    if (known !== undefined) {
      // Most recently used last, so the oldest goes first when the map is full.
      clients.delete(scope)
      clients.set(scope, known)
      return known
    }
    const created = createHttpClient({
      provider,
      baseUrl,
      rateLimitScope: scope,
      classifyResponse: classifyFor(scope),
      now,
      headers: credentialHeaders,
      beforeRequest: async (request) => {
        const url = new URL(request.url)
        if (scope !== appScope) {
          const days = requestDays(
            url.searchParams.get('start_date'),
            url.searchParams.get('end_date'),
          )
          const wait = ledger.spend(scope, days)
          if (wait !== undefined) {
            throw new ProviderError(
              'rate_limited',
              'terra day budget of this user is used up for the rolling hour',
              {
                provider,
                retryAfterSeconds: wait,
                details: { limit_type: 'day_budget', local: true },
              },
            )
          }
        }
        await options.beforeRequest?.(request)
      },
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.retry === undefined ? {} : { retry: options.retry }),
      ...(options.rateLimitBudget === undefined
        ? {}
        : { rateLimitBudget: options.rateLimitBudget }),
      ...(options.breaker === undefined ? {} : { breaker: options.breaker }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
      ...(options.random === undefined ? {} : { random: options.random }),
      ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
    })
    clients.set(scope, created)
    if (clients.size > maxUserClients) {
      const oldest = clients.keys().next().value
      if (oldest !== undefined) clients.delete(oldest)
    }
    return created
  }

  // Sends a request; unreadable JSON and unexpected shapes become `invalid_data` naming the
  // endpoint, never a crash.
  const call = async <TResult>(
    scope: string,
    request: HttpRequest,
    schema: z.ZodType<TResult>,
  ): Promise<TResult> => {
    const method = (request.method ?? 'GET').toUpperCase()
    const endpoint = `${basePath}${request.path}`
    let response: HttpResponse
    try {
      response = await httpFor(scope).request(request)
    } catch (error) {
      if (isProviderError(error) && error.code === 'invalid_data') {
        throw new ProviderError(
          'invalid_data',
          `terra sent a body that is not valid JSON for ${method} ${endpoint}`,
          {
            provider,
            ...(error.status === undefined ? {} : { status: error.status }),
            details: { method, endpoint },
            cause: error,
            upstreamBody: error.upstreamBody,
          },
        )
      }
      throw error
    }
    const parsed = schema.safeParse(response.body)
    if (parsed.success) return parsed.data
    const issues = parsed.error.issues.slice(0, 20).map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    }))
    throw new ProviderError(
      'invalid_data',
      `terra response to ${method} ${endpoint} has an unexpected shape: ${issues
        .slice(0, 3)
        .map((issue) => `${issue.path || '(root)'} ${issue.message}`)
        .join('; ')}`,
      {
        provider,
        status: response.status,
        details: { method, endpoint, issues },
        upstreamBody: response.body,
      },
    )
  }

  // Created now so that an unusable base URL fails at construction, not at the first call.
  httpFor(appScope)

  const signalOf = (callOptions?: TerraCallOptions) =>
    callOptions?.signal === undefined ? {} : { signal: callOptions.signal }

  const requireUserId = (terraUserId: unknown): string => {
    if (typeof terraUserId !== 'string' || terraUserId.trim() === '') {
      throw new ProviderError('invalid_argument', 'terra user id must be a non-empty string', {
        provider,
      })
    }
    return terraUserId
  }

  const redirects = (request: {
    readonly language?: string
    readonly successRedirectUrl?: string
    readonly failureRedirectUrl?: string
  }) => ({
    ...(request.language === undefined ? {} : { language: request.language }),
    ...(request.successRedirectUrl === undefined
      ? {}
      : { auth_success_redirect_url: request.successRedirectUrl }),
    ...(request.failureRedirectUrl === undefined
      ? {}
      : { auth_failure_redirect_url: request.failureRedirectUrl }),
  })

  return Object.freeze({
    async generateWidgetSession(request, callOptions) {
      if (typeof request?.referenceId !== 'string' || request.referenceId === '') {
        throw new ProviderError('invalid_argument', 'a widget session needs a reference id', {
          provider,
        })
      }
      const body = await call(
        appScope,
        {
          method: 'POST',
          path: '/auth/generateWidgetSession',
          body: {
            reference_id: request.referenceId,
            ...(request.providers === undefined ? {} : { providers: request.providers.join(',') }),
            ...redirects(request),
          },
          ...signalOf(callOptions),
        },
        terraWidgetSessionSchema,
      )
      return {
        sessionId: body.session_id,
        url: body.url,
        expiresInSeconds: body.expires_in ?? undefined,
      }
    },

    async authenticateUser(request, callOptions) {
      if (typeof request?.resource !== 'string' || !/^[A-Z0-9_]{1,40}$/.test(request.resource)) {
        throw new ProviderError(
          'invalid_argument',
          'resource must be a Terra provider name such as GARMIN',
          { provider },
        )
      }
      const body = await call(
        appScope,
        {
          method: 'POST',
          path: '/auth/authenticateUser',
          query: { resource: request.resource },
          body: { reference_id: request.referenceId, ...redirects(request) },
          ...signalOf(callOptions),
        },
        terraAuthenticateUserSchema,
      )
      return {
        terraUserId: body.user_id,
        authUrl: body.auth_url,
        referenceId: body.reference_id ?? undefined,
      }
    },

    async getUserInfo(terraUserId, callOptions) {
      const id = requireUserId(terraUserId)
      const body = await call(
        appScope,
        {
          path: '/userInfo',
          query: { user_id: id },
          resource: 'terra user',
          resourceId: id,
          ...signalOf(callOptions),
        },
        terraUserInfoSchema,
      )
      return { user: toUser(body.user), isAuthenticated: body.is_authenticated ?? undefined }
    },

    async listSubscriptions(callOptions) {
      const body = await call(
        appScope,
        { path: '/subscriptions', ...signalOf(callOptions) },
        terraSubscriptionsSchema,
      )
      return body.users.map(toUser)
    },

    async deauthenticateUser(terraUserId, callOptions) {
      const id = requireUserId(terraUserId)
      await call(
        appScope,
        {
          method: 'DELETE',
          path: '/auth/deauthenticateUser',
          query: { user_id: id },
          resource: 'terra user',
          resourceId: id,
          ...signalOf(callOptions),
        },
        terraDeauthenticateSchema,
      )
    },

    async fetchData(type, query, callOptions) {
      if (!dataTypes.includes(type)) {
        throw new ProviderError('invalid_argument', `unknown terra data type ${String(type)}`, {
          provider,
          details: { supported: dataTypes },
        })
      }
      const parsed = dataQuerySchema.safeParse(query)
      if (!parsed.success) throw invalidArgument('terra data query', parsed.error.issues)
      const { terraUserId, startDate, endDate, toWebhook, withSamples } = parsed.data
      if (type !== 'athlete' && startDate === undefined) {
        throw new ProviderError('invalid_argument', `terra ${type} needs a start date`, {
          provider,
        })
      }
      const days = requestDays(
        startDate === undefined ? null : String(startDate),
        endDate === undefined ? null : String(endDate),
      )
      if (days > maxDaysPerRequest) {
        throw new ProviderError(
          'invalid_argument',
          `a terra request spans at most ${maxDaysPerRequest} days, received ${days}`,
          { provider },
        )
      }
      const body = await call(
        `terra:user:${terraUserId}`,
        {
          path: `/${type}`,
          query: {
            user_id: terraUserId,
            start_date: startDate,
            end_date: endDate,
            to_webhook: toWebhook ?? false,
            with_samples: withSamples,
          },
          resource: 'terra user',
          resourceId: terraUserId,
          ...signalOf(callOptions),
        },
        terraDataResponseSchema,
      )
      return {
        user: body.user === undefined || body.user === null ? undefined : toUser(body.user),
        data: body.data ?? undefined,
        reference: body.reference ?? undefined,
      }
    },
  } satisfies TerraClient)
}
