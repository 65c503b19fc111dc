import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { eventually, sleep } from '../support/eventually.js';
import { useParley } from '../support/e2e.js';
import { placeCall } from '../support/sipp.js';

const parley = useParley();
const asterisk = (command: 'up' | 'down') =>
  execFileSync('bash', [fileURLToPath(new URL('../../scripts/asterisk.sh', import.meta.url)), command], { stdio: 'ignore' });
const health = async () => (await fetch(`${parley().url}/health`)).json();

// ari-client stops reconnecting about 43 s after a drop; parley's supervisor must go on by itself.
it('reconnects to Asterisk after an outage longer than ari-client retries, and takes calls again', async () => {
  try {
    asterisk('down');
    await eventually(async () => expect(await health()).toMatchObject({ asterisk: 'down', database: 'up' }), 10_000);
    await sleep(50_000);
    expect(await health()).toMatchObject({ asterisk: 'down' });
  } finally {
    asterisk('up');
  }
  await eventually(async () => expect(await health()).toMatchObject({ asterisk: 'up' }), 20_000);
  expect(parley().output()).toContain('ari-client gave up reconnecting');

  const { body: conference } = await parley().api('POST', '/api/v1/conferences', { subject: 'After the outage', passcode: null });
  // ID, then # to go on as a guest when asked to sign in.
  const caller = placeCall({ keys: [{ afterMs: 1000, keys: `${conference.conferenceId}##` }], holdMs: 6000 });
  await eventually(async () => {
    const { body } = await parley().api('GET', `/api/v1/conferences/${conference.id}/participants`);
    expect(body).toMatchObject([{ state: 'connected' }]);
  }, 15_000);
  expect((await caller.done).exitCode).toBe(0);
}, 120_000);
