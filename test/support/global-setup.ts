// Before the end-to-end files: sweep away what an earlier, killed run left behind, then make sure the one
// Asterisk runs with this checkout's configuration, prompts and the test slots' endpoints (PARLEY_TEST_SLOTS).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RUN_MARKER, sweepLeftovers } from './tied.js';

const script = fileURLToPath(new URL('../../scripts/asterisk.sh', import.meta.url));

export default function setup(): void {
  // Each e2e project names this setup; once per run is enough.
  if (process.env.PARLEY_TEST_ASTERISK_READY === process.env[RUN_MARKER]) return;
  const killed = sweepLeftovers();
  if (killed.length > 0) console.warn(`[test] killed ${killed.length} processes left by an earlier run: ${killed.join(' ')}`);
  const env: NodeJS.ProcessEnv = { ...process.env, PARLEY_TEST_SLOTS: process.env.PARLEY_TEST_SLOTS ?? '8' };
  delete env[RUN_MARKER];
  execFileSync('bash', [script, 'up'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  process.env.PARLEY_TEST_ASTERISK_READY = process.env[RUN_MARKER];
}
