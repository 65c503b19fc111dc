import { describe, expect, it } from 'vitest';
import { conferenceAccess } from '../../../src/domain/conference-access.js';
import { leads } from '../../../src/domain/entry.js';
import type { Participant } from '../../../src/domain/participant.js';
import type { Principal, User } from '../../../src/domain/user.js';
import { MemoryConferenceStore, MemoryParticipantStore } from '../../support/memory-stores.js';

const user = (id: string, email: string, role: User['role'] = 'organizer'): User => ({
  id,
  displayName: id,
  sipUri: `sip:${email}`,
  email,
  extension: null,
  phones: {},
  region: 'US',
  role,
  assignedConferenceId: '1000001',
  hasPin: false,
  pinSetAt: null,
  pinLockedUntil: null,
  pinLockedOut: false,
  createdAt: new Date(0),
});
const as = (u: User): Principal => ({ kind: 'user', user: u });

const org = user('org', 'org@example.com');
const lead = user('lead', 'lead@example.com');
const guest = user('guest', 'guest@example.com');
const caller = user('caller', 'caller@example.com');
const stranger = user('stranger', 'stranger@example.com');
const admin = user('admin', 'admin@example.com', 'admin');

function setUp(promotedUserIds: string[] = []) {
  const conference = new MemoryConferenceStore().seed({ conferenceId: '4711', organizerId: 'org', leaders: ['LEAD@example.com'], invitees: ['guest@example.com'], promotedUserIds });
  const participants = new MemoryParticipantStore();
  const line = (userId: string, role: Participant['role'], state: Participant['state'] = 'connected') =>
    participants.seed({ id: crypto.randomUUID(), conferenceId: conference.id, channelId: crypto.randomUUID(), userId, role, state });
  return { conference, participants, line };
}

describe('who may see and lead a live conference', () => {
  it('lets administrators, the organiser and the named leaders lead; invitees and callers on the line only watch', () => {
    const { conference, line } = setUp();
    const roster = [line('caller', 'participant'), line('gone', 'leader', 'disconnected')];
    expect(conferenceAccess({ kind: 'service' }, conference, roster)).toBe('leader');
    expect(conferenceAccess(as(admin), conference, roster)).toBe('leader');
    expect(conferenceAccess(as(org), conference, roster)).toBe('leader');
    expect(conferenceAccess(as(lead), conference, roster)).toBe('leader'); // e-mail compared without case
    expect(conferenceAccess(as(guest), conference, roster)).toBe('participant');
    expect(conferenceAccess(as(caller), conference, roster)).toBe('participant');
    expect(conferenceAccess(as(stranger), conference, roster)).toBe('none');
  });

  it('lets a caller promoted on the call lead, but not once their line has left', () => {
    const { conference, line } = setUp();
    expect(conferenceAccess(as(caller), conference, [line('caller', 'leader')])).toBe('leader');
    expect(conferenceAccess(as(caller), conference, [line('caller', 'leader', 'disconnected')])).toBe('none');
  });

  it('gives a promoted directory user the leader role again when they dial in again', () => {
    expect(leads(setUp().conference, caller)).toBe(false);
    expect(leads(setUp(['caller']).conference, caller)).toBe(true);
  });
});
