export type {
  TerraAuthentication,
  TerraAuthenticationRequest,
  TerraCallOptions,
  TerraClient,
  TerraClientOptions,
  TerraDataQuery,
  TerraDataResponse,
  TerraDataType,
  TerraHttpOptions,
  TerraUser,
  TerraUserInfo,
  TerraWidgetSession,
  TerraWidgetSessionRequest,
} from './client.js'
export { createTerraClient } from './client.js'
export type {
  TerraConnection,
  TerraConnectionStatus,
  TerraConnectionStore,
} from './connections.js'
export { createMemoryTerraConnectionStore } from './connections.js'
export type { MemoryTerraDeliveryLogOptions, TerraDeliveryLog } from './delivery-log.js'
export { createMemoryTerraDeliveryLog } from './delivery-log.js'
export type { TerraUserRef } from './descriptor.js'
export {
  parseTerraReferenceId,
  terraApiBaseUrl,
  terraDescriptor,
  toTerraReferenceId,
} from './descriptor.js'
export {
  mapTerraActivity,
  mapTerraActivityStreams,
  mapTerraBody,
  mapTerraDaily,
  mapTerraDailyRecovery,
  mapTerraSleep,
  mapTerraSleepHrv,
  mapTerraSport,
} from './mapping.js'
export type { TerraBundleOptions, TerraProviderOptions } from './provider.js'
export { createTerraBundle, createTerraProvider } from './provider.js'
export type {
  TerraRawBody,
  TerraSignatureCheck,
  TerraSignatureFailure,
  TerraSignatureHeader,
  VerifyTerraSignatureOptions,
} from './signature.js'
export { parseTerraSignatureHeader, signTerraPayload, verifyTerraSignature } from './signature.js'
export type {
  TerraWebhookHandler,
  TerraWebhookHandlerOptions,
  TerraWebhookNotice,
  TerraWebhookResponse,
} from './webhook.js'
export { createTerraWebhookHandler } from './webhook.js'
