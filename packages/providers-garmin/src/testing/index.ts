export type {
  FakeGarmin,
  FakeGarminDataType,
  FakeGarminDelivery,
  FakeGarminOptions,
  GarminDeliveryTarget,
} from './fake-garmin.js'
export { startFakeGarmin } from './fake-garmin.js'
