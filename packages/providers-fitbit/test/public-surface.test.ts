import { expect, it } from 'vitest'

it('exports exactly the documented names from the root entry', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "classifyFitbitResponse",
      "createFitbitBundle",
      "createFitbitProvider",
      "createFitbitQuotaParser",
      "fitbitDefaultScopes",
      "fitbitDescriptor",
      "fitbitOAuthEndpoints",
      "googleAuthorizationEndpoint",
      "googleHealthApiBaseUrl",
      "googleHealthScopes",
      "googleRevocationEndpoint",
      "googleTokenEndpoint",
      "mapGoogleHealthAthlete",
      "mapGoogleHealthDailyValues",
      "mapGoogleHealthExercise",
      "mapGoogleHealthHeartRateSamples",
      "mapGoogleHealthHeartRateZones",
      "mapGoogleHealthHrv",
      "mapGoogleHealthRecovery",
      "mapGoogleHealthSleep",
      "mapGoogleHealthSport",
      "parseGoogleDuration",
      "readGoogleApiError",
      "withNightlyVitals",
    ]
  `)
})

it('exports exactly the documented names from ./testing', async () => {
  expect(Object.keys(await import('../src/testing/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "startFakeGoogleHealth",
    ]
  `)
})
