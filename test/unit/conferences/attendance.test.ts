import { describe, expect, it } from 'vitest';
import { PROMPTS } from '../../../src/prompts/catalog.js';
import { world } from '../harness.js';
import { participantIn, setUp } from './conference-world.js';

describe('Attendance.reconcile', () => {
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

describe('Attendance.join and leave', () => {
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

    expect(await w.service.muting.setTalking(connected.participant, true)).toEqual({ muted: false });
    expect(await w.service.muting.setTalking(connecting.participant, true)).toBeUndefined();

    expect(await w.participants.get(connected.participant.id)).toMatchObject({ talking: true });
    expect(await w.participants.get(connecting.participant.id)).toMatchObject({ talking: false });
  });
});
