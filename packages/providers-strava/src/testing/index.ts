export type { FakeStrava, FakeStravaOptions } from './fake-strava.js'
export { startFakeStrava } from './fake-strava.js'
