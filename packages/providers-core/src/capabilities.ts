/**
 * Capability flags and their bit values. Bits 1–2048 are those of `specs/providers.md` §4.2
 * (OAUTH, ACTIVITIES, SLEEP_TRACKING, RECOVERY_METRICS, HEALTH_METRICS, STREAMS, DAILY_SUMMARY,
 * HRV, WEBHOOKS, PUSH_ONLY, API_KEY, LOCAL); `athlete` and `stats` are new, because the local
 * providers have neither a profile nor totals.
 */
export const capabilityBits = {
  oauth: 1,
  activities: 2,
  sleep: 4,
  recovery: 8,
  health: 16,
  streams: 32,
  daily: 64,
  hrv: 128,
  webhooks: 256,
  pushOnly: 512,
  apiKey: 1024,
  local: 2048,
  athlete: 4096,
  stats: 8192,
} as const

/** One capability a provider may have. */
export type Capability = keyof typeof capabilityBits

const capabilityNames = Object.keys(capabilityBits) as Capability[]

/** Returns the bit mask of a set of capabilities (the Rust `capabilities: number`). */
export function toCapabilityMask(capabilities: Iterable<Capability>): number {
  let mask = 0
  for (const capability of capabilities) mask |= capabilityBits[capability]
  return mask
}

/** Returns the capabilities of a bit mask, in the order of {@link capabilityBits}; unknown bits are ignored. */
export function fromCapabilityMask(mask: number): Capability[] {
  return capabilityNames.filter((name) => (mask & capabilityBits[name]) !== 0)
}

/** Returns whether a capability list (or a descriptor's) contains `capability`. */
export function hasCapability(
  subject: { readonly capabilities: readonly Capability[] } | readonly Capability[],
  capability: Capability,
): boolean {
  const list = Array.isArray(subject)
    ? (subject as readonly Capability[])
    : (subject as { readonly capabilities: readonly Capability[] }).capabilities
  return list.includes(capability)
}
