export { describeDataStoreContract } from './data-store-contract.js'
export type {
  FakeHandler,
  FakeOAuthOptions,
  FakeRequest,
  FakeResponse,
  FakeRoute,
  FakeTokenSet,
  FakeTokens,
  FakeUpstream,
  FakeUpstreamOptions,
  PageOfOptions,
} from './fake-upstream.js'
export { pageOf, startFakeUpstream } from './fake-upstream.js'
export type { MemoryTokenStore } from './memory-token-store.js'
export { createMemoryTokenStore } from './memory-token-store.js'
export type { ProviderContractOptions, ProviderContractSubject } from './provider-contract.js'
export { describeProviderContract } from './provider-contract.js'
export { describeTokenStoreContract } from './token-store-contract.js'
