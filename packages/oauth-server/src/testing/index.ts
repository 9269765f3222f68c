export type { MakeOAuthStore } from './contracts.js'
export { describeOAuthStoreContract } from './contracts.js'
