import { expect, it } from 'vitest'

it('exports exactly the documented names from the root entry', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "createStravaBundle",
      "createStravaErrorClassifier",
      "createStravaProvider",
      "mapStravaActivity",
      "mapStravaActivityZones",
      "mapStravaAthlete",
      "mapStravaAthleteZones",
      "mapStravaSport",
      "mapStravaStats",
      "mapStravaStreams",
      "stravaApiBaseUrl",
      "stravaDefaultScopes",
      "stravaDescriptor",
      "stravaOAuthBaseUrl",
      "stravaOAuthEndpoints",
      "stravaRateLimitParser",
      "stravaRetryAfter",
    ]
  `)
})

it('exports exactly the documented names from ./testing', async () => {
  expect(Object.keys(await import('../src/testing/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "startFakeStrava",
    ]
  `)
})
