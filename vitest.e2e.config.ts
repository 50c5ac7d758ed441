import { defineConfig } from 'vitest/config';

/** The browser tests (`npm run test:e2e`): headless Chromium against an in-process Portvagt. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Each file drives its own Chromium; two at a time fit 2 cores.
    maxWorkers: 2,
  },
});
