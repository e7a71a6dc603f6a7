import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'local/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // End-to-end files each start a runtime and an integration process: one file at a time keeps a 2-core machine calm.
    fileParallelism: false,
    globalSetup: ['test/global-setup.ts'],
  },
})
