import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // End-to-end files share one Asterisk and one SIP port range: run files one at a time.
    fileParallelism: false,
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
