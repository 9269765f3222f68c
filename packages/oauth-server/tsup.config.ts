import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts', 'src/sqlite/index.ts', 'src/testing/index.ts'],
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
  dts: true,
  sourcemap: true,
  clean: true,
  // vitest: ./testing imports it from the test run's own installation, never bundled.
  external: ['better-sqlite3', 'express', 'vitest'],
})
