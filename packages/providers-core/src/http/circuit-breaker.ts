import { isProviderError, ProviderError } from '../errors.js'

/** The state of a {@link CircuitBreaker}. */
export type CircuitState = 'closed' | 'open' | 'half_open'

/** Thresholds of a circuit breaker (`specs/providers.md` §5.3). */
export interface CircuitBreakerSettings {
  /** Consecutive failures that open the circuit; 5 by default. */
  readonly failureThreshold: number
  /** How long the circuit stays open before one probe is let through, ms; 30 000 by default. */
  readonly recoveryTimeoutMs: number
  /** Successful probes in a row that close it again; 2 by default. */
  readonly successThreshold: number
}

/** The default thresholds and the strict and lenient presets of the Rust server. */
export const circuitBreakerPresets: {
  readonly default: CircuitBreakerSettings
  readonly strict: CircuitBreakerSettings
  readonly lenient: CircuitBreakerSettings
} = Object.freeze({
  default: Object.freeze({ failureThreshold: 5, recoveryTimeoutMs: 30_000, successThreshold: 2 }),
  strict: Object.freeze({ failureThreshold: 3, recoveryTimeoutMs: 60_000, successThreshold: 3 }),
  lenient: Object.freeze({ failureThreshold: 10, recoveryTimeoutMs: 15_000, successThreshold: 1 }),
})

/** What {@link CircuitBreakerOptions.onCircuitChange} receives. */
export interface CircuitChangeEvent {
  readonly provider: string
  readonly from: CircuitState
  readonly to: CircuitState
  /** ISO instant of the change. */
  readonly at: string
}

/** How an outcome counts: against provider health, for it, or not at all. */
export type CircuitOutcome = 'failure' | 'success' | 'ignore'

/** Options of {@link createCircuitBreaker}. */
export interface CircuitBreakerOptions extends Partial<CircuitBreakerSettings> {
  /** Provider name, for errors and events. */
  readonly provider: string
  /** Current time; `() => new Date()` by default. */
  readonly now?: () => Date
  /** Called on every state change (instead of logging). */
  readonly onCircuitChange?: (event: CircuitChangeEvent) => void
  /**
   * Classifies a rejection. By default `upstream_unavailable` (5xx, network, timeout) is a failure,
   * any other {@link ProviderError} (4xx, 429, auth) shows the provider answering and counts as a
   * success, and anything else (a caller's abort) is ignored.
   */
  readonly classify?: (error: unknown) => CircuitOutcome
}

/**
 * A per-provider circuit breaker: closed → open after `failureThreshold` consecutive failures →
 * after `recoveryTimeoutMs` exactly one probe at a time (half-open) → closed after
 * `successThreshold` good probes; a failed probe opens it again.
 */
export interface CircuitBreaker {
  /** The current state (an open circuit past its timeout reads as `half_open`). */
  readonly state: CircuitState
  /**
   * Runs `operation` when the circuit admits it and records the outcome.
   *
   * @throws ProviderError `circuit_open` (with `retryAfterSeconds`) without running `operation`
   *   while the circuit is open or a half-open probe is in flight.
   */
  run<TResult>(operation: () => Promise<TResult>): Promise<TResult>
  /** Closes the circuit and forgets failures. */
  reset(): void
}

/** Returns the default classification of {@link CircuitBreakerOptions.classify}. */
export function classifyForCircuit(error: unknown): CircuitOutcome {
  if (!isProviderError(error)) return 'ignore'
  return error.code === 'upstream_unavailable' ? 'failure' : 'success'
}

/** Creates a {@link CircuitBreaker}; thresholds default to {@link circuitBreakerPresets}.default. */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const settings = { ...circuitBreakerPresets.default, ...definedOnly(options) }
  const now = options.now ?? (() => new Date())
  const classify = options.classify ?? classifyForCircuit
  let state: CircuitState = 'closed'
  let failures = 0
  let probeSuccesses = 0
  let openedAtMs = 0
  let probeInFlight = false

  const transition = (to: CircuitState): void => {
    if (state === to) return
    const from = state
    state = to
    options.onCircuitChange?.({ provider: options.provider, from, to, at: now().toISOString() })
  }

  const currentState = (): CircuitState => {
    if (state === 'open' && now().getTime() - openedAtMs >= settings.recoveryTimeoutMs) {
      transition('half_open')
      probeSuccesses = 0
    }
    return state
  }

  const open = (): void => {
    openedAtMs = now().getTime()
    failures = 0
    probeSuccesses = 0
    transition('open')
  }

  const refuse = (retryAfterMs: number): ProviderError =>
    new ProviderError('circuit_open', `provider ${options.provider} is failing, calls are paused`, {
      provider: options.provider,
      retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)),
    })

  return {
    get state() {
      return currentState()
    },
    async run(operation) {
      const before = currentState()
      if (before === 'open') {
        throw refuse(openedAtMs + settings.recoveryTimeoutMs - now().getTime())
      }
      const isProbe = before === 'half_open'
      if (isProbe) {
        if (probeInFlight) throw refuse(1000)
        probeInFlight = true
      }
      try {
        const result = await operation()
        record('success', isProbe)
        return result
      } catch (error) {
        record(classify(error), isProbe)
        throw error
      } finally {
        if (isProbe) probeInFlight = false
      }
    },
    reset() {
      failures = 0
      probeSuccesses = 0
      probeInFlight = false
      transition('closed')
    },
  }

  function record(outcome: CircuitOutcome, isProbe: boolean): void {
    if (outcome === 'ignore') return
    if (isProbe) {
      if (state !== 'half_open') return
      if (outcome === 'failure') {
        open()
        return
      }
      probeSuccesses += 1
      if (probeSuccesses >= settings.successThreshold) {
        failures = 0
        transition('closed')
      }
      return
    }
    if (state !== 'closed') return
    if (outcome === 'success') {
      failures = 0
      return
    }
    failures += 1
    if (failures >= settings.failureThreshold) open()
  }
}

function definedOnly(options: CircuitBreakerOptions): Partial<CircuitBreakerSettings> {
  const result: { -readonly [K in keyof CircuitBreakerSettings]?: number } = {}
  if (options.failureThreshold !== undefined) result.failureThreshold = options.failureThreshold
  if (options.recoveryTimeoutMs !== undefined) result.recoveryTimeoutMs = options.recoveryTimeoutMs
  if (options.successThreshold !== undefined) result.successThreshold = options.successThreshold
  return result
}
