// Name recording on a real Asterisk: a guest says their name after the tone; it is announced and heard in the roll call.
import { expect, it } from 'vitest';
import { useAriWatch } from '../support/ari-watch.js';
import { meeting, mediaOf, roster, userWithPin } from '../support/attendant-e2e.js';
import { useParley } from '../support/e2e.js';
import { eventually } from '../support/eventually.js';
import { placeCall } from '../support/sipp.js';

const parley = useParley({ NAME_RECORDING_SECONDS: '3' });
const ari = useAriWatch();

it('records a guest’s name after the tone, announces it to the meeting and plays it in the roll call', async () => {
  const m = await meeting(parley(), { announceEntryExit: true });
  // The first guest says nothing when asked (no audio): they are announced by a tone, not a name.
  const first = placeCall({ callerId: '+12065550401', keys: [{ afterMs: 1000, keys: `${m.conferenceId}##` }, { afterMs: 30_000, keys: '*3' }], holdMs: 15_000 });
  await eventually(async () => expect(await roster(parley(), m.id)).toMatchObject([{ state: 'connected' }]), 25_000);
  await ari.watchBridge(`parley-${m.id}`);
  // The second speaks all along (recorded speech), so the name recording has words in it.
  // It stays past the first caller's roll call (*3, 30 s into their call): 20 s once ended just before it.
  const second = placeCall({ callerId: '+12065550402', keys: [{ afterMs: 1000, keys: `${m.conferenceId}##` }], speech: 3, holdMs: 45_000 });
  const [, named] = await eventually(async () => {
    const participants = await roster(parley(), m.id);
    expect(participants.map((p) => p.state)).toEqual(['connected', 'connected']);
    return participants;
  }, 30_000);

  const name = `recording:parley-name-${named!.id}`;
  expect(mediaOf(ari.playedTo('+12065550402'))).toContain('sound:parley/record-name');
  await eventually(() => {
    const announced = ari.playbacks.filter((p) => p.target === `bridge:parley-${m.id}`).map((p) => p.media);
    expect(announced.slice(announced.indexOf(name))).toEqual([name, 'sound:parley/has-joined']);
  }, 15_000);
  await first.done;
  expect(mediaOf(ari.playedTo('+12065550401'))).toEqual(expect.arrayContaining(['sound:parley/participant-count', 'sound:parley/number-2', 'sound:parley/roll-call', name, 'sound:parley/roll-call-others']));
  second.kill();
}, 90_000);

it('announces a signed-in caller by their directory name, spoken for them', async () => {
  await userWithPin(parley(), 'Dana', '4714', '80419');
  const m = await meeting(parley(), {});
  const first = placeCall({ callerId: '+12065550411', keys: [{ afterMs: 1000, keys: `${m.conferenceId}##` }], holdMs: 40_000 });
  await eventually(async () => expect(await roster(parley(), m.id)).toMatchObject([{ state: 'connected' }]), 25_000);
  await ari.watchBridge(`parley-${m.id}`);
  expect((await parley().api('PATCH', `/api/v1/conferences/${m.id}`, { announceEntryExit: true })).status).toBe(200);
  const dana = placeCall({ callerId: '+12065550412', keys: [{ afterMs: 1000, keys: `${m.conferenceId}#*4714#80419#` }], holdMs: 8000 });
  const [, row] = await eventually(async () => {
    const participants = await roster(parley(), m.id);
    expect(participants).toMatchObject([{ state: 'connected' }, { state: 'connected', displayName: 'Dana' }]);
    return participants;
  }, 25_000);
  await eventually(() => {
    // What the bridge heard from Dana's arrival on (the first caller's own tone may come before it).
    const announced = ari.playbacks.filter((p) => p.target === `bridge:parley-${m.id}`).map((p) => p.media);
    const name = `recording:parley-name-${row!.id}`;
    expect(announced.slice(announced.indexOf(name), announced.indexOf(name) + 2)).toEqual([name, 'sound:parley/has-joined']);
    expect(announced.slice(0, announced.indexOf(name)).every((media) => media === 'sound:parley/tone-enter')).toBe(true);
  }, 15_000);
  await dana.done;
  first.kill();
}, 90_000);


