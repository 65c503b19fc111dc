import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { PROMPTS } from '../../../src/prompts/catalog.js';
import { routeCalls } from '../../../src/calls/route-calls.js';
import { StoreUnavailableError } from '../../../src/domain/errors.js';
import { eventually, FAST, untilInConference, world } from '../harness.js';

const { welcome, enterConferenceId, enterPasscode, onlyParticipant, muted } = PROMPTS;

/** parley, restarted: the router is listening, a conference is running, and its bridge outlived the restart. */
async function restarted() {
  const w = world();
  routeCalls(w.telephony, w.service, w.participants, w.log, { settings: FAST });
  const conference = w.conferences.seed({ conferenceId: '1234567', passcode: '4321', status: 'active' });
  const bridge = w.bridgeOf(conference);
  await bridge.open();
  return { ...w, conference, bridge };
}

describe('routeCalls: new calls', () => {
  it('answers a new call and runs the attendant', async () => {
    const w = await restarted();

    const call = w.telephony.ring({ keys: { [enterConferenceId]: '1234567#', [enterPasscode]: '4321#' } });
    await untilInConference(call);

    expect(call.answerRequests).toBe(1);
    expect(call.heard).toEqual([welcome, enterConferenceId, enterPasscode, onlyParticipant]);
    expect(await w.participants.countConnected(w.conference.id)).toBe(1);
  });

  it('settles quietly when the caller hangs up during the passcode prompt: no error, no participant row', async () => {
    const w = await restarted();

    const call = w.telephony.ring({ keys: { [enterConferenceId]: '1234567#' }, hangUpAfter: enterPasscode });
    await eventually(() => expect(w.log.at('debug').map((e) => e.message)).toContain('caller hung up'));

    expect(call.heard).toEqual([welcome, enterConferenceId, enterPasscode]);
    expect(w.log.at('error')).toEqual([]);
    // Not past the keypad: never on the roster.
    expect(await w.participants.list(w.conference.id)).toEqual([]);
    expect(await w.participants.live()).toEqual([]);
  });

  it('logs a failing flow and releases the call', async () => {
    const w = await restarted();
    vi.spyOn(w.conferences, 'liveWithConferenceId').mockRejectedValue(new Error('database down'));

    const call = w.telephony.ring({ keys: { [enterConferenceId]: '1234567#' } });
    await eventually(() => expect(call.hungUpBy).toBe('parley'));

    expect(w.log.at('error')).toEqual([expect.objectContaining({ message: 'call flow failed; releasing the call' })]);
    expect(w.participants.all()).toEqual([]);
  });
});

describe('routeCalls: calls adopted after a restart', () => {
  it('re-attaches an adopted call whose participant is connected, without answering or greeting it', async () => {
    const w = await restarted();
    const participant = w.participants.seed({
      id: randomUUID(),
      conferenceId: w.conference.id,
      channelId: 'call-7',
      state: 'connected',
      joinedAt: new Date(),
    });

    const call = w.telephony.adopt({ id: 'call-7', inBridge: w.conference.id });
    await untilInConference(call);

    expect(call.answerRequests).toBe(0);
    expect(call.heard).toEqual([]);
    // Already in the bridge: not added again (Asterisk would take it out and back in).
    expect(w.bridge.history).not.toContain('add call-7');
    expect(w.log.at('info').map((e) => e.message)).toContain('re-attached to its conference');

    // Then in-conference keys work again
    call.press('*6');
    await eventually(() => expect(call.heard).toEqual([muted]));
    expect(await w.participants.get(participant.id)).toMatchObject({ muted: true, mutedBy: 'self' });

    // And hanging up leaves the conference
    call.hangUp();
    await eventually(async () => expect(await w.participants.get(participant.id)).toMatchObject({ state: 'disconnected' }));
    expect(w.bridge.exists).toBe(false);
  });

  it('puts a connected caller adopted outside the bridge (parley stopped between the roster and the bridge) into it', async () => {
    const w = await restarted();
    w.participants.seed({ id: randomUUID(), conferenceId: w.conference.id, channelId: 'call-11', state: 'connected', joinedAt: new Date() });

    const call = w.telephony.adopt({ id: 'call-11' });

    await eventually(() => expect(call.bridge).toBe(w.bridge.id));
    expect(call.heard).toEqual([]);
    call.hangUp();
  });

  it('takes a connected caller adopted outside the bridge off the roster when the call ends before it is put back', async () => {
    const w = await restarted();
    const participant = w.participants.seed({ id: randomUUID(), conferenceId: w.conference.id, channelId: 'call-12', state: 'connected', joinedAt: new Date() });

    const call = w.telephony.adopt({ id: 'call-12' });
    call.hangUp();

    await eventually(async () => expect((await w.participants.get(participant.id))?.state).toBe('disconnected'));
  });

  it('runs the attendant for an adopted call with no participant, without answering it again', async () => {
    const w = await restarted();

    const call = w.telephony.adopt({ id: 'call-8', keys: { [enterConferenceId]: '1234567#', [enterPasscode]: '4321#' } });
    await untilInConference(call);

    expect(call.answerRequests).toBe(0);
    expect(call.heard).toEqual([welcome, enterConferenceId, enterPasscode, onlyParticipant]);
    expect(await w.participants.list(w.conference.id)).toEqual([
      expect.objectContaining({ channelId: 'call-8', state: 'connected' }),
    ]);
  });

  it('drops the half-entered participant of an adopted call that was in the attendant, then starts the attendant over', async () => {
    const w = await restarted();
    const stale = w.participants.seed({
      id: randomUUID(),
      conferenceId: w.conference.id,
      channelId: 'call-9',
      state: 'connecting',
    });

    const call = w.telephony.adopt({ id: 'call-9', keys: { [enterConferenceId]: '1234567#', [enterPasscode]: '4321#' } });
    await untilInConference(call);

    expect(call.answerRequests).toBe(0);
    expect(call.heard[0]).toBe(welcome);
    expect(await w.participants.get(stale.id)).toMatchObject({ state: 'disconnected', endReason: 'lost' });
    expect(await w.participants.live()).toEqual([
      expect.objectContaining({ channelId: 'call-9', state: 'connected' }),
    ]);
  });

  it('after a resync, disconnects participants whose calls ended while parley was away', async () => {
    const w = await restarted();
    const gone = w.participants.seed({
      id: randomUUID(),
      conferenceId: w.conference.id,
      channelId: 'call-gone',
      state: 'connected',
      joinedAt: new Date(),
    });
    const kept = w.participants.seed({
      id: randomUUID(),
      conferenceId: w.conference.id,
      channelId: 'call-10',
      state: 'connected',
      joinedAt: new Date(),
    });
    const call = w.telephony.adopt({ id: 'call-10' });
    await untilInConference(call);

    await w.telephony.sync();

    // How it ended is not known: lost, not a hangup.
    expect(await w.participants.get(gone.id)).toMatchObject({ state: 'disconnected', endReason: 'lost' });
    expect(await w.participants.get(kept.id)).toMatchObject({ state: 'connected' });
    expect(w.bridge.music).toBe(true);
  });
});

describe('routeCalls: a caller who was waiting in the lobby when parley restarted', () => {
  it('waits on without hearing the attendant again, and joins when a leader lets them in', async () => {
    const w = await restarted();
    await w.conferences.update(w.conference.id, { lobbyBypass: false });
    const lobby = w.telephony.lobby(w.conference.id);
    await lobby.open();
    const participant = w.participants.seed({ id: randomUUID(), conferenceId: w.conference.id, channelId: 'waiting', state: 'lobby' });
    const call = w.telephony.adopt({ id: 'waiting' });
    await lobby.add(call.id);

    // Admitted at once: before or after the resumed flow listens, the caller gets in.
    expect(await w.service.lobby.admit(w.conference.id)).toBe(1);
    await untilInConference(call);

    expect(call.heard).not.toContain(welcome);
    expect(call.heard).toContain(PROMPTS.lobbyAdmitted);
    expect(await w.participants.get(participant.id)).toMatchObject({ state: 'connected' });
    expect(w.bridge.members).toEqual(new Set(['waiting']));
    expect(lobby.exists).toBe(false);
  });
  it('ends as lobby-timeout when nobody admits them in time after the restart', async () => {
    const w = world();
    routeCalls(w.telephony, w.service, w.participants, w.log, { settings: { ...FAST, lobbyMaxMs: 30 } });
    const conference = w.conferences.seed({ conferenceId: '1234567', passcode: '4321', status: 'active', lobbyBypass: false });
    const lobby = w.telephony.lobby(conference.id);
    await lobby.open();
    const participant = w.participants.seed({ id: randomUUID(), conferenceId: conference.id, channelId: 'waiting-2', state: 'lobby' });
    const call = w.telephony.adopt({ id: 'waiting-2' });
    await lobby.add(call.id);
    await eventually(async () => expect(await w.participants.get(participant.id)).toMatchObject({ state: 'disconnected', endReason: 'lobby-timeout' }));
    expect(call.heard).toContain(PROMPTS.lobbyTimeout);
  });
});

describe('routeCalls: the database away', () => {
  /** Like restarted(), with the hook that runs when the database is back. */
  async function withOutage() {
    const w = world();
    let back: () => Promise<void> = async () => undefined;
    routeCalls(w.telephony, w.service, w.participants, w.log, { settings: FAST, onDatabaseBack: (listener) => void (back = listener) });
    const conference = w.conferences.seed({ conferenceId: '1234567', passcode: '4321', status: 'active' });
    return { ...w, conference, bridge: w.bridgeOf(conference), databaseBack: () => back() };
  }
  const unavailable = () => new StoreUnavailableError('connect ECONNREFUSED');

  it('tells a new caller the service is unavailable and releases the call with 503', async () => {
    const w = await withOutage();
    vi.spyOn(w.conferences, 'liveWithConferenceId').mockRejectedValue(unavailable());

    const call = w.telephony.ring({ keys: { [enterConferenceId]: '1234567#' } });
    await eventually(() => expect(call.hungUpBy).toBe('parley'));

    expect(call.heard.at(-1)).toBe(PROMPTS.serviceUnavailable);
    expect(call.hungUpWith).toBe('unavailable');
    expect(w.log.at('error')).toEqual([]);
  });

  it('keeps a caller who reached the bridge when the database fails right after, and puts the roster right when it is back', async () => {
    const w = await withOutage();
    // The database goes away the moment the caller is in the bridge.
    const countConnected = w.participants.countConnected.bind(w.participants);
    const count = vi
      .spyOn(w.participants, 'countConnected')
      .mockImplementation((id) => (w.bridge.members.size > 0 ? Promise.reject(unavailable()) : countConnected(id)));

    const call = w.telephony.ring({ keys: { [enterConferenceId]: '1234567#', [enterPasscode]: '4321#' } });
    await untilInConference(call);
    expect(w.bridge.members.has(call.id)).toBe(true);
    expect(call.hungUpBy).toBeUndefined();
    expect(w.log.at('warn').map((e) => e.message)).toContain('joined while the database is unavailable');

    // The caller hangs up while the database is still away: their leave cannot be written.
    const setState = vi.spyOn(w.participants, 'setState').mockRejectedValue(unavailable());
    call.hangUp();
    await eventually(() => expect(w.log.at('warn').map((e) => e.message)).toContain('call ended while the database was unavailable; the roster is put right when it is back'));
    expect(await w.participants.live()).toHaveLength(1);

    count.mockRestore();
    setState.mockRestore();
    await w.databaseBack();
    expect(await w.participants.live()).toEqual([]);
  });

  it('leaves an adopted call alone while the database cannot say where it was, and resumes it when it is back', async () => {
    const w = await withOutage();
    await w.bridge.open();
    w.participants.seed({ id: randomUUID(), conferenceId: w.conference.id, channelId: 'call-9', state: 'connected', joinedAt: new Date() });
    const byChannel = vi.spyOn(w.participants, 'byChannel').mockRejectedValue(unavailable());

    const call = w.telephony.adopt({ id: 'call-9' });
    await eventually(() => expect(w.log.at('warn').map((e) => e.message)).toContain('database unavailable; the adopted call is resumed when it is back'));
    expect(call.hungUpBy).toBeUndefined();
    expect(call.heard).toEqual([]);

    byChannel.mockRestore();
    await w.databaseBack();
    await untilInConference(call);
    expect(call.answerRequests).toBe(0);
  });
});
