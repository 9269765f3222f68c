import { createMemoryDataStore } from '../src/index.js'
import { describeDataStoreContract } from '../src/testing/index.js'

describeDataStoreContract('the memory data store', () => createMemoryDataStore())
