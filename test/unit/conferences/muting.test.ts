import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PROMPTS } from '../../../src/prompts/catalog.js';
import { codeOf, eventually } from '../harness.js';
import { participantIn, setUp } from './conference-world.js';

describe('Muting.setMuted', () => {
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

  it('does not wait for talk state being written for the conference (a storm of talk events)', async () => {
    const w = setUp();
    const { call, participant } = await participantIn(w, w.conference);
    const talker = await participantIn(w, w.conference);
    let release: (() => void) | undefined;
    const setTalking = w.participants.setTalking.bind(w.participants);
    w.participants.setTalking = async (changes) => {
      await new Promise<void>((resolve) => (release = resolve));
      return setTalking(changes);
    };
    const talking = w.service.muting.setTalking(talker.participant, true);
    await eventually(() => expect(release).not.toBe(undefined));

    const updated = await w.service.muting.setMuted(w.conference.id, participant.id, true, 'leader');

    expect(updated).toMatchObject({ muted: true });
    expect(call.muted).toBe(true);
    release!();
    expect(await talking).toEqual({ muted: false });
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

describe('Muting.toggleSelfMute', () => {
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

describe('Muting.setHeld', () => {
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
