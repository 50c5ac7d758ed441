import { defineConfig } from 'vitest/config';

/**
 * The container deployment (`npm run test:compose`, through test/compose/run.sh): one file, its steps in
 * order against one compose topology. Every command and wait inside has its own bound.
 */
export default defineConfig({
  test: {
    include: ['test/compose/**/*.test.ts'],
    testTimeout: 4 * 60_000,
    hookTimeout: 3 * 60_000,
    fileParallelism: false,
  },
});
