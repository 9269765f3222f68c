export type { TestContextFields } from './context.js'
export { createTestContext } from './context.js'
export type { MakeStores } from './contracts.js'
export {
  describeApiKeyStoreContract,
  describeKeyStoreContract,
  describeLoginThrottleStoreContract,
  describeMembershipStoreContract,
  describeProviderTokenStoreContract,
  describeRateLimitStoreContract,
  describeSigningKeyStoreContract,
  describeTenancyStoresContract,
  describeTenantStoreContract,
  describeUsageEventStoreContract,
  describeUserStoreContract,
} from './contracts.js'
export type { SeededTenant } from './seed.js'
export { membershipRow, seedTenant, tenantRow, userRow } from './seed.js'
