import { describe, expect, it } from 'vitest';
import { dialIn } from '../../../src/calls/dial-in.js';
import type { DoorRefusal } from '../../../src/domain/participant.js';
import { PROMPTS } from '../../../src/prompts/catalog.js';
import { CallEnded } from '../../../src/ports/telephony.js';
import { eventually, FAST, attendant, untilInConference, world } from '../harness.js';

const { welcome, enterConferenceId, invalidConferenceId, enterPasscode, invalidPasscode } = PROMPTS;
const { locked: conferenceLocked, onlyParticipant, muted, unmuted, tooManyTries } = PROMPTS;

/** The caller types the right conference ID and passcode when asked. */
const RIGHT_KEYS = { [enterConferenceId]: '1234567#', [enterPasscode]: '4321#' };

function withConference(fields: { passcode?: string | null; locked?: boolean } = {}) {
  const refused: DoorRefusal[] = [];
  const w = world({ refusals: { record: async (r) => void refused.push(r) } });
  const conference = w.conferences.seed({ conferenceId: '1234567', passcode: '4321', ...fields });
  return { ...w, conference, bridge: w.bridgeOf(conference), refused };
}

describe('dialIn: joining a conference', () => {
  it('answers, asks for the ID and passcode, and puts the first caller in the bridge with music', async () => {
    const { telephony, service, participants, conferences, conference, bridge } = withConference();
    const alice = telephony.newCall({ keys: RIGHT_KEYS });

    void dialIn(alice, attendant(service));
    await untilInConference(alice);

    expect(alice.answered).toBe(true);
    expect(alice.answerRequests).toBe(1);
    expect(alice.heard).toEqual([welcome, enterConferenceId, enterPasscode, onlyParticipant]);
    expect(alice.hungUp).toBe(false);
    expect(await participants.list(conference.id)).toEqual([
      expect.objectContaining({ channelId: alice.id, displayName: 'Alice', state: 'connected', muted: false }),
    ]);
    expect(bridge.members).toEqual(new Set([alice.id]));
    expect(alice.bridge).toBe(bridge.id);
    expect(bridge.music).toBe(true);
    expect((await conferences.get(conference.id))?.status).toBe('active');
  });

  it('stops the music when a second caller joins, restarts it when one is left, and destroys the bridge when the last leaves', async () => {
    const { telephony, service, participants, conference, bridge } = withConference();
    const alice = telephony.newCall({ keys: RIGHT_KEYS });
    const aliceFlow = dialIn(alice, attendant(service));
    await untilInConference(alice);

    // Given a second caller joins
    const bob = telephony.newCall({ keys: RIGHT_KEYS, caller: { name: 'Bob', number: '+14255550999' } });
    const bobFlow = dialIn(bob, attendant(service));
    await untilInConference(bob);

    expect(bob.heard).toEqual([welcome, enterConferenceId, enterPasscode]);
    expect(bridge.members).toEqual(new Set([alice.id, bob.id]));
    expect(bridge.music).toBe(false);
    expect(await participants.countConnected(conference.id)).toBe(2);

    // When the first caller hangs up
    alice.hangUp();
    await aliceFlow;

    const [aliceRow, bobRow] = await participants.list(conference.id);
    expect(aliceRow).toMatchObject({ channelId: alice.id, state: 'disconnected' });
    expect(aliceRow?.leftAt).toBeInstanceOf(Date);
    expect(bobRow).toMatchObject({ channelId: bob.id, state: 'connected' });
    expect(bridge.members).toEqual(new Set([bob.id]));
    expect(bridge.music).toBe(true);

    // When the last caller hangs up
    bob.hangUp();
    await bobFlow;

    expect(await participants.live()).toEqual([]);
    expect(bridge.exists).toBe(false);
    expect(bridge.history.at(-1)).toBe('destroy');
  });

  it('skips every prompt it can when the caller one-tap dials "ID#passcode#" on arrival', async () => {
    const { telephony, service, participants, conference } = withConference();
    const caller = telephony.newCall({ keysOnArrival: '1234567#4321#' });

    void dialIn(caller, attendant(service));
    await untilInConference(caller);

    expect(caller.heard).toEqual([onlyParticipant]);
    expect(await participants.list(conference.id)).toEqual([expect.objectContaining({ state: 'connected' })]);
  });

  it('stops the welcome as soon as the caller starts typing during it', async () => {
    const { telephony, service, participants, conference } = withConference();
    const caller = telephony.newCall({ keys: { [welcome]: '1234567#4321#' } });

    void dialIn(caller, attendant(service));
    await untilInConference(caller);

    expect(caller.heard).toEqual([welcome, onlyParticipant]);
    expect(caller.interrupted).toEqual([welcome]);
    expect(await participants.countConnected(conference.id)).toBe(1);
  });

  it('does not start the next prompt while the caller is still typing ahead', async () => {
    const { telephony, service, participants, conference } = withConference();
    // The passcode follows the ID 100 ms later, as a caller who knows it types on.
    const caller = telephony.newCall({
      onPrompt: (prompt, call) => {
        if (prompt !== enterConferenceId) return;
        queueMicrotask(() => call.press('1234567#'));
        setTimeout(() => call.press('4321#'), 100);
      },
    });

    void dialIn(caller, attendant(service, { settings: { timing: { ...FAST.timing, typeAheadMs: 300 } } }));
    await untilInConference(caller);

    expect(caller.heard).toEqual([welcome, enterConferenceId, onlyParticipant]);
    expect(await participants.countConnected(conference.id)).toBe(1);
  });

  it('still tells a caller typing on that the entry before was wrong', async () => {
    const { telephony, service } = withConference();
    const caller = telephony.newCall({
      onPrompt: (prompt, call) => {
        if (prompt !== enterConferenceId || call.pressed !== '') return;
        queueMicrotask(() => call.press('83746#'));
        setTimeout(() => call.press('1234567#4321#'), 100);
      },
    });

    void dialIn(caller, attendant(service, { settings: { timing: { ...FAST.timing, typeAheadMs: 300 } } }));
    await untilInConference(caller);

    expect(caller.heard).toContain(invalidConferenceId);
  });

  it('waits for keys typed after a prompt has finished', async () => {
    const { telephony, service, participants, conference } = withConference();
    const caller = telephony.newCall({ keys: RIGHT_KEYS, typeAfterMs: 20 });

    void dialIn(caller, attendant(service));
    await untilInConference(caller);

    expect(caller.heard).toEqual([welcome, enterConferenceId, enterPasscode, onlyParticipant]);
    expect(caller.interrupted).toEqual([]);
    expect(await participants.countConnected(conference.id)).toBe(1);
  });

  it('joins straight after the ID when the conference has no passcode', async () => {
    const { telephony, service, participants, conference } = withConference({ passcode: null });
    const caller = telephony.newCall({ keys: { [enterConferenceId]: '1234567#' } });

    void dialIn(caller, attendant(service, { settings: { timing: { ...FAST.timing, typeAheadMs: 300 } } }));
    await untilInConference(caller);

    expect(caller.heard).toEqual([welcome, enterConferenceId, onlyParticipant]);
    expect(await participants.countConnected(conference.id)).toBe(1);
  });

  it('collects a conference ID with repeated digits exactly as typed', async () => {
    const w = world();
    const decoy = w.conferences.seed({ conferenceId: '1010', passcode: null });
    const wanted = w.conferences.seed({ conferenceId: '1001000', passcode: null });
    const caller = w.telephony.newCall({ keys: { [enterConferenceId]: '1001000#' } });

    void dialIn(caller, attendant(w.service));
    await untilInConference(caller);

    expect(caller.pressed).toBe('1001000#');
    expect(await w.participants.countConnected(wanted.id)).toBe(1);
    expect(await w.participants.list(decoy.id)).toEqual([]);
  });
});

describe('dialIn: callers who do not get in', () => {
  it('says goodbye and hangs up after three wrong conference IDs, leaving no participant', async () => {
    const { telephony, service, participants, bridge } = withConference();
    const caller = telephony.newCall({ keys: { [enterConferenceId]: '7654321#' } });

    await dialIn(caller, attendant(service));

    expect(caller.heard).toEqual([
      welcome,
      enterConferenceId,
      invalidConferenceId,
      enterConferenceId,
      invalidConferenceId,
      enterConferenceId,
      invalidConferenceId,
      tooManyTries,
    ]);
    expect(caller.hungUpBy).toBe('parley');
    expect(participants.all()).toEqual([]);
    expect(bridge.history).toEqual([]);
  });

  it('counts entries that are not conference IDs (empty, too long, with *) as wrong', async () => {
    const { telephony, service, participants } = withConference();
    const caller = telephony.newCall({ keys: { [enterConferenceId]: ['#', '12345678901234567#', '12*4#'] } });

    await dialIn(caller, attendant(service));

    expect(caller.heard.filter((p) => p === invalidConferenceId)).toHaveLength(3);
    expect(caller.heard.at(-1)).toBe(tooManyTries);
    expect(caller.hungUpBy).toBe('parley');
    expect(participants.all()).toEqual([]);
  });

  it('lets the caller in on the third try after two wrong conference IDs', async () => {
    const { telephony, service, participants, conference } = withConference();
    const caller = telephony.newCall({
      keys: { [enterConferenceId]: ['1111111#', '2222222#', '1234567#'], [enterPasscode]: '4321#' },
    });

    void dialIn(caller, attendant(service));
    await untilInConference(caller);

    expect(caller.heard).toEqual([
      welcome,
      enterConferenceId,
      invalidConferenceId,
      enterConferenceId,
      invalidConferenceId,
      enterConferenceId,
      enterPasscode,
      onlyParticipant,
    ]);
    expect(await participants.countConnected(conference.id)).toBe(1);
  });

  it('asks three times, then says goodbye and hangs up when the caller types nothing', async () => {
    const { telephony, service, participants } = withConference();
    const caller = telephony.newCall();
    const started = Date.now();

    await dialIn(caller, attendant(service));

    expect(caller.heard).toEqual([welcome, enterConferenceId, enterConferenceId, enterConferenceId, tooManyTries]);
    expect(caller.hungUpBy).toBe('parley');
    expect(participants.all()).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * FAST.timing.firstKeyMs - 5);
  });

  it('treats a conference that has ended like an unknown ID', async () => {
    const w = world();
    w.conferences.seed({ conferenceId: '1234567', passcode: null, status: 'ended' });
    const caller = w.telephony.newCall({ keys: { [enterConferenceId]: '1234567#' } });

    await dialIn(caller, attendant(w.service));

    expect(caller.heard.filter((p) => p === invalidConferenceId)).toHaveLength(3);
    expect(caller.hungUpBy).toBe('parley');
    expect(w.participants.all()).toEqual([]);
  });

  it('says goodbye after three wrong passcodes and writes no participant row: guessing leaves nothing on the roster', async () => {
    const { telephony, service, participants, conference, bridge, refused } = withConference();
    const caller = telephony.newCall({ keys: { [enterConferenceId]: '1234567#', [enterPasscode]: '0000#' } });

    await dialIn(caller, attendant(service));
    // A refusal, kept for the call records (GET …/history), not an abandoned call.
    expect(refused).toEqual([expect.objectContaining({ conferenceId: conference.id, reason: 'wrong-passcode', language: caller.language })]);

    expect(caller.heard).toEqual([
      welcome,
      enterConferenceId,
      enterPasscode,
      invalidPasscode,
      enterPasscode,
      invalidPasscode,
      enterPasscode,
      invalidPasscode,
      tooManyTries,
    ]);
    expect(caller.hungUpBy).toBe('parley');
    expect(await participants.list(conference.id)).toEqual([]);
    expect(participants.all()).toEqual([]);
    expect(bridge.members.size).toBe(0);
    expect(bridge.history.filter((event) => event.startsWith('add'))).toEqual([]);
  });

  it('rejects a passcode that is the right one with a digit too many', async () => {
    const { telephony, service, participants } = withConference();
    const caller = telephony.newCall({ keys: { [enterConferenceId]: '1234567#', [enterPasscode]: '43210#' } });

    await dialIn(caller, attendant(service));

    expect(caller.heard.filter((p) => p === invalidPasscode)).toHaveLength(3);
    expect(await participants.live()).toEqual([]);
  });

  it('tells the caller a locked conference is locked, says goodbye and hangs up without a participant', async () => {
    const { telephony, service, participants, bridge, refused } = withConference({ locked: true });
    const caller = telephony.newCall({ keys: RIGHT_KEYS });

    await dialIn(caller, attendant(service));
    expect(refused.map((r) => r.reason)).toEqual(['locked']);

    expect(caller.heard).toEqual([welcome, enterConferenceId, conferenceLocked]);
    expect(caller.hungUpBy).toBe('parley');
    expect(participants.all()).toEqual([]);
    expect(bridge.history).toEqual([]);
  });

  it('tells a one-tap caller the conference is locked even though they typed the passcode ahead', async () => {
    const { telephony, service, participants } = withConference({ locked: true });
    const caller = telephony.newCall({ keysOnArrival: '1234567#4321#' });

    await dialIn(caller, attendant(service));

    expect(caller.heard).toEqual([conferenceLocked]);
    expect(caller.interrupted).toEqual([]);
    expect(caller.hungUpBy).toBe('parley');
    expect(participants.all()).toEqual([]);
  });

  it('refuses a caller when the conference is locked while they type the passcode', async () => {
    const { telephony, service, participants, conference, bridge } = withConference();
    const caller = telephony.newCall({
      keys: RIGHT_KEYS,
      onPrompt: (prompt) => {
        if (prompt === enterPasscode) void service.moderation.setLocked(conference.id, true);
      },
    });

    await dialIn(caller, attendant(service));

    expect(caller.heard).toEqual([welcome, enterConferenceId, enterPasscode, conferenceLocked]);
    expect(caller.hungUpBy).toBe('parley');
    expect(await participants.list(conference.id)).toEqual([expect.objectContaining({ state: 'disconnected' })]);
    expect(bridge.members.size).toBe(0);
  });

  it('leaves no participant connecting or connected when the caller hangs up during the passcode prompt', async () => {
    const { telephony, service, participants, conference, bridge, refused } = withConference();
    const caller = telephony.newCall({ keys: { [enterConferenceId]: '1234567#' }, hangUpAfter: enterPasscode });

    const outcome = await dialIn(caller, attendant(service)).then(
      () => 'completed',
      (error: unknown) => error,
    );

    expect(outcome).toBeInstanceOf(CallEnded);
    expect(caller.hungUpBy).toBe('caller');
    expect(caller.heard).toEqual([welcome, enterConferenceId, enterPasscode]);
    expect(await participants.list(conference.id)).toEqual([]);
    expect(refused).toEqual([]);
    expect(await participants.live()).toEqual([]);
    expect(bridge.members.size).toBe(0);
    expect(caller.digitListenerCount).toBe(0);
  });

  it('takes the caller out again when they hang up during the only-person prompt', async () => {
    const { telephony, service, participants, conference, bridge } = withConference();
    const caller = telephony.newCall({ keys: RIGHT_KEYS, hangUpAfter: onlyParticipant });

    await dialIn(caller, attendant(service));

    expect(caller.heard).toEqual([welcome, enterConferenceId, enterPasscode, onlyParticipant]);
    expect(await participants.list(conference.id)).toEqual([expect.objectContaining({ state: 'disconnected' })]);
    expect(bridge.exists).toBe(false);
  });

  it('leaves no live participant and no bridge when the caller hangs up just as the passcode is accepted', async () => {
    const { telephony, service, participants, conference, bridge } = withConference();
    const caller = telephony.newCall({ keys: RIGHT_KEYS });
    const setState = participants.setState.bind(participants);
    participants.setState = async (id, state) => {
      const updated = await setState(id, state);
      if (state === 'connected') caller.hangUp();
      return updated;
    };

    // A hangup is a normal ending (CallEnded), not a failure that would reopen the bridge.
    await expect(dialIn(caller, attendant(service))).rejects.toBeInstanceOf(CallEnded);
    expect(bridge.history.filter((step) => step === 'open')).toHaveLength(1);

    expect(await participants.list(conference.id)).toEqual([expect.objectContaining({ state: 'disconnected' })]);
    expect(await participants.live()).toEqual([]);
    expect(bridge.exists).toBe(false);
    expect(bridge.members.size).toBe(0);
  });

  it('ends quietly with CallEnded when the caller hangs up during the welcome, before naming a conference', async () => {
    const { telephony, service, participants } = withConference();
    const caller = telephony.newCall({ hangUpAfter: welcome });

    await expect(dialIn(caller, attendant(service))).rejects.toBeInstanceOf(CallEnded);

    expect(caller.heard).toEqual([welcome]);
    expect(participants.all()).toEqual([]);
  });
});

describe('dialIn: in the conference', () => {
  it('takes keys from the moment the caller is in the bridge, while "you are the only participant" still plays', async () => {
    const { telephony, service, participants, conference } = withConference();
    const caller = telephony.newCall({
      keys: RIGHT_KEYS,
      onPrompt: (prompt, call) => {
        // Prompts last 2 ms here: the key comes while this one plays.
        if (prompt === onlyParticipant) setTimeout(() => call.press('*6'), 0);
      },
    });
    void dialIn(caller, attendant(service));

    await eventually(() => expect(caller.heard).toContain(muted));
    expect(caller.heard.indexOf(onlyParticipant)).toBeLessThan(caller.heard.indexOf(muted));
    expect(await participants.list(conference.id)).toEqual([expect.objectContaining({ muted: true, mutedBy: 'self' })]);
  });

  it('toggles self-mute with *6 and tells the caller each time', async () => {
    const { telephony, service, participants, conference } = withConference();
    const caller = telephony.newCall({ keys: RIGHT_KEYS });
    void dialIn(caller, attendant(service));
    await untilInConference(caller);
    const [participant] = await participants.list(conference.id);

    // When the caller presses *6
    caller.press('*6');

    await eventually(() => expect(caller.heard.at(-1)).toBe(muted));
    expect(await participants.get(participant!.id)).toMatchObject({ muted: true, mutedBy: 'self' });
    expect(caller.muted).toBe(true);

    // When the caller presses *6 again
    caller.press('*6');

    await eventually(() => expect(caller.heard.at(-1)).toBe(unmuted));
    expect(await participants.get(participant!.id)).toMatchObject({ muted: false, mutedBy: null });
    expect(caller.muted).toBe(false);
  });

  it('ends unmuted when *6 is pressed twice in quick succession', async () => {
    const { telephony, service, participants, conference } = withConference();
    const caller = telephony.newCall({ keys: RIGHT_KEYS });
    void dialIn(caller, attendant(service));
    await untilInConference(caller);
    const [participant] = await participants.list(conference.id);

    caller.press('*6*6');

    await eventually(() => expect(caller.heard.slice(-2)).toEqual([muted, unmuted]));
    expect(await participants.get(participant!.id)).toMatchObject({ muted: false, mutedBy: null });
    expect(caller.muted).toBe(false);
  });

  it('ignores 6 without *, and answers *7 from a participant with "only a leader can"', async () => {
    const { telephony, service, participants, conference, conferences } = withConference();
    const caller = telephony.newCall({ keys: RIGHT_KEYS });
    void dialIn(caller, attendant(service));
    await untilInConference(caller);
    const heardBefore = [...caller.heard];

    caller.press('6');
    caller.press('*7');
    await eventually(() => expect(caller.heard).toEqual([...heardBefore, PROMPTS.leaderOnly]));
    expect((await service.entry.participant((await participants.list(conference.id))[0]!.id))?.state).toBe('connected');
    expect((await conferences.get(conference.id))?.locked).toBe(false);
    expect(caller.muted).toBe(false);
    expect(await participants.list(conference.id)).toEqual([expect.objectContaining({ muted: false, mutedBy: null })]);
  });

  it('records talking while the caller is in the conference and clears it when they leave', async () => {
    const { telephony, service, participants, conference } = withConference();
    const caller = telephony.newCall({ keys: RIGHT_KEYS });
    const flow = dialIn(caller, attendant(service));
    await untilInConference(caller);
    const [participant] = await participants.list(conference.id);

    caller.talk(true);
    await eventually(async () => expect((await participants.get(participant!.id))?.talking).toBe(true));

    caller.hangUp();
    await flow;

    expect(await participants.get(participant!.id)).toMatchObject({ state: 'disconnected', talking: false });
    expect(caller.digitListenerCount).toBe(0);
  });
});
