export type { FakeGoogleHealth, FakeGoogleHealthOptions } from './fake-google-health.js'
export { startFakeGoogleHealth } from './fake-google-health.js'
