/** The `result` of a successful COROS answer. */
export const okResult = '0000'

/** The status line of a COROS answer: `{result, message}`. */
export interface CorosStatus {
  readonly result: string
  readonly message: string | undefined
}

/** Reads `{result, message}` from a parsed body; undefined when the body carries no `result`. */
export function statusOf(body: unknown): CorosStatus | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined
  const { result, message } = body as { result?: unknown; message?: unknown }
  if (typeof result !== 'string' && typeof result !== 'number') return undefined
  return {
    result: String(result),
    message: typeof message === 'string' ? message : undefined,
  }
}

/**
 * Whether an in-band COROS error is about the access token. The codes are not public (the fixture's
 * `1019` is illustrative), so the message decides.
 */
export function isTokenFailure(status: CorosStatus): boolean {
  return /token|unauthori[sz]ed|authori[sz]ation/i.test(status.message ?? '')
}

/** Parses JSON text; undefined when it is not JSON. */
export function parseJson(text: string): { readonly value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown }
  } catch {
    return undefined
  }
}

/** A JSON response built by the adapters. */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  })
}
