import { describeProviderContract } from '@pierre/providers-core/testing'
import { createFitbitProvider } from '../src/index.js'
import { startFakeGoogleHealth } from '../src/testing/index.js'
import { fixtureWeek } from './support.js'

describeProviderContract(
  async () => {
    const fake = await startFakeGoogleHealth({ exerciseCount: 37 })
    const { accessToken } = fake.issueTokens()
    const provider = createFitbitProvider({
      tokenSource: { getAccessToken: async () => accessToken },
      baseUrl: fake.apiBaseUrl,
    })
    return { provider, cleanup: () => fake.close() }
  },
  {
    title: 'fitbit (Google Health API) provider contract',
    missingActivityId: '1',
    expectedActivityCount: 37,
    range: fixtureWeek,
  },
)
