import { describeProviderContract } from '@pierre/providers-core/testing'
import { createStravaProvider } from '../src/index.js'
import { startFakeStrava } from '../src/testing/index.js'

describeProviderContract(
  async () => {
    const fake = await startFakeStrava({ activityCount: 37 })
    const { accessToken } = fake.issueTokens()
    const provider = createStravaProvider({
      tokenSource: { getAccessToken: async () => accessToken },
      baseUrl: fake.apiBaseUrl,
    })
    return { provider, cleanup: () => fake.close() }
  },
  { title: 'strava provider contract', missingActivityId: '1', expectedActivityCount: 37 },
)
