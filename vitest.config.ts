import { defineConfig } from 'vitest/config';

// Two groups, one after the other:
// 0. fast: unit and integration files side by side (each integration file has its own database); built:
//    the files that run the built parley or CLI as processes, one at a time (no Asterisk; `npm test`
//    builds first, and `test:fast` leaves them out so that the inner loop never tests a stale dist/);
//    and e2e-alone: the end-to-end files that restart or reconfigure Asterisk, or count every call it
//    has taken, one at a time (nothing else uses Asterisk meanwhile).
// 1. e2e: the other end-to-end files side by side against the one Asterisk. Each file is a slot with its
//    own Stasis app, gateway endpoint and ports (test/support/test-slot.ts); scripts/asterisk.sh renders
//    the slots' endpoints because PARLEY_TEST_SLOTS is set here. Most of their time is spent listening
//    to prompts in real time, but each has its parley, SIPp callers and some a Chromium: eight at once kept
//    two cores saturated (20 runnable processes) and turned prompt-timed steps into flakes; five do not
//    take much longer, since the machine was the limit either way.
const E2E_WORKERS = Number(process.env.E2E_WORKERS ?? 5);
const ALONE = ['test/e2e/asterisk-restart.test.ts', 'test/e2e/asterisk-script.test.ts', 'test/e2e/sip-identity.test.ts'];
// Marks every process the run starts, so a later run can tell what a killed one left (test/support/tied.ts).
process.env.PARLEY_TEST_RUN ??= String(process.pid);
process.env.PARLEY_TEST_SLOTS ??= '8';
const env = { PARLEY_TEST_SLOTS: process.env.PARLEY_TEST_SLOTS, PARLEY_TEST_RUN: process.env.PARLEY_TEST_RUN };

export default defineConfig({
  test: {
    // Transformed modules are kept on disk between runs (node_modules/.experimental-vitest-cache).
    experimental: { fsModuleCache: true },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    env,
    // Projects extend this: their own setup files come after it.
    setupFiles: ['test/support/die-with-runner.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
          maxWorkers: Number(process.env.FAST_WORKERS ?? 4),
          // A worker keeps the modules it has imported for its next file: importing src/ afresh for
          // each of these files cost more CPU than their tests. Each file still owns its database.
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'built',
          include: ['test/built/**/*.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Real calls run at the speed of their prompts, slower when five files share two cores: a test
          // that waits on its events gets a minute unless it says otherwise.
          testTimeout: 60_000,
          exclude: ALONE,
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['test/support/log-on-failure.ts'],
          maxWorkers: Math.min(E2E_WORKERS, Number(env.PARLEY_TEST_SLOTS)),
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e-alone',
          include: ALONE,
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['test/support/log-on-failure.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 0 },
        },
      },
    ],
  },
});
