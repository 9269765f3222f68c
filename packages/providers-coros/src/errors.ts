import type { ErrorResponseInfo } from '@pierre/providers-core'
import { ProviderError } from '@pierre/providers-core'
import { isTokenFailure, okResult, parseJson, statusOf } from './internal/envelope.js'

// Upstream text in an error message stays short (STYLE B.5.4).
function truncate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text
}

// Marks a response the adapter rewrote from an in-band error; never sent by COROS.
const inBandHeader = 'x-pierre-coros-in-band'

/**
 * Wraps `fetch` for providers-core's HTTP client. COROS answers a refused data call with HTTP 200
 * and `{result: "<code>", message}`; the shared client only looks at statuses, so such an answer
 * is handed on as a 401 when the message is about the token (the client then refreshes once and
 * repeats the call) and as a 400 otherwise, marked for {@link classifyCorosError}. Everything else
 * passes unchanged, a body that is not JSON included.
 */
export function createCorosApiFetch(fetchImpl: typeof fetch): typeof fetch {
  const wrapped = async (
    input: Parameters<typeof fetch>[0],
    init?: RequestInit,
  ): Promise<Response> => {
    const response = await fetchImpl(input, init)
    // 204 and 205 carry no body to look into (and a Response with one cannot be built).
    if (!response.ok || response.status === 204 || response.status === 205) return response
    const text = await response.text()
    const status = statusOf(parseJson(text)?.value)
    const headers = new Headers(response.headers)
    if (status === undefined || status.result === okResult) {
      return new Response(text, { status: response.status, headers })
    }
    headers.set(inBandHeader, String(response.status))
    return new Response(text, { status: isTokenFailure(status) ? 401 : 400, headers })
  }
  return wrapped as typeof fetch
}

/**
 * Maps an in-band COROS refusal (see {@link createCorosApiFetch}) to a typed error with the real
 * HTTP status and `details.result` / `details.message`: a token failure → `token_expired`, any
 * other code → `upstream_error`. Real HTTP errors keep providers-core's mapping.
 */
export function classifyCorosError(response: ErrorResponseInfo): ProviderError | undefined {
  const realStatus = response.headers.get(inBandHeader)
  if (realStatus === null) return undefined
  const status = statusOf(response.body)
  if (status === undefined) return undefined
  const details = {
    result: status.result,
    ...(status.message === undefined ? {} : { message: truncate(status.message) }),
  }
  const endpoint = `${response.method} ${response.path}`
  const options = { provider: 'coros', status: Number(realStatus), details }
  if (isTokenFailure(status)) {
    return new ProviderError(
      'token_expired',
      `coros rejected the access token on ${endpoint} (result ${status.result})`,
      options,
    )
  }
  return new ProviderError(
    'upstream_error',
    `coros refused ${endpoint}: result ${status.result}${
      status.message === undefined ? '' : ` (${truncate(status.message)})`
    }`,
    options,
  )
}
