import { signTerraPayload } from '../signature.js'

/** A signed webhook delivery, ready to hand to a handler or to POST. */
export interface SignedTerraDelivery {
  /** The exact body that was signed. */
  readonly body: string
  /** `terra-signature` and `content-type`. */
  readonly headers: Readonly<Record<string, string>>
}

/** Options of {@link createSignedTerraDelivery} and {@link deliverTerraWebhook}. */
export interface TerraDeliveryOptions {
  /** The signing secret. */
  readonly secret: string
  /** Signing time, Unix seconds; now by default. */
  readonly timestampSeconds?: number
}

/**
 * Signs a webhook payload as Terra does: the body (a string is sent as is, anything else as JSON)
 * with `terra-signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`.
 */
export function createSignedTerraDelivery(
  payload: unknown,
  options: TerraDeliveryOptions,
): SignedTerraDelivery {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload)
  const timestamp = options.timestampSeconds ?? Math.floor(Date.now() / 1000)
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'terra-signature': signTerraPayload(body, options.secret, timestamp),
    },
  }
}

/** What a webhook endpoint answered. */
export interface TerraDeliveryResult {
  readonly status: number
  /** The parsed JSON answer, or its text when it is not JSON. */
  readonly body: unknown
}

/** Signs `payload` and POSTs it to a webhook URL, like Terra; resolves to the answer. */
export async function deliverTerraWebhook(
  url: string,
  payload: unknown,
  options: TerraDeliveryOptions,
): Promise<TerraDeliveryResult> {
  const delivery = createSignedTerraDelivery(payload, options)
  const response = await fetch(url, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
  })
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // Not JSON: the text is the answer.
  }
  return { status: response.status, body }
}
