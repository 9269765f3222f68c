import { describe } from 'vitest'
import { createMemoryOAuthStore } from '../src/memory-store.js'
import { describeOAuthStoreContract } from '../src/testing/index.js'

describe('memory OAuth store', () => {
  describeOAuthStoreContract(() => createMemoryOAuthStore())
})
