import { describeProviderContract } from '@pierre/providers-core/testing'
import { createWhoopProvider } from '../src/index.js'
import { startFakeWhoop } from '../src/testing/index.js'
import { fixtureNow } from './support.js'

describeProviderContract(
  async () => {
    const fake = await startFakeWhoop({ workoutCount: 37, now: fixtureNow })
    const { accessToken } = fake.issueTokens()
    const provider = createWhoopProvider({
      tokenSource: { getAccessToken: async () => accessToken },
      baseUrl: fake.apiBaseUrl,
      now: fixtureNow,
    })
    return { provider, cleanup: () => fake.close() }
  },
  {
    title: 'whoop provider contract',
    range: { start: '2025-03-08T00:00:00Z', end: '2025-03-15T00:00:00Z' },
    missingActivityId: '00000000-0000-4000-8000-000000000000',
    expectedActivityCount: 37,
  },
)
