// Every in-conference keypad command on a real Asterisk, who may use it, and announcements on and off.
import { beforeAll, describe, expect, it } from 'vitest';
import { useAriWatch } from '../support/ari-watch.js';
import { conferenceState, meeting, mediaOf, roster, userWithPin, type Meeting } from '../support/attendant-e2e.js';
import { useParley } from '../support/e2e.js';
import { eventually, sleep } from '../support/eventually.js';
import { placeCall, type KeyPress } from '../support/sipp.js';

const parley = useParley();
const ari = useAriWatch();
let ann: { id: string; email: string };
beforeAll(async () => {
  ann = await userWithPin(parley(), 'Ann', '4711', '80417');
});

const LEADER = '+12065550301';
const GUEST = '+12065550302';
const played = (callerId: string) => mediaOf(ari.playedTo(callerId));
const bridgePlayed = (m: Meeting) => ari.playbacks.filter((p) => p.target === `bridge:parley-${m.id}`).map((p) => p.media);

/** Keys 4 s apart, after joining (the attendant takes about 10 s). */
const commands = (...keys: string[]): KeyPress[] => keys.map((k, i) => ({ afterMs: i === 0 ? 12_000 : 4_000, keys: k }));

describe('in-conference keypad commands', () => {
  it('participants: *1 help lists their commands only, *6 mutes and unmutes, leader commands and unknown keys are refused', async () => {
    const m = await meeting(parley(), {});
    const guest = placeCall({
      callerId: GUEST,
      keys: [{ afterMs: 1000, keys: `${m.conferenceId}##` }, ...commands('*7', '*4', '*2', '*6', '*1')],
      holdMs: 15_000,
    });
    await eventually(async () => expect(await roster(parley(), m.id)).toMatchObject([{ state: 'connected', muted: true, mutedBy: 'self' }]), 45_000);
    await guest.done;
    const heard = played(GUEST);
    const help = heard.slice(heard.indexOf('sound:parley/help-intro'));
    expect(help.slice(0, 4)).toEqual(['sound:parley/help-intro', 'sound:parley/help-1-star', 'sound:parley/help-3-star', 'sound:parley/help-6-star']);
    expect(heard).not.toContain('sound:parley/help-4-star');
    expect(heard.filter((p) => p === 'sound:parley/leader-only')).toHaveLength(2);
    expect(heard).toContain('sound:parley/unknown-command-star');
    expect(heard).toContain('sound:parley/muted');
    expect(await conferenceState(parley(), m.id)).toMatchObject({ locked: false, audienceMuted: false });
  }, 60_000);

  it('leaders: *4 audience mute, *7 lock, *9 announcements, *3 roll call, *8 with an empty lobby, and announcements heard in the bridge', async () => {
    const m = await meeting(parley(), { leaders: [ann.email] });
    const guest = placeCall({ callerId: GUEST, keys: [{ afterMs: 1000, keys: `${m.conferenceId}##` }], holdMs: 100_000 });
    await eventually(async () => expect(await roster(parley(), m.id)).toMatchObject([{ state: 'connected' }]), 20_000);
    await ari.watchBridge(`parley-${m.id}`);
    const leader = placeCall({
      callerId: LEADER,
      keys: [{ afterMs: 1000, keys: `${m.conferenceId}#*4711#80417#` }, ...commands('*4', '*7', '*9', '*3', '*8', '*1')],
      // The leader talks after the last key, as a phone sends audio: Asterisk hangs up a call that has
      // sent no RTP for 60 s (rtp_timeout), and the answers and the help run past that on a busy machine.
      speech: 12,
      holdMs: 10_000,
    });
    await eventually(async () => expect(await conferenceState(parley(), m.id)).toMatchObject({ audienceMuted: true }), 30_000);
    await eventually(async () => expect((await roster(parley(), m.id))[0]).toMatchObject({ muted: true, mutedBy: 'audience' }));
    await eventually(() => expect(played(GUEST)).toContain('sound:parley/muted-by-leader'));
    await eventually(async () => expect(await conferenceState(parley(), m.id)).toMatchObject({ locked: true, announceEntryExit: true }), 15_000);

    // Announcements are on: a third caller (signed in: the meeting is locked) is announced to the
    // bridge by their spoken directory name on arrival and departure.
    const late = placeCall({ callerId: '+12065550303', keys: [{ afterMs: 1000, keys: `${m.conferenceId}#*4711#80417#` }], holdMs: 5000 });
    await eventually(() => expect(bridgePlayed(m)).toContain('sound:parley/has-joined'), 20_000);
    expect(bridgePlayed(m).find((media) => media.startsWith('recording:parley-name-'))).toBeDefined();
    await late.done;
    await eventually(() => expect(bridgePlayed(m)).toContain('sound:parley/has-left'), 10_000);


    // The leader hears every command's answer, the help last (on a busy machine the queue of answers runs
    // late, so wait for what they hear rather than for a fixed hang-up time), and is still on the line.
    await eventually(
      () =>
        expect(played(LEADER)).toEqual(expect.arrayContaining([
          'sound:parley/help-intro', 'sound:parley/help-4-star', 'sound:parley/help-7-star',
          'sound:parley/audience-muted', 'sound:parley/meeting-locked', 'sound:parley/announcements-on',
          'sound:parley/participant-count', 'sound:parley/number-2', 'sound:parley/lobby-empty',
        ])),
      60_000,
    );
    expect(await Promise.race([leader.done.then(() => 'ended'), sleep(10).then(() => 'on the line')])).toBe('on the line');
    leader.kill();
    guest.kill();
  }, 120_000);

  it('announcements off (the default): nobody is announced', async () => {
    const m = await meeting(parley(), {});
    const first = placeCall({ callerId: '+12065550304', keys: [{ afterMs: 1000, keys: `${m.conferenceId}##` }], holdMs: 15_000 });
    const second = placeCall({ callerId: '+12065550305', keys: [{ afterMs: 3000, keys: `${m.conferenceId}##` }], holdMs: 8000 });
    await eventually(async () => expect((await roster(parley(), m.id)).filter((p) => p.state === 'connected')).toHaveLength(1), 20_000);
    await ari.watchBridge(`parley-${m.id}`);
    await Promise.all([first.done, second.done]);
    expect(bridgePlayed(m)).toEqual([]);
  }, 40_000);
});
