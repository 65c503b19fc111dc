// The attendant in full, on fake telephony: languages, who may enter, the lobby, names and refusals.
import { describe, expect, it } from 'vitest';
import type { KeypadIdentities } from '../../../src/calls/identify-caller.js';
import { callLanguages } from '../../../src/calls/languages.js';
import { dialIn } from '../../../src/calls/dial-in.js';
import { PROMPTS } from '../../../src/prompts/catalog.js';
import type { Conference } from '../../../src/domain/conference.js';
import type { User } from '../../../src/domain/user.js';
import type { NameVoice } from '../../../src/ports/name-voice.js';
import { attendant, eventually, untilInConference, world } from '../harness.js';

function user(id: string, extension: string, fields: Partial<User> = {}): User {
  return {
    id,
    displayName: `User ${id}`,
    sipUri: `sip:${id}@example.com`,
    email: `${id}@example.com`,
    extension,
    phones: {},
    region: 'US',
    role: 'organizer',
    assignedConferenceId: '7000000',
    hasPin: true,
    pinSetAt: null,
    pinLockedUntil: null,
    createdAt: new Date(0),
    ...fields,
  } as User;
}

/** Extension 4711 with PIN 80417 is Ann (the organiser); 4712 with 80418 is Bo. */
const ann = user('ann', '4711');
const bo = user('bo', '4712');
const identities: KeypadIdentities = {
  async verifyAtKeypad(identity, pin) {
    if (identity === '4711' && pin === '80417') return { verdict: 'ok', user: ann };
    if (identity === '4712' && pin === '80418') return { verdict: 'ok', user: bo };
    return { verdict: 'wrong' };
  },
};

function setUp(fields: Partial<Conference> = {}, languages = ['en-US'], nameVoice?: NameVoice) {
  const w = world(nameVoice ? { nameVoice } : {});
  const conference = w.conferences.seed({ conferenceId: '1234567', organizerId: 'ann', ...fields });
  void w.accessNumbers.update('14255550100', { languages });
  const languageDirectory = callLanguages(w.accessNumbers, w.callerLanguages);
  const run = (call: Parameters<typeof dialIn>[0], settings = {}, device?: User) =>
    dialIn(call, attendant(w.service, { identities, languages: languageDirectory, settings }), undefined, device && { kind: 'user', user: device });
  return { ...w, conference, run, bridge: w.bridgeOf(conference), lobby: w.telephony.lobby(conference.id) };
}

const SIGN_IN = 'parley/sign-in-or-continue-star';

describe('the attendant: languages', () => {
  it('greets in the access number primary language and offers the others, each in its own language, after silence', async () => {
    const w = setUp({}, ['fr-CA', 'en-US', 'es-MX']);
    const caller = w.telephony.newCall({ keys: { 'parley/language-2': '2', [SIGN_IN]: '#' } });
    const flow = w.run(caller);
    await eventually(() => expect(caller.heard).toContain('parley/language-2'));
    await eventually(() => expect(caller.heard.at(-1)).toBe(PROMPTS.enterConferenceId));
    caller.press('1234567#');
    await untilInConference(caller);

    const heard = caller.heard.map((prompt, i) => `${prompt} ${caller.heardIn[i]}`);
    expect(heard.slice(0, 5)).toEqual([
      `${PROMPTS.welcome} fr-CA`,
      `${PROMPTS.enterConferenceId} fr-CA`,
      'parley/language-1 en-US',
      'parley/language-2 es-MX',
      `${PROMPTS.enterConferenceId} es-MX`,
    ]);
    expect(caller.language).toBe('es-MX');
    expect(await w.callerLanguages.get('14255550123')).toBe('es-MX');
    expect((await w.participants.list(w.conference.id))[0]?.language).toBe('es-MX');
    caller.hangUp();
    await flow;

    // The next call from the same number is greeted in the language chosen.
    const again = w.telephony.newCall({ keys: { [PROMPTS.enterConferenceId]: '1234567#', [SIGN_IN]: '#' } });
    void w.run(again);
    await untilInConference(again);
    expect(again.heardIn[0]).toBe('es-MX');
    expect(again.heard).not.toContain('parley/language-1');
  });

  it('takes a key that is no language choice as the start of the conference ID', async () => {
    const w = setUp({}, ['en-US', 'de-DE']);
    const caller = w.telephony.newCall({ keys: { 'parley/language-1': '1234567#', [SIGN_IN]: '#' } });
    void w.run(caller, { timing: { firstKeyMs: 50, betweenKeysMs: 50 } });
    // "1" chooses German (the only other language); the rest is typed again after the question.
    await eventually(() => expect(caller.language).toBe('de-DE'));
  });
});

describe('the attendant: who may enter', () => {
  it('signs a leader in with * and lets an anonymous caller in without', async () => {
    const w = setUp();
    const leader = w.telephony.newCall({ keys: { [PROMPTS.enterConferenceId]: '1234567#', [SIGN_IN]: '*', [PROMPTS.enterIdentity]: '4711#', [PROMPTS.enterPin]: '80417#' } });
    void w.run(leader);
    await untilInConference(leader);
    expect(await w.participants.list(w.conference.id)).toMatchObject([{ role: 'leader', displayName: 'User ann', userId: 'ann' }]);
  });

  it('open authenticated: refuses callers who cannot sign in, admits any signed-in user', async () => {
    const w = setUp({ accessType: 'open' });
    const guest = w.telephony.newCall({ keys: { [PROMPTS.enterConferenceId]: '1234567#', [PROMPTS.enterIdentity]: '0000#', [PROMPTS.enterPin]: '0000#' } });
    await w.run(guest);
    expect(guest.heard).toContain(PROMPTS.signInRequired);
    expect(guest.heard.at(-1)).toBe(PROMPTS.tooManyTries);
    expect(guest.hungUpBy).toBe('parley');

    const member = w.telephony.newCall({ keys: { [PROMPTS.enterConferenceId]: '1234567#', [PROMPTS.enterIdentity]: '4712#', [PROMPTS.enterPin]: '80418#' } });
    void w.run(member);
    await untilInConference(member);
  });

  it('closed authenticated: refuses a signed-in user who is not invited, admits one who is', async () => {
    const w = setUp({ accessType: 'closed', invitees: [] });
    const keys = { [PROMPTS.enterConferenceId]: '1234567#', [PROMPTS.enterIdentity]: '4712#', [PROMPTS.enterPin]: '80418#' };
    const uninvited = w.telephony.newCall({ keys });
    await w.run(uninvited);
    expect(uninvited.heard.at(-1)).toBe(PROMPTS.notInvited);
    expect(await w.participants.live()).toEqual([]);
    expect(await w.participants.list(w.conference.id)).toMatchObject([{ state: 'disconnected', endReason: 'not-invited' }]);

    await w.conferences.update(w.conference.id, { invitees: ['BO@example.com'] });
    const invited = w.telephony.newCall({ keys });
    void w.run(invited);
    await untilInConference(invited);
  });

  it('locked: refuses a guest, lets a signed-in leader in', async () => {
    const w = setUp({ locked: true });
    const guest = w.telephony.newCall({ keys: { [PROMPTS.enterConferenceId]: '1234567#', [SIGN_IN]: '#' } });
    await w.run(guest);
    expect(guest.heard.at(-1)).toBe(PROMPTS.locked);
    expect(await w.participants.list(w.conference.id)).toMatchObject([{ state: 'disconnected', endReason: 'locked' }]);

    const leader = w.telephony.newCall({ keys: { [PROMPTS.enterConferenceId]: '1234567#', [SIGN_IN]: '*', [PROMPTS.enterIdentity]: '4711#', [PROMPTS.enterPin]: '80417#' } });
    void w.run(leader);
    await untilInConference(leader);
  });

  it('full: tells the caller beyond the limit and hangs up', async () => {
    const w = setUp({ maxParticipants: 2 });
    const keys = { [PROMPTS.enterConferenceId]: '1234567#', [SIGN_IN]: '#' };
    for (let i = 0; i < 2; i++) {
      const call = w.telephony.newCall({ keys });
      void w.run(call);
      await untilInConference(call);
    }
    const third = w.telephony.newCall({ keys });
    await w.run(third);
    expect(third.heard.at(-1)).toBe(PROMPTS.full);
    expect(third.bridge).toBeUndefined();
    expect((await w.participants.list(w.conference.id)).filter((p) => p.state === 'disconnected')).toMatchObject([{ endReason: 'full' }]);
    expect(await w.participants.countConnected(w.conference.id)).toBe(2);
  });
});

describe('the attendant: names and the lobby', () => {
  it('asks a guest for their name and keeps the recording; a signed-in user is not asked', async () => {
    const w = setUp();
    const guest = w.telephony.newCall({ keys: { [PROMPTS.enterConferenceId]: '1234567#', [SIGN_IN]: '#' } });
    void w.run(guest, { nameSeconds: 3 });
    await untilInConference(guest);
    expect(guest.heard).toContain(PROMPTS.recordName);
    const [row] = await w.participants.list(w.conference.id);
    expect(row?.nameRecording).toBe(`recording:parley-name-${row?.id}`);
  });

  it('speaks a signed-in caller’s directory name in their language, for announcements and roll calls', async () => {
    const spoken: string[] = [];
    const voice: NameVoice = { say: async (text, language, name) => (spoken.push(`${text} ${language}`), `recording:${name}`) };
    const w = setUp({ announceEntryExit: true }, ['de-DE'], voice);
    const leader = w.telephony.newCall({ keys: { [PROMPTS.enterConferenceId]: '1234567#', [SIGN_IN]: '*', [PROMPTS.enterIdentity]: '4711#', [PROMPTS.enterPin]: '80417#' } });
    void w.run(leader);
    await untilInConference(leader);
    const [row] = await w.participants.list(w.conference.id);
    expect(spoken).toEqual(['User ann de-DE']);
    expect(row?.nameRecording).toBe(`recording:parley-name-${row?.id}`);
    await eventually(() => expect(w.bridge.announced.at(-1)).toEqual({ prompts: [row?.nameRecording, PROMPTS.hasJoined], language: 'de-DE' }));
  });

  it('join-before-leader off: a guest waits in the lobby with music, told why, until a leader arrives', async () => {
    const w = setUp({ joinBeforeLeader: false });
    const guest = w.telephony.newCall({ keys: { [PROMPTS.enterConferenceId]: '1234567#', [SIGN_IN]: '#' } });
    void w.run(guest, { lobbyMaxMs: 10_000 });
    await eventually(() => expect(w.lobby.members).toEqual(new Set([guest.id])));
    expect(guest.heard).toContain(PROMPTS.lobbyWaitLeader);
    expect(w.lobby.music).toBe(true);
    expect((await w.participants.list(w.conference.id))[0]?.state).toBe('lobby');

    const leader = w.telephony.newCall({ keys: { [PROMPTS.enterConferenceId]: '1234567#', [SIGN_IN]: '*', [PROMPTS.enterIdentity]: '4711#', [PROMPTS.enterPin]: '80417#' } });
    void w.run(leader);
    await untilInConference(leader);
    await untilInConference(guest);
    expect(w.bridge.members).toEqual(new Set([leader.id, guest.id]));
    expect(guest.heard).toContain(PROMPTS.lobbyAdmitted);
    await eventually(() => expect(w.lobby.exists).toBe(false));
  });

  it('lobby bypass off: guests wait until a leader presses *8; the leader hears how many wait', async () => {
    const w = setUp({ lobbyBypass: false });
    const leader = w.telephony.newCall({ keys: { [PROMPTS.enterConferenceId]: '1234567#', [SIGN_IN]: '*', [PROMPTS.enterIdentity]: '4711#', [PROMPTS.enterPin]: '80417#' } });
    void w.run(leader);
    await untilInConference(leader);
    const guest = w.telephony.newCall({ keys: { [PROMPTS.enterConferenceId]: '1234567#', [SIGN_IN]: '#' } });
    void w.run(guest, { lobbyMaxMs: 10_000 });
    await eventually(() => expect(w.lobby.members).toEqual(new Set([guest.id])));
    expect(guest.heard).toContain(PROMPTS.lobbyWaitAdmit);

    leader.press('*8');
    await untilInConference(guest);
    await eventually(() => expect(leader.heard.at(-1)).toBe(PROMPTS.lobbyAdmittedAll));
    leader.press('*8');
    await eventually(() => expect(leader.heard.at(-1)).toBe(PROMPTS.lobbyEmpty));
  });

  it('gives up politely when nobody admits the caller in time, leaving no bridge behind', async () => {
    const w = setUp({ lobbyBypass: false });
    const guest = w.telephony.newCall({ keys: { [PROMPTS.enterConferenceId]: '1234567#', [SIGN_IN]: '#' } });
    await w.run(guest, { lobbyMaxMs: 50 });
    expect(guest.heard.at(-1)).toBe(PROMPTS.lobbyTimeout);
    expect(guest.hungUpBy).toBe('parley');
    expect(await w.participants.live()).toEqual([]);
    expect(await w.participants.list(w.conference.id)).toMatchObject([{ endReason: 'lobby-timeout' }]);
    expect(w.lobby.exists).toBe(false);
  });
});

describe('the attendant: calls from a user’s registered SIP device', () => {
  /** Everything the attendant asks before the bridge; a device that dialled the conference hears none of it. */
  const QUESTIONS = [PROMPTS.welcome, PROMPTS.enterConferenceId, PROMPTS.enterPasscode, PROMPTS.signInRequired, SIGN_IN, PROMPTS.enterIdentity, PROMPTS.enterPin];

  it('dialling the conference ID joins a closed meeting as the invited user, with no question asked', async () => {
    const w = setUp({ accessType: 'closed', invitees: ['bo@example.com'], passcode: '135790' });
    const call = w.telephony.newCall({ dialed: '1234567', caller: { number: 'bo', device: 'bo' } });
    void w.run(call, {}, bo);
    await untilInConference(call);
    for (const question of QUESTIONS) expect(call.heard).not.toContain(question);
    expect(call.pressed).toBe('');
    expect(await w.participants.list(w.conference.id)).toMatchObject([{ userId: 'bo', displayName: 'User bo', role: 'participant', via: 'voip', authMethod: 'sip' }]);
  });

  it('a device of a user who is not invited is told why and released; the organiser’s joins as leader', async () => {
    const w = setUp({ accessType: 'closed', invitees: [] });
    const outsider = w.telephony.newCall({ dialed: '1234567', caller: { number: 'bo', device: 'bo' } });
    await w.run(outsider, {}, bo);
    expect(outsider.heard.at(-1)).toBe(PROMPTS.notInvited);
    expect(outsider.hungUpBy).toBe('parley');
    expect(await w.participants.live()).toEqual([]);

    const organiser = w.telephony.newCall({ dialed: '1234567', caller: { number: 'ann', device: 'ann' } });
    void w.run(organiser, {}, ann);
    await untilInConference(organiser);
    expect(await w.participants.live()).toMatchObject([{ userId: 'ann', role: 'leader', via: 'voip' }]);
  });

  it('dialling the access number asks for the conference ID, then no passcode and no PIN', async () => {
    const w = setUp({ passcode: '135790' });
    const call = w.telephony.newCall({ caller: { number: 'bo', device: 'bo' }, keys: { [PROMPTS.enterConferenceId]: '1234567#' } });
    void w.run(call, {}, bo);
    await untilInConference(call);
    expect(call.heard).toContain(PROMPTS.enterConferenceId);
    for (const question of [PROMPTS.enterPasscode, SIGN_IN, PROMPTS.enterIdentity, PROMPTS.enterPin]) expect(call.heard).not.toContain(question);
    expect(await w.participants.live()).toMatchObject([{ userId: 'bo', via: 'voip', authMethod: 'sip' }]);
  });
});
