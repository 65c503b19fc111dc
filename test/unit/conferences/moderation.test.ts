import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PROMPTS } from '../../../src/prompts/catalog.js';
import { codeOf, eventually } from '../harness.js';
import { participantIn, setUp } from './conference-world.js';

describe('Moderation.eject', () => {
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

describe('Moderation.setLocked', () => {
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
