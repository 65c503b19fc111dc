import { expect, it } from 'vitest';
import { probeUnavailable } from '../support/sipp.js';

// Every other test file stops its parley when it ends, so no Stasis app named parley is active here.
it('tells callers the service is unavailable, without answering, when parley is not connected', async () => {
  const probe = await probeUnavailable();
  expect(probe.exitCode, probe.log).toBe(0);
  // The 503 comes only after the prompt has played as early media (about 6 s long).
  expect(probe.listenedMs).toBeGreaterThan(4000);
  expect(probe.listenedMs).toBeLessThan(12_000);
});
