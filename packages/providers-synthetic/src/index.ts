export type { SyntheticHome, SyntheticProfile } from './athlete.js'
export type {
  SyntheticBundleOptions,
  SyntheticProvider,
  SyntheticProviderOptions,
} from './provider.js'
export {
  createSyntheticBundle,
  createSyntheticProvider,
  syntheticDescriptor,
} from './provider.js'
export type { SeededRandom } from './random.js'
export { createSeededRandom, hashString } from './random.js'
