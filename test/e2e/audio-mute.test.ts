import { expect, it } from 'vitest';
import { bridgeAudioReport, recordBridge } from '../support/ari.js';
import { eventually, sleep } from '../support/eventually.js';
import { useParley } from '../support/e2e.js';
import { placeCall } from '../support/sipp.js';

const parley = useParley();

it('mixes two callers, and an API mute silences the talker until unmuted', async () => {
  const { body: conference } = await parley().api('POST', '/api/v1/conferences', { subject: 'Mix', passcode: '2468' });
  const keys = [{ afterMs: 1000, keys: `${conference.conferenceId}#2468#` }];
  const talker = placeCall({ keys, speech: 6, holdMs: 1000, callerId: '+14255550111' });
  await eventually(async () => {
    expect((await parley().api('GET', `/api/v1/conferences/${conference.id}/participants`)).body).toMatchObject([
      { state: 'connected' },
    ]);
  }, 15_000);
  const listener = placeCall({ keys, holdMs: 20_000, callerId: '+14255550122' });
  const participants = await eventually(async () => {
    const { body } = await parley().api('GET', `/api/v1/conferences/${conference.id}/participants`);
    expect(body).toMatchObject([{ state: 'connected' }, { state: 'connected' }]);
    return body as Array<{ id: string; displayName: string }>;
  }, 15_000);
  const talkerId = participants[0]!.id; // the roster lists callers in the order they arrived
  const bridge = `parley-${conference.id}`;
  const participantPath = `/api/v1/conferences/${conference.id}/participants/${talkerId}`;
  await sleep(1500);

  // The recorded speech has pauses: the talker is heard if the loudest 50 ms of 4 s are.
  const open = await recordBridge(bridge, 4000);
  // Twice in ~20 full runs the talker was not heard here though both had joined: say what Asterisk saw.
  if (open.peakRmsDb <= -45) expect.fail(`talker not heard (loudest 50 ms ${open.peakRmsDb} dB)\n${await bridgeAudioReport(bridge)}`);

  const muted = await parley().api('PATCH', participantPath, { muted: true });
  expect(muted.status).toBe(200);
  expect(muted.body).toMatchObject({ muted: true, mutedBy: 'leader' });
  // What the mixer had already taken from the talker before the mute (a few 20 ms frames, more on a
  // busy machine) may still come out at the start: silence is measured from 250 ms on.
  const silent = await recordBridge(bridge, 2500, { skipMs: 250 });
  expect(silent.maxLevel).toBe(0);

  expect((await parley().api('PATCH', participantPath, { muted: false })).body).toMatchObject({ muted: false, mutedBy: null });
  // The "you are unmuted" prompt takes the talker out of the mix while it plays (longer on a busy
  // machine), and the recorded speech has pauses: the talker is heard again if the loudest 50 ms of 4 s are.
  await sleep(2000);
  const back = await recordBridge(bridge, 4000);
  if (back.peakRmsDb <= -45) expect.fail(`talker not heard after the unmute (loudest 50 ms ${back.peakRmsDb} dB)\n${await bridgeAudioReport(bridge)}`);
  console.log(`bridge mix: open loudest 50 ms ${open.peakRmsDb} dB, muted max level ${silent.maxLevel}, unmuted loudest 50 ms ${back.peakRmsDb} dB`);

  expect((await talker.done).exitCode).toBe(0);
  expect((await listener.done).exitCode).toBe(0);
}, 90_000);
