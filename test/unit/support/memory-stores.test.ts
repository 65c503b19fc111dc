// The in-memory stores stand in for PostgreSQL in every unit test: these pin the SQL semantics they copy.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NewConference } from '../../../src/ports/store.js';
import { ConstraintViolation, memoryStores } from '../../support/memory-stores.js';

function newConference(fields: Partial<NewConference> = {}): NewConference {
  return {
    id: randomUUID().replaceAll('-', ''),
    conferenceId: '1234567',
    subject: 'Weekly sync',
    accessType: 'anonymous',
    passcode: null,
    startsAt: null,
    endsAt: null,
    organizerId: null,
    ...fields,
  };
}

describe('MemoryConferenceStore', () => {
  it('inserts a scheduled, unlocked conference', async () => {
    const { conferences } = memoryStores();

    const inserted = await conferences.insert(newConference());

    expect(inserted).toMatchObject({ conferenceId: '1234567', status: 'scheduled', locked: false });
  });

  it('refuses a conference ID taken by a live conference, and allows one whose conference has ended', async () => {
    const { conferences } = memoryStores();
    const first = await conferences.insert(newConference());

    expect(await conferences.insert(newConference())).toBe(false);

    conferences.write((first as { id: string }).id, { status: 'ended' });
    expect(await conferences.insert(newConference())).toMatchObject({ conferenceId: '1234567' });
  });

  it('refuses a duplicate primary key', async () => {
    const { conferences } = memoryStores();
    const c = newConference();
    await conferences.insert(c);

    expect(await conferences.insert({ ...c, conferenceId: '7654321' })).toBe(false);
  });

  it('throws on values the schema forbids', async () => {
    const { conferences } = memoryStores();

    await expect(conferences.insert(newConference({ id: 'not-hex' }))).rejects.toBeInstanceOf(ConstraintViolation);
    await expect(conferences.insert(newConference({ passcode: '12' }))).rejects.toBeInstanceOf(ConstraintViolation);
    await expect(conferences.insert(newConference({ conferenceId: '12a' }))).rejects.toBeInstanceOf(ConstraintViolation);
  });

  it('finds only live conferences by conference ID, and marks only scheduled ones active', async () => {
    const { conferences } = memoryStores();
    const ended = conferences.seed({ conferenceId: '1111111', status: 'ended' });
    const scheduled = conferences.seed({ conferenceId: '2222222' });

    expect(await conferences.liveWithConferenceId('1111111')).toEqual([]);
    await conferences.markActive(ended.id);
    await conferences.markActive(scheduled.id);

    expect((await conferences.get(ended.id))?.status).toBe('ended');
    expect((await conferences.get(scheduled.id))?.status).toBe('active');
  });

  it('returns undefined when locking an unknown conference', async () => {
    const { conferences } = memoryStores();

    expect(await conferences.setLocked('f'.repeat(32), true)).toBeUndefined();
  });
});

describe('MemoryParticipantStore', () => {
  async function entered() {
    const stores = memoryStores();
    const conference = stores.conferences.seed({ conferenceId: '1234567' });
    const participant = await stores.participants.insert({
      id: randomUUID(),
      conferenceId: conference.id,
      channelId: 'call-1',
      displayName: 'Alice',
      callerNumber: '+14255550123',
    });
    return { ...stores, conference, participant };
  }

  it('inserts a connecting, unmuted phone participant', async () => {
    const { participant } = await entered();

    expect(participant).toMatchObject({ state: 'connecting', muted: false, mutedBy: null, via: 'phone', joinedAt: null });
  });

  it('never moves a disconnected participant back to connecting or connected', async () => {
    const { participants, participant } = await entered();
    await participants.setState(participant.id, 'disconnected');

    expect(await participants.setState(participant.id, 'connected')).toBeUndefined();
    expect(await participants.setState(participant.id, 'connecting')).toBeUndefined();
    expect((await participants.get(participant.id))?.state).toBe('disconnected');
  });

  it('sets joinedAt and leftAt once, and clears talking when leaving', async () => {
    const { participants, participant } = await entered();
    const connected = await participants.setState(participant.id, 'connected');
    await participants.setTalking([{ id: participant.id, talking: true }]);
    const left = await participants.setState(participant.id, 'disconnected');
    const again = await participants.setState(participant.id, 'disconnected');

    expect(connected?.joinedAt).toBeInstanceOf(Date);
    expect(left).toMatchObject({ joinedAt: connected?.joinedAt, talking: false });
    expect(again?.leftAt).toEqual(left?.leftAt);
  });

  it('returns snapshots: a participant read before an update keeps its old values', async () => {
    const { participants, participant } = await entered();

    await participants.setMuted(participant.id, true, 'self');

    expect(participant.muted).toBe(false);
    expect((await participants.get(participant.id))?.muted).toBe(true);
  });

  it('finds a participant by channel only while it is live, and allows one live participant per channel', async () => {
    const { participants, participant, conference } = await entered();
    const again = { id: randomUUID(), conferenceId: conference.id, channelId: 'call-1', displayName: 'A', callerNumber: '' };

    await expect(participants.insert(again)).rejects.toBeInstanceOf(ConstraintViolation);
    await participants.setState(participant.id, 'disconnected');

    expect(await participants.byChannel('call-1')).toBeUndefined();
    expect(await participants.insert(again)).toMatchObject({ channelId: 'call-1' });
  });

  it('counts only connected participants of the conference', async () => {
    const { participants, participant, conference } = await entered();
    expect(await participants.countConnected(conference.id)).toBe(0);

    await participants.setState(participant.id, 'connected');

    expect(await participants.countConnected(conference.id)).toBe(1);
    expect(await participants.countConnected('f'.repeat(32))).toBe(0);
  });

  it('refuses a participant of a conference that does not exist', async () => {
    const { participants } = memoryStores();
    const orphan = { id: randomUUID(), conferenceId: 'f'.repeat(32), channelId: 'c', displayName: 'A', callerNumber: '' };

    await expect(participants.insert(orphan)).rejects.toBeInstanceOf(ConstraintViolation);
  });
});
