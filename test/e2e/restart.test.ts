import { expect, it } from 'vitest';
import { channelIds } from '../support/ari.js';
import { eventually, sleep } from '../support/eventually.js';
import { useParley } from '../support/e2e.js';
import { placeCall } from '../support/sipp.js';

const parley = useParley();

it('keeps a call up when parley is killed, and re-adopts it after a restart', async () => {
  const { body: conference } = await parley().api('POST', '/api/v1/conferences', { subject: 'Restart', passcode: '8642' });
  const roster = async () =>
    (await parley().api('GET', `/api/v1/conferences/${conference.id}/participants`)).body as Array<{
      id: string;
      state: string;
      muted: boolean;
    }>;
  // Long enough to outlast a restart on a loaded machine (22 s once ended before the roster was read).
  const caller = placeCall({ keys: [{ afterMs: 1000, keys: `${conference.conferenceId}#8642#` }], holdMs: 32_000 });
  const [participant] = await eventually(async () => {
    const participants = await roster();
    expect(participants).toMatchObject([{ state: 'connected' }]);
    return participants;
  }, 15_000);
  const channelsBefore = await channelIds();

  await parley().kill('SIGKILL');
  await sleep(1000);
  expect(await channelIds()).toEqual(expect.arrayContaining(channelsBefore));

  await parley().start();
  expect(await roster()).toMatchObject([{ id: participant!.id, state: 'connected' }]);
  // Re-adopted, not just remembered: the new process can act on the call...
  const path = `/api/v1/conferences/${conference.id}/participants/${participant!.id}`;
  const muted = await parley().api('PATCH', path, { muted: true });
  expect(muted.status).toBe(200);
  expect(muted.body).toMatchObject({ muted: true });

  // ...and sees it end.
  const result = await caller.done;
  expect(result.exitCode, result.log).toBe(0);
  expect(result.hungUpByBridge).toBe(false);
  await eventually(async () => expect(await roster()).toMatchObject([{ state: 'disconnected' }]));
}, 90_000);

it('marks a participant disconnected when their call ended while parley was down', async () => {
  const { body: conference } = await parley().api('POST', '/api/v1/conferences', { subject: 'Gone', passcode: '1357' });
  const caller = placeCall({ keys: [{ afterMs: 1000, keys: `${conference.conferenceId}#1357#` }], holdMs: 9_000 });
  await eventually(async () => {
    const { body } = await parley().api('GET', `/api/v1/conferences/${conference.id}/participants`);
    expect(body).toMatchObject([{ state: 'connected' }]);
  }, 15_000);

  await parley().kill('SIGKILL');
  expect((await caller.done).exitCode).toBe(0);
  await parley().start();

  await eventually(async () => {
    const { body } = await parley().api('GET', `/api/v1/conferences/${conference.id}/participants`);
    expect(body).toMatchObject([{ state: 'disconnected' }]);
  });
}, 60_000);

it('keeps a call up through kill -9 of parley followed by the README’s run command (scripts/start.sh)', async () => {
  const { body: conference } = await parley().api('POST', '/api/v1/conferences', { subject: 'Restarted the documented way', passcode: '9753' });
  const roster = async () =>
    (await parley().api('GET', `/api/v1/conferences/${conference.id}/participants`)).body as Array<{ id: string; state: string }>;
  const caller = placeCall({ keys: [{ afterMs: 1000, keys: `${conference.conferenceId}#9753#` }], holdMs: 120_000 });
  const [participant] = await eventually(async () => {
    const participants = await roster();
    expect(participants).toMatchObject([{ state: 'connected' }]);
    return participants;
  }, 15_000);
  const channelsBefore = await channelIds();

  await parley().kill('SIGKILL');
  // `npm start` is scripts/start.sh: it builds, renders prompts, runs `asterisk.sh up`, then parley.
  await parley().start({ via: 'start.sh' });
  expect(await channelIds()).toEqual(expect.arrayContaining(channelsBefore));
  expect(await roster()).toMatchObject([{ id: participant!.id, state: 'connected' }]);
  const muted = await parley().api('PATCH', `/api/v1/conferences/${conference.id}/participants/${participant!.id}`, { muted: true });
  expect(muted.status).toBe(200);
  const ended = await Promise.race([caller.done.then((result) => result), sleep(10).then(() => undefined)]);
  expect(ended?.log).toBeUndefined();
  caller.kill();
}, 180_000);
