import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Our source condition first, then Vite's own server defaults (no 'import': a require() of a
// dual package must still get its CommonJS build).
const conditions = ['@pierre/source', 'module', 'node', 'development|production']

/** Shared vitest config: source condition, test/ layout, console guard and JSON reports. */
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
    restoreMocks: true,
    setupFiles: [fileURLToPath(new URL('./setup.js', import.meta.url))],
    reporters: ['default', ['json', { outputFile: '.reports/vitest.json' }]],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
})
