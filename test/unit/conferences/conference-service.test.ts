import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PROMPTS } from '../../../src/calls/prompts.js';
import type { Conference } from '../../../src/domain/conference.js';
import type { ParticipantState } from '../../../src/domain/participant.js';
import { codeOf, eventually, world, type World } from '../harness.js';

/** A caller in the given state: a live call (unless `gone`) and its participant row. */
async function participantIn(
  w: World,
  conference: Conference,
  { state = 'connected', gone = false }: { state?: ParticipantState; gone?: boolean } = {},
) {
  const call = w.telephony.newCall();
  const participant = w.participants.seed({
    id: randomUUID(),
    conferenceId: conference.id,
    channelId: call.id,
    state,
    joinedAt: state === 'connecting' ? null : new Date(),
  });
  if (state === 'connected') {
    const bridge = w.bridgeOf(conference);
    await bridge.open();
    await bridge.add(call.id);
  }
  if (gone) call.hangUp();
  return { call, participant };
}

function setUp() {
  const w = world();
  const conference = w.conferences.seed({ conferenceId: '1234567', status: 'active' });
  return { ...w, conference, bridge: w.bridgeOf(conference) };
}


describe('ConferenceService.setMuted', () => {
  it('mutes the call when the leader mutes a participant, persists mutedBy leader and tells the caller', async () => {
    const w = setUp();
    const { call, participant } = await participantIn(w, w.conference);

    const updated = await w.service.muting.setMuted(w.conference.id, participant.id, true, 'leader');

    expect(updated).toMatchObject({ id: participant.id, muted: true, mutedBy: 'leader' });
    expect(await w.participants.get(participant.id)).toMatchObject({ muted: true, mutedBy: 'leader' });
    expect(call.muted).toBe(true);
    await eventually(() => expect(call.heard).toEqual([PROMPTS.mutedByLeader]));
  });

  it('clears mutedBy when the leader unmutes, and tells the caller', async () => {
    const w = setUp();
    const { call, participant } = await participantIn(w, w.conference);
    await w.service.muting.setMuted(w.conference.id, participant.id, true, 'leader');

    const updated = await w.service.muting.setMuted(w.conference.id, participant.id, false, 'leader');

    expect(updated).toMatchObject({ muted: false, mutedBy: null });
    expect(call.muted).toBe(false);
    await eventually(() => expect(call.heard).toEqual([PROMPTS.mutedByLeader, PROMPTS.unmutedByLeader]));
  });

  it('says nothing when the participant is already in the requested state', async () => {
    const w = setUp();
    const { call, participant } = await participantIn(w, w.conference);

    await w.service.muting.setMuted(w.conference.id, participant.id, false, 'leader');
    await new Promise((resolve) => setTimeout(resolve, 10));

    expect(call.heard).toEqual([]);
  });

  it('fails with participant-not-found for an unknown participant', async () => {
    const w = setUp();

    expect(await codeOf(w.service.muting.setMuted(w.conference.id, randomUUID(), true, 'leader'))).toBe('participant-not-found');
  });

  it('fails with participant-not-found for a participant of another conference', async () => {
    const w = setUp();
    const other = w.conferences.seed({ conferenceId: '7654321' });
    const { call, participant } = await participantIn(w, other);

    expect(await codeOf(w.service.muting.setMuted(w.conference.id, participant.id, true, 'leader'))).toBe(
      'participant-not-found',
    );
    expect(call.muted).toBe(false);
  });

  it('fails with participant-not-connected for a participant who has left', async () => {
    const w = setUp();
    const { participant } = await participantIn(w, w.conference, { state: 'disconnected', gone: true });

    expect(await codeOf(w.service.muting.setMuted(w.conference.id, participant.id, true, 'leader'))).toBe(
      'participant-not-connected',
    );
    expect(await w.participants.get(participant.id)).toMatchObject({ muted: false, mutedBy: null });
  });

  it('fails with participant-not-connected for a participant still in the attendant', async () => {
    const w = setUp();
    const { call, participant } = await participantIn(w, w.conference, { state: 'connecting' });

    expect(await codeOf(w.service.muting.setMuted(w.conference.id, participant.id, true, 'leader'))).toBe(
      'participant-not-connected',
    );
    expect(call.muted).toBe(false);
  });

  it('fails with participant-not-connected when the row says connected but the call is gone', async () => {
    const w = setUp();
    const { participant } = await participantIn(w, w.conference, { gone: true });

    expect(await codeOf(w.service.muting.setMuted(w.conference.id, participant.id, true, 'leader'))).toBe(
      'participant-not-connected',
    );
  });
});

describe('ConferenceService.toggleSelfMute', () => {
  it('mutes with mutedBy self, then unmutes', async () => {
    const w = setUp();
    const { call, participant } = await participantIn(w, w.conference);

    await w.service.muting.toggleSelfMute(participant.id);
    expect(await w.participants.get(participant.id)).toMatchObject({ muted: true, mutedBy: 'self' });
    expect(call.muted).toBe(true);

    await w.service.muting.toggleSelfMute(participant.id);
    expect(await w.participants.get(participant.id)).toMatchObject({ muted: false, mutedBy: null });
    expect(call.muted).toBe(false);
  });

  it('does nothing for a participant who is not connected', async () => {
    const w = setUp();
    const { call, participant } = await participantIn(w, w.conference, { state: 'connecting' });

    await w.service.muting.toggleSelfMute(participant.id);
    await w.service.muting.toggleSelfMute(randomUUID());

    expect(await w.participants.get(participant.id)).toMatchObject({ muted: false });
    expect(call.muted).toBe(false);
    expect(call.heard).toEqual([]);
  });
});

describe('ConferenceService.eject', () => {
  it('plays the ejected prompt to the end, then hangs up, and the roster says disconnecting at once', async () => {
    const w = setUp();
    const { call, participant } = await participantIn(w, w.conference);

    await w.service.moderation.eject(w.conference.id, participant.id);

    expect(await w.participants.get(participant.id)).toMatchObject({ state: 'disconnecting', endReason: 'ejected' });
    await eventually(() => expect(call.hungUpBy).toBe('parley'));
    expect(call.heard).toEqual([PROMPTS.ejected]);
    expect(call.interrupted).toEqual([]);
    expect(w.bridge.members.has(call.id)).toBe(false);
  });

  it('fails with participant-not-connected for a participant who has already left, and hangs up nothing', async () => {
    const w = setUp();
    const { participant } = await participantIn(w, w.conference, { state: 'disconnected' });
    const bystander = await participantIn(w, w.conference);

    expect(await codeOf(w.service.moderation.eject(w.conference.id, participant.id))).toBe('participant-not-connected');
    expect(bystander.call.hungUp).toBe(false);
  });

  it('fails with participant-not-found for an unknown participant', async () => {
    const w = setUp();

    expect(await codeOf(w.service.moderation.eject(w.conference.id, randomUUID()))).toBe('participant-not-found');
  });
});

describe('ConferenceService.setLocked', () => {
  it('locks and unlocks a conference, and a locked one still resolves by its ID', async () => {
    const w = setUp();

    expect(await w.service.moderation.setLocked(w.conference.id, true)).toMatchObject({ id: w.conference.id, locked: true });
    expect(await w.service.entry.findJoinable('1234567')).toMatchObject({ locked: true });
    expect(await w.service.moderation.setLocked(w.conference.id, false)).toMatchObject({ locked: false });
  });

  it('fails with conference-not-found for an unknown conference', async () => {
    const w = setUp();

    expect(await codeOf(w.service.moderation.setLocked('f'.repeat(32), true))).toBe('conference-not-found');
  });
});

describe('ConferenceService.reconcile', () => {
  it('disconnects every live participant whose call is not in the live set, and keeps the others', async () => {
    const w = setUp();
    const stays = await participantIn(w, w.conference);
    const goneConnected = await participantIn(w, w.conference, { gone: true });
    const goneConnecting = await participantIn(w, w.conference, { state: 'connecting', gone: true });

    await w.service.attendance.reconcile(new Set([stays.call.id]));

    expect(await w.participants.get(stays.participant.id)).toMatchObject({ state: 'connected' });
    expect(await w.participants.get(goneConnected.participant.id)).toMatchObject({ state: 'disconnected' });
    expect(await w.participants.get(goneConnecting.participant.id)).toMatchObject({ state: 'disconnected' });
    expect(w.bridge.music).toBe(true);
  });

  it('destroys the bridge of a conference whose calls all ended while parley was away', async () => {
    const w = setUp();
    await participantIn(w, w.conference, { gone: true });

    await w.service.attendance.reconcile(new Set());

    expect(await w.participants.live()).toEqual([]);
    expect(w.bridge.exists).toBe(false);
  });
});

describe('ConferenceService.join and leave', () => {
  it('joins a caller who entered, marks the conference active, and plays the only-person prompt then music', async () => {
    const w = world();
    const conference = w.conferences.seed({ conferenceId: '1234567' });
    const call = w.telephony.newCall();
    const entering = await w.service.entry.enter(conference, call);

    const joined = await w.service.attendance.join(conference, entering, call);

    expect(entering).toMatchObject({ state: 'connecting', channelId: call.id, displayName: 'Alice' });
    expect(joined).toMatchObject({ id: entering.id, state: 'connected' });
    expect(call.heard).toEqual([PROMPTS.onlyParticipant]);
    expect(call.bridge).toBe(w.bridgeOf(conference).id);
    expect(w.bridgeOf(conference).music).toBe(true);
    expect((await w.conferences.get(conference.id))?.status).toBe('active');
  });

  it('refuses to join, and disconnects the participant, when the conference was locked after they entered', async () => {
    const w = world();
    const conference = w.conferences.seed({ conferenceId: '1234567' });
    const call = w.telephony.newCall();
    const entering = await w.service.entry.enter(conference, call);
    await w.service.moderation.setLocked(conference.id, true);

    expect(await w.service.attendance.join(conference, entering, call)).toBe('locked');
    expect(await w.participants.get(entering.id)).toMatchObject({ state: 'disconnected' });
    expect(call.bridge).toBeUndefined();
  });

  it('ends with both callers in the bridge and no music when two join at once', async () => {
    const w = world();
    const conference = w.conferences.seed({ conferenceId: '1234567' });
    const first = w.telephony.newCall();
    const second = w.telephony.newCall();
    const a = await w.service.entry.enter(conference, first);
    const b = await w.service.entry.enter(conference, second);

    await Promise.all([w.service.attendance.join(conference, a, first), w.service.attendance.join(conference, b, second)]);

    const bridge = w.bridgeOf(conference);
    expect(bridge.members).toEqual(new Set([first.id, second.id]));
    expect(bridge.music).toBe(false);
    expect(second.heard).toEqual([]);
    expect(await w.participants.countConnected(conference.id)).toBe(2);
  });

  it('reopens the bridge when it went away underneath, and the next caller still gets in', async () => {
    const w = world();
    const conference = w.conferences.seed({ conferenceId: '1234567' });
    const first = w.telephony.newCall();
    await w.service.attendance.join(conference, await w.service.entry.enter(conference, first), first);
    const bridge = w.bridgeOf(conference);
    bridge.vanish();

    const second = w.telephony.newCall();
    await w.service.attendance.join(conference, await w.service.entry.enter(conference, second), second);

    expect(bridge.exists).toBe(true);
    expect(bridge.members.has(second.id)).toBe(true);
    expect(second.bridge).toBe(bridge.id);
  });

  it('is safe to leave twice: the participant stays disconnected and the bridge is gone', async () => {
    const w = setUp();
    const { participant } = await participantIn(w, w.conference, { gone: true });

    await w.service.attendance.leave(participant);
    await w.service.attendance.leave(participant);

    expect(await w.participants.get(participant.id)).toMatchObject({ state: 'disconnected' });
    expect(w.bridge.exists).toBe(false);
  });

  it('records talking only for connected participants', async () => {
    const w = setUp();
    const connected = await participantIn(w, w.conference);
    const connecting = await participantIn(w, w.conference, { state: 'connecting' });

    await w.service.muting.setTalking(connected.participant.id, true);
    await w.service.muting.setTalking(connecting.participant.id, true);

    expect(await w.participants.get(connected.participant.id)).toMatchObject({ talking: true });
    expect(await w.participants.get(connecting.participant.id)).toMatchObject({ talking: false });
  });
});

describe('ConferenceService.setHeld', () => {
  it('silences a line its phone put on hold (no hold music in the mix), shows it on hold, and restores it after', async () => {
    const w = setUp();
    const { call, participant } = await participantIn(w, w.conference);

    expect(await w.service.muting.setHeld(participant.id, true)).toMatchObject({ state: 'on-hold', muted: false });
    expect(call.muted).toBe(true);
    expect(await w.participants.countConnected(w.conference.id)).toBe(1); // still in the conference

    // A leader unmuting a held line changes the roster, not the channel: hold music stays out.
    await w.service.muting.setMuted(w.conference.id, participant.id, true, 'leader');
    await w.service.muting.setMuted(w.conference.id, participant.id, false, 'leader');
    expect(call.muted).toBe(true);

    expect(await w.service.muting.setHeld(participant.id, false)).toMatchObject({ state: 'connected' });
    expect(call.muted).toBe(false);
  });

  it('keeps a muted caller muted when they come back from hold, and ignores hold for a caller not in the bridge', async () => {
    const w = setUp();
    const { call, participant } = await participantIn(w, w.conference);
    await w.service.muting.setMuted(w.conference.id, participant.id, true, 'self');
    await w.service.muting.setHeld(participant.id, true);
    await w.service.muting.setHeld(participant.id, false);
    expect(call.muted).toBe(true);
    expect(await w.participants.get(participant.id)).toMatchObject({ state: 'connected', muted: true });

    const waiting = await participantIn(w, w.conference, { state: 'lobby' });
    expect(await w.service.muting.setHeld(waiting.participant.id, true)).toMatchObject({ state: 'lobby' });
  });
});
