export type {
  SignedTerraDelivery,
  TerraDeliveryOptions,
  TerraDeliveryResult,
} from './deliver.js'
export { createSignedTerraDelivery, deliverTerraWebhook } from './deliver.js'
export type { FakeTerra, FakeTerraOptions, FakeTerraUser } from './fake-terra.js'
export { startFakeTerra } from './fake-terra.js'
export {
  describeTerraConnectionStoreContract,
  describeTerraDeliveryLogContract,
} from './store-contracts.js'
