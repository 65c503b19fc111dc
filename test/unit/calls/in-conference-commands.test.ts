// Keypad commands in the conference and entry/exit announcements, on fake telephony.
import { describe, expect, it } from 'vitest';
import { dialIn } from '../../../src/calls/dial-in.js';
import { keyed, PROMPTS } from '../../../src/prompts/catalog.js';
import type { Conference } from '../../../src/domain/conference.js';
import { attendant, eventually, untilInConference, world } from '../harness.js';

const ENTER = { [PROMPTS.enterConferenceId]: '1234567#' };

/** A conference with a leader (promoted in the store) and a participant already in it. */
async function meeting(fields: Partial<Conference> = {}, commandKey: '*' | '#' = '*') {
  const w = world();
  const conference = w.conferences.seed({ conferenceId: '1234567', ...fields });
  const run = (name: string, extra: { saysName?: boolean; nameSeconds?: number } = {}) => {
    const call = w.telephony.newCall({ keys: ENTER, caller: { name, number: `+1425555${(1000 + w.telephony.allCalls.size).toString()}` }, ...extra });
    void dialIn(call, attendant(w.service, { settings: { commandKey, nameSeconds: extra.nameSeconds ?? 0 } }));
    return call;
  };
  const leader = run('Lee');
  await untilInConference(leader);
  const [row] = await w.participants.list(conference.id);
  await w.participants.identify(row!.id, { userId: 'lee', displayName: 'Lee', role: 'leader' });
  const guest = run('Gus');
  await untilInConference(guest);
  return { ...w, conference, run, leader, guest, bridge: w.bridgeOf(conference) };
}

const lastHeard = (call: { heard: string[] }) => call.heard.at(-1);

describe('in-conference keypad commands', () => {
  it('*1 lists only the commands the caller may use, privately', async () => {
    const m = await meeting();
    const before = m.leader.heard.length;
    m.guest.press('*1');
    await eventually(() =>
      expect(m.guest.heard.slice(-4)).toEqual([PROMPTS.helpIntro, keyed('help-1', '*'), keyed('help-3', '*'), keyed('help-6', '*')]),
    );
    m.leader.press('*1');
    await eventually(() => expect(m.leader.heard.slice(-8)).toEqual([PROMPTS.helpIntro, ...'1346789'.split('').map((d) => `parley/help-${d}-star`)]));
    expect(m.leader.heard.length).toBe(before + 8);
  });

  it('with # as the command key, #6 mutes and the help names the pound key', async () => {
    const m = await meeting({}, '#');
    m.guest.press('*6');
    m.guest.press('#1');
    await eventually(() => expect(lastHeard(m.guest)).toBe('parley/help-6-pound'));
    expect(m.guest.muted).toBe(false);
    m.guest.press('#6');
    await eventually(() => expect(m.guest.muted).toBe(true));
  });

  it('refuses leader commands to participants and names unknown ones', async () => {
    const m = await meeting();
    for (const keys of ['*4', '*7', '*8', '*9']) {
      m.guest.press(keys);
      await eventually(() => expect(lastHeard(m.guest)).toBe(PROMPTS.leaderOnly));
      m.guest.heard.push('(next)');
    }
    m.guest.press('*2');
    await eventually(() => expect(lastHeard(m.guest)).toBe(keyed('unknown-command', '*')));
    const conference = await m.conferences.get(m.conference.id);
    expect(conference).toMatchObject({ locked: false, audienceMuted: false, announceEntryExit: false });
  });

  it('*4 mutes the audience (not leaders) and later joiners; with self-unmute off, *6 is refused', async () => {
    const m = await meeting({ audienceMayUnmute: false });
    m.leader.press('*4');
    await eventually(() => expect(lastHeard(m.leader)).toBe(PROMPTS.audienceMuted));
    await eventually(() => expect(m.guest.muted).toBe(true));
    expect(m.leader.muted).toBe(false);
    expect(m.guest.heard).toContain(PROMPTS.mutedByLeader);

    const late = m.run('Lou');
    await untilInConference(late);
    await eventually(() => expect(late.muted).toBe(true));

    m.guest.press('*6');
    await eventually(() => expect(lastHeard(m.guest)).toBe(PROMPTS.cannotUnmute));
    expect(m.guest.muted).toBe(true);

    m.leader.press('*4');
    await eventually(() => expect(lastHeard(m.leader)).toBe(PROMPTS.audienceUnmuted));
    await eventually(() => expect([m.guest.muted, late.muted]).toEqual([false, false]));
  });

  it('lifting *4 leaves callers a leader muted one by one muted; the audience mute ends with the meeting', async () => {
    const m = await meeting();
    const other = m.run('Ola');
    await untilInConference(other);
    const ola = (await m.participants.list(m.conference.id)).find((p) => p.channelId === other.id)!;
    await m.service.muting.setMuted(m.conference.id, ola.id, true, 'leader');
    m.leader.press('*4');
    await eventually(() => expect(m.guest.muted).toBe(true));
    m.leader.press('*4');
    await eventually(() => expect(m.guest.muted).toBe(false));
    expect(other.muted).toBe(true);
    expect(await m.participants.get(ola.id)).toMatchObject({ muted: true, mutedBy: 'leader' });

    m.leader.press('*4');
    await eventually(async () => expect((await m.conferences.get(m.conference.id))?.audienceMuted).toBe(true));
    for (const call of [m.leader, m.guest, other]) call.hangUp();
    await eventually(async () => expect((await m.conferences.get(m.conference.id))?.audienceMuted).toBe(false));
  });

  it('*7 locks and unlocks, *9 turns announcements on and off, each confirmed to the leader', async () => {
    const m = await meeting();
    m.leader.press('*7');
    await eventually(() => expect(lastHeard(m.leader)).toBe(PROMPTS.meetingLocked));
    expect((await m.conferences.get(m.conference.id))?.locked).toBe(true);
    m.leader.press('*7');
    await eventually(() => expect(lastHeard(m.leader)).toBe(PROMPTS.meetingUnlocked));
    m.leader.press('*9');
    await eventually(() => expect(lastHeard(m.leader)).toBe(PROMPTS.announcementsOn));
    expect((await m.conferences.get(m.conference.id))?.announceEntryExit).toBe(true);
    m.leader.press('*9');
    await eventually(() => expect(lastHeard(m.leader)).toBe(PROMPTS.announcementsOff));
  });

  it('*3 counts the people present and plays the names they recorded', async () => {
    const m = await meeting();
    const named = m.run('Nia', { nameSeconds: 3 });
    await untilInConference(named);
    const nia = (await m.participants.list(m.conference.id)).find((p) => p.channelId === named.id)!;
    m.guest.press('*3');
    await eventually(() =>
      expect(m.guest.heard.slice(-5)).toEqual([PROMPTS.participantCount, 'parley/number-3', PROMPTS.rollCall, nia.nameRecording, PROMPTS.rollCallOthers]),
    );
  });

  it('reminds a muted caller who talks, at most once in a while', async () => {
    const m = await meeting();
    m.guest.press('*6');
    await eventually(() => expect(m.guest.muted).toBe(true));
    m.guest.talk(true);
    await eventually(() => expect(lastHeard(m.guest)).toBe(keyed('still-muted', '*')));
    m.guest.talk(false);
    m.guest.talk(true);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(m.guest.heard.filter((p) => p === keyed('still-muted', '*'))).toHaveLength(1);
  });
});

describe('talking', () => {
  it('a caller who was already talking when they reached the conference shows talking (talk detection says so only once)', async () => {
    const m = await meeting();
    const call = m.telephony.newCall({ keys: ENTER, caller: { name: 'Tal', number: '+14255559999' } });
    call.talk(true);
    void dialIn(call, attendant(m.service, { settings: { nameSeconds: 0 } }));
    await untilInConference(call);
    await eventually(async () => expect((await m.participants.list(m.conference.id)).find((p) => p.channelId === call.id)?.talking).toBe(true));
  });
});

describe('entry and exit announcements', () => {
  it('announce recorded names to the bridge in the callers language, and a tone for callers without one', async () => {
    const m = await meeting();
    await m.conferences.setLiveState(m.conference.id, { announceEntryExit: true });
    const nia = m.run('Nia', { nameSeconds: 3 });
    await untilInConference(nia);
    const row = (await m.participants.list(m.conference.id)).find((p) => p.channelId === nia.id)!;
    await eventually(() => expect(m.bridge.announced.at(-1)).toEqual({ prompts: [row.nameRecording, PROMPTS.hasJoined], language: 'en-US' }));
    nia.hangUp();
    await eventually(() => expect(m.bridge.announced.at(-1)).toEqual({ prompts: [row.nameRecording, PROMPTS.hasLeft], language: 'en-US' }));
  });

  it('say one summary when many join at once, and stay silent when off', async () => {
    const m = await meeting();
    await m.conferences.setLiveState(m.conference.id, { announceEntryExit: true });
    const calls = Array.from({ length: 6 }, (_, i) => m.run(`C${i}`));
    await Promise.all(calls.map((call) => untilInConference(call)));
    await eventually(() => expect(m.bridge.announced.at(-1)?.prompts).toEqual(['parley/number-6', PROMPTS.peopleJoined]));

    await m.conferences.setLiveState(m.conference.id, { announceEntryExit: false });
    const count = m.bridge.announced.length;
    const quiet = m.run('Q');
    await untilInConference(quiet);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(m.bridge.announced.length).toBe(count);
  });

  it('play tones only when the meeting says so', async () => {
    const m = await meeting({ announceWith: 'tones' });
    await m.conferences.setLiveState(m.conference.id, { announceEntryExit: true });
    const nia = m.run('Nia', { nameSeconds: 3 });
    await untilInConference(nia);
    await eventually(() => expect(m.bridge.announced.at(-1)?.prompts).toEqual([PROMPTS.toneEnter]));
  });
});
