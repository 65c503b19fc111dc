import { defineConfig } from 'vitest/config';

// `npm run test:cluster`: the end-to-end tests of parley past one media server, one file at a time,
// against the cluster scripts/test-cluster.sh brings up (Kamailio, two Asterisk nodes, two parley).
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    setupFiles: ['test/support/die-with-runner.ts'],
  },
});
