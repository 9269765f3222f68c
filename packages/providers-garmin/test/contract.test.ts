import { describeProviderContract } from '@pierre/providers-core/testing'
import { pushEverything, setUp, week } from './support.js'

// Garmin's reads answer from the store, filled here by the fake's pushes through the receiver.
describeProviderContract(
  async () => {
    const setup = await setUp({ fake: { activityCount: 37 } })
    await pushEverything(setup)
    return { provider: setup.provider }
  },
  { title: 'garmin provider contract', range: week, expectedActivityCount: 37 },
)
