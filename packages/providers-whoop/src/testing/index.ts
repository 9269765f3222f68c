export type { FakeWhoop, FakeWhoopOptions } from './fake-whoop.js'
export { startFakeWhoop } from './fake-whoop.js'
