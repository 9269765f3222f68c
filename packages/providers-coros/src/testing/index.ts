export type {
  FakeCoros,
  FakeCorosOptions,
  FakeCorosPushResult,
  FakeCorosTokens,
} from './fake-coros.js'
export { startFakeCoros } from './fake-coros.js'
