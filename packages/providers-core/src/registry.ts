import { ProviderError } from './errors.js'
import type { AccessTokenSource } from './oauth/types.js'
import type { FitnessProvider, ProviderDescriptor } from './provider.js'

/** What a provider instance is created for: one tenant's user, with that user's credentials. */
export interface ProviderContext {
  readonly tenantId: string
  readonly userId: string
  /** Access tokens for this tenant, user and provider (OAuth providers). */
  readonly auth?: AccessTokenSource
  /** Current time; `() => new Date()` by default. */
  readonly now?: () => Date
}

/**
 * A provider as the registry holds it: its descriptor and a factory. App-level state shared by all
 * users of one credential (circuit breaker, rate-limit budget) lives in the bundle, not in the
 * per-request instances.
 */
export interface ProviderBundle {
  readonly descriptor: ProviderDescriptor
  /** Returns a provider for one tenant and user. */
  create(context: ProviderContext): FitnessProvider
}

/** Providers by name (`specs/providers.md` §9). Names are case-insensitive. */
export interface ProviderRegistry {
  /**
   * Adds a bundle.
   *
   * @throws ProviderError `invalid_argument` when the name is already registered.
   */
  register(bundle: ProviderBundle): void
  /** Returns the registered names, lower-case, in registration order. */
  list(): readonly string[]
  /** Returns whether a provider is registered under `name` (any case). */
  isSupported(name: string): boolean
  /** Returns the bundle registered under `name`, or `undefined`. */
  find(name: string): ProviderBundle | undefined
  /**
   * Returns the descriptor of `name`.
   *
   * @throws ProviderError `unknown_provider` with `details.supported` listing the known names.
   */
  describe(name: string): ProviderDescriptor
  /**
   * Creates a provider for one tenant and user.
   *
   * @throws ProviderError `unknown_provider` with `details.supported` listing the known names.
   */
  create(name: string, context: ProviderContext): FitnessProvider
}

/**
 * Creates a provider registry, optionally with initial bundles.
 *
 * @example
 * ```ts
 * const registry = createProviderRegistry([syntheticBundle])
 * const provider = registry.create('Synthetic', { tenantId: 't1', userId: 'u1' })
 * ```
 */
export function createProviderRegistry(bundles: readonly ProviderBundle[] = []): ProviderRegistry {
  const byName = new Map<string, ProviderBundle>()

  const normalize = (name: string): string => name.trim().toLowerCase()

  const require = (name: string): ProviderBundle => {
    const bundle = typeof name === 'string' ? byName.get(normalize(name)) : undefined
    if (bundle !== undefined) return bundle
    const supported = [...byName.keys()]
    throw new ProviderError(
      'unknown_provider',
      `unknown provider ${JSON.stringify(String(name)).slice(0, 100)}, expected one of: ${supported.join(', ') || '(none registered)'}`,
      { details: { provider: String(name), supported } },
    )
  }

  const registry: ProviderRegistry = {
    register(bundle) {
      const name = normalize(bundle.descriptor.name)
      if (name !== bundle.descriptor.name || !/^[a-z][a-z0-9_]*$/.test(name)) {
        throw new ProviderError(
          'invalid_argument',
          `provider name must be lower-case letters, digits and _, received ${JSON.stringify(bundle.descriptor.name)}`,
        )
      }
      if (byName.has(name)) {
        throw new ProviderError('invalid_argument', `provider ${name} is already registered`)
      }
      byName.set(name, bundle)
    },
    list: () => [...byName.keys()],
    isSupported: (name) => typeof name === 'string' && byName.has(normalize(name)),
    find: (name) => byName.get(normalize(name)),
    describe: (name) => require(name).descriptor,
    create: (name, context) => require(name).create(context),
  }
  for (const bundle of bundles) registry.register(bundle)
  return registry
}
