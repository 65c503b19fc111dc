import { defineConfig } from 'vitest/config';

// Three groups, one after another:
// 1. fast: unit and integration files, side by side (each integration file has its own database).
// 2. e2e: end-to-end files side by side against the one Asterisk. Each file is a slot with its own Stasis
//    app, gateway endpoint and ports (test/support/test-slot.ts); scripts/asterisk.sh renders the slots'
//    endpoints because PARLEY_TEST_SLOTS is set here.
// 3. e2e-alone: files that restart or reconfigure Asterisk, rebuild dist/ (start.sh) or count every call
//    Asterisk has taken: one at a time, with nothing else running.
const E2E_WORKERS = Number(process.env.E2E_WORKERS ?? 6);
const ALONE = [
  'test/e2e/asterisk-restart.test.ts',
  'test/e2e/asterisk-script.test.ts',
  'test/e2e/faults.test.ts',
  'test/e2e/restart.test.ts',
  'test/e2e/sip-identity.test.ts',
];
// Marks every process the run starts, so a later run can tell what a killed one left (test/support/tied.ts).
process.env.PARLEY_TEST_RUN ??= String(process.pid);
process.env.PARLEY_TEST_SLOTS ??= '8';
const env = { PARLEY_TEST_SLOTS: process.env.PARLEY_TEST_SLOTS, PARLEY_TEST_RUN: process.env.PARLEY_TEST_RUN };

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    env,
    projects: [
      {
        extends: true,
        test: { name: 'fast', include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: ALONE,
          globalSetup: ['test/support/global-setup.ts'],
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
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
