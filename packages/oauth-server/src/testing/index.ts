export type { TestBrowser } from './browser.js'
export { authorizeInBrowser, createTestBrowser, hiddenField } from './browser.js'
export type { MakeOAuthStore } from './contracts.js'
export { describeOAuthStoreContract } from './contracts.js'
