import { expect, it } from 'vitest';
import { ari } from '../support/ari.js';
import { probeUnavailable } from '../support/sipp.js';

it('tells callers the service is unavailable, without answering, when parley is not connected', async () => {
  const apps = await ari<Array<{ name: string }>>('GET', '/applications');
  expect(apps.map((app) => app.name), 'no parley may be connected during this test').not.toContain('parley');

  const probe = await probeUnavailable();
  expect(probe.exitCode, probe.log).toBe(0);
  // The 503 comes only after the prompt has played as early media (about 6 s long).
  expect(probe.listenedMs).toBeGreaterThan(4000);
  expect(probe.listenedMs).toBeLessThan(12_000);
});
