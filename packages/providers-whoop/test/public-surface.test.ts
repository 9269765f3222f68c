import { expect, it } from 'vitest'

it('exports exactly the documented names from the root entry', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "createWhoopBundle",
      "createWhoopErrorClassifier",
      "createWhoopOAuthClient",
      "createWhoopProvider",
      "mapWhoopAthlete",
      "mapWhoopBodyMeasurement",
      "mapWhoopCycle",
      "mapWhoopDailySummary",
      "mapWhoopRecovery",
      "mapWhoopSleep",
      "mapWhoopSport",
      "mapWhoopWorkout",
      "whoopApiBaseUrl",
      "whoopDefaultScopes",
      "whoopDescriptor",
      "whoopOAuthBaseUrl",
      "whoopOAuthEndpoints",
      "whoopRateLimitParser",
    ]
  `)
})

it('exports exactly the documented names from ./testing', async () => {
  expect(Object.keys(await import('../src/testing/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "startFakeWhoop",
    ]
  `)
})
