import { BlockList, isIP } from 'node:net'
import { TenancyError } from './errors.js'

/**
 * Which proxies to trust for `X-Forwarded-For` (spec §5.2): `false` (default: the socket address
 * is the client), a hop count, or a list of proxy addresses/CIDR ranges.
 */
export type TrustProxy = false | number | readonly string[]

/** Input of {@link getClientAddress}. */
export interface ClientAddressInput {
  /** The TCP peer address (`req.socket.remoteAddress`). */
  readonly socketAddress: string
  /** The raw `X-Forwarded-For` header value(s), if any. */
  readonly forwardedFor?: string | readonly string[] | undefined
  /** The trust setting. */
  readonly trustProxy: TrustProxy
}

function normalise(address: string): string {
  const trimmed = address.trim()
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed)
  return mapped?.[1] ?? trimmed
}

/**
 * Parses a `PIERRE_TRUST_PROXY` value: `false`/empty, a hop count (`1`), `loopback`, or a
 * comma-separated list of addresses and CIDR ranges. `true` (trust everything) is refused, since
 * it lets any client choose its address.
 * @throws `invalid_argument` for anything else.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = (value ?? '').trim().toLowerCase()
  if (text === '' || text === 'false' || text === '0') return false
  if (/^\d{1,2}$/.test(text)) return Number(text)
  const entries = text.split(',').flatMap((entry) => {
    const trimmed = entry.trim()
    return trimmed === 'loopback' ? ['127.0.0.0/8', '::1/128'] : [trimmed]
  })
  for (const entry of entries) {
    if (toRule(entry) === undefined) {
      throw new TenancyError(
        'invalid_argument',
        'trust proxy must be false, a hop count, loopback or a list of addresses/CIDR ranges',
      )
    }
  }
  return entries
}

function toRule(
  entry: string,
): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', prefixText] = entry.split('/')
  const version = isIP(address)
  if (version === 0) return undefined
  const max = version === 4 ? 32 : 128
  const prefix = prefixText === undefined ? max : Number(prefixText)
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return undefined
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' }
}

/**
 * Picks the client address. With `trustProxy: false` it is the socket address and forwarded
 * headers are ignored entirely (T-32). With a hop count `n`, it is the entry `n` hops left of the
 * socket in `X-Forwarded-For, socket`. With an address list, it walks right to left past trusted
 * proxies and returns the first untrusted address. Entries a client wrote itself (leftmost) are
 * never chosen while a trusted proxy appended the real one. Never reads any other header.
 */
export function getClientAddress(input: ClientAddressInput): string {
  const socket = normalise(input.socketAddress)
  if (input.trustProxy === false) return socket
  const header =
    typeof input.forwardedFor === 'string' ? [input.forwardedFor] : (input.forwardedFor ?? [])
  const forwarded = header
    .flatMap((value) => value.split(','))
    .map(normalise)
    .filter(Boolean)
  const chain = [...forwarded, socket]
  let index: number
  if (typeof input.trustProxy === 'number') {
    index = Math.max(chain.length - 1 - input.trustProxy, 0)
  } else {
    const trusted = new BlockList()
    for (const entry of input.trustProxy) {
      const rule = toRule(entry)
      if (rule) trusted.addSubnet(rule.address, rule.prefix, rule.family)
    }
    const isTrusted = (address: string): boolean => {
      const version = isIP(address)
      return version !== 0 && trusted.check(address, version === 4 ? 'ipv4' : 'ipv6')
    }
    index = chain.length - 1
    while (index > 0 && isTrusted(chain[index] ?? '')) index -= 1
  }
  const chosen = chain[index] ?? socket
  return isIP(chosen) === 0 ? socket : chosen
}
