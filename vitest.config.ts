import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'test/compose/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each file starts its own broker and mock upstreams on random ports; two at a time fit 2 cores.
    maxWorkers: 2,
  },
});
