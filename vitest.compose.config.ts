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
    // The containers' network (podman here) has been seen to leave a container unable to connect to
    // another for some 25 s, failing a step that passes before and after: such a step gets one more
    // try, which the report shows. A step that fails twice fails the suite.
    retry: 1,
  },
});
