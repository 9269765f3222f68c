import { createProviderRegistry, type ProviderRegistry } from '@pierre/providers-core'
import { createSyntheticProvider, syntheticDescriptor } from '@pierre/providers-synthetic'
import type { Config } from './config.js'

/**
 * The provider registry of this server. The synthetic athlete is on by default so a fresh install
 * has data at once (`specs/tools.md` §1.6): each tenant and user gets their own deterministic
 * athlete, seeded from their ids.
 */
export function createProviders(config: Config): ProviderRegistry {
  const registry = createProviderRegistry()
  if (config.providers.synthetic) {
    registry.register({
      descriptor: syntheticDescriptor,
      create: (context) =>
        createSyntheticProvider({
          seed: `${context.tenantId}:${context.userId}`,
          athleteId: context.userId,
          now: context.now ?? (() => new Date()),
        }),
    })
  }
  return registry
}
