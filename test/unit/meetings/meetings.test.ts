import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MEETING_ID_PATTERN, type RandomBytes } from '../../../src/domain/ids.js';
import type { Principal } from '../../../src/domain/user.js';
import { Meetings } from '../../../src/meetings/meetings.js';
import { memoryStores, US_ACCESS_NUMBER } from '../../support/memory-stores.js';
import { codeOf } from '../harness.js';

/** Bytes that newNumericId turns into exactly these digits (the first digit must not be 0). */
function bytesFor(digits: string): Uint8Array {
  return Uint8Array.from([...digits], (d, i) => (i === 0 ? Number(d) - 1 : Number(d)));
}

/**
 * Scripted randomness: 16-byte requests (meeting IDs) count up so every meeting ID differs;
 * other requests yield the next of `numbers` (the last one repeats once the list runs out).
 */
function scripted(numbers: readonly string[]): RandomBytes & { requests: number[] } {
  let meeting = 0;
  let next = 0;
  const requests: number[] = [];
  return Object.assign(
    (count: number) => {
      requests.push(count);
      if (count === 16) return new Uint8Array(16).fill(0).map((_, i) => (i === 15 ? meeting++ : 0));
      const digits = numbers[Math.min(next++, numbers.length - 1)]!;
      if (digits.length !== count) throw new Error(`asked for ${count} digits, scripted ${digits}`);
      return bytesFor(digits);
    },
    { requests },
  );
}

const SERVICE: Principal = { kind: 'service' };

/** Meetings on memory stores; `personalIds` are users' assigned conference IDs, which no new meeting may take. */
function meetingsOn(stores: ReturnType<typeof memoryStores>, random: RandomBytes, personalIds: readonly string[] = []) {
  const users = { get: async () => undefined, isConferenceIdInUse: async (id: string) => personalIds.includes(id) };
  return new Meetings({ conferences: stores.conferences, users, dialInNumbers: { forRegion: () => stores.accessNumbers.list() }, random });
}

function setUp(numbers: readonly string[], personalIds: readonly string[] = []) {
  const stores = memoryStores([US_ACCESS_NUMBER]);
  const random = scripted(numbers);
  return { ...stores, random, meetings: meetingsOn(stores, random, personalIds) };
}


describe('Meetings.create', () => {
  it('creates an anonymous conference with a 7-digit ID and returns the dial-in numbers', async () => {
    const { meetings, conferences } = setUp(['1234567']);

    const meeting = await meetings.create(SERVICE, { subject: 'Weekly sync' });

    expect(meeting.conference).toMatchObject({
      conferenceId: '1234567',
      subject: 'Weekly sync',
      accessType: 'anonymous',
      passcode: null,
      locked: false,
      status: 'scheduled',
    });
    expect(meeting.conference.id).toMatch(MEETING_ID_PATTERN);
    expect(meeting.dialIn).toEqual([US_ACCESS_NUMBER]);
    expect(await conferences.get(meeting.conference.id)).toEqual(meeting.conference);
  });

  it('generates a 6-digit passcode from the injected randomness when asked for one', async () => {
    const { meetings, random } = setUp(['987654', '1234567']);

    const { conference } = await meetings.create(SERVICE, { subject: 'Weekly sync', passcode: true });

    expect(conference.passcode).toBe('987654');
    expect(random.requests).toEqual([6, 7, 16]);
  });

  it('generates passcodes of 6 digits, never starting with 0, from real randomness', async () => {
    const stores = memoryStores();
    const meetings = meetingsOn(stores, (n) => randomBytes(n));

    for (let i = 0; i < 50; i++) {
      const { conference } = await meetings.create(SERVICE, { subject: `Meeting ${i}`, passcode: true });

      expect(conference.passcode).toMatch(/^[1-9][0-9]{5}$/);
      expect(conference.conferenceId).toMatch(/^[1-9][0-9]{6}$/);
    }
  });

  it('keeps a passcode the organiser chose', async () => {
    const { meetings } = setUp(['1234567']);

    const { conference } = await meetings.create(SERVICE, { subject: 'Weekly sync', passcode: '0042', accessType: 'closed' });

    expect(conference).toMatchObject({ passcode: '0042', accessType: 'closed' });
  });

  it('refuses a passcode of two digits with validation-failed, storing nothing', async () => {
    const { meetings, conferences } = setUp(['1234567']);

    expect(await codeOf(meetings.create(SERVICE, { subject: 'Weekly sync', passcode: '12' }))).toBe('validation-failed');
    expect(conferences.all()).toEqual([]);
  });

  it('refuses passcodes that are too long or not digits with validation-failed', async () => {
    const { meetings } = setUp(['1234567']);

    expect(await codeOf(meetings.create(SERVICE, { subject: 's', passcode: '1234567890123' }))).toBe('validation-failed');
    expect(await codeOf(meetings.create(SERVICE, { subject: 's', passcode: '12a4' }))).toBe('validation-failed');
    expect(await codeOf(meetings.create(SERVICE, { subject: 's', passcode: '' }))).toBe('validation-failed');
  });

  it('refuses an end before the start, or equal to it, with validation-failed', async () => {
    const { meetings, conferences } = setUp(['1234567']);
    const startsAt = new Date('2030-01-01T10:00:00Z');

    expect(
      await codeOf(meetings.create(SERVICE, { subject: 's', startsAt, endsAt: new Date('2030-01-01T09:00:00Z') })),
    ).toBe('validation-failed');
    expect(await codeOf(meetings.create(SERVICE, { subject: 's', startsAt, endsAt: new Date(startsAt) }))).toBe(
      'validation-failed',
    );
    expect(conferences.all()).toEqual([]);
  });

  it('keeps the start and end of a meeting that ends after it starts', async () => {
    const { meetings } = setUp(['1234567']);
    const startsAt = new Date('2030-01-01T10:00:00Z');
    const endsAt = new Date('2030-01-01T11:00:00Z');

    const { conference } = await meetings.create(SERVICE, { subject: 's', startsAt, endsAt });

    expect(conference).toMatchObject({ startsAt, endsAt });
  });

  it('draws another conference ID when the first one is taken by a live conference', async () => {
    const { meetings, conferences } = setUp(['1111111', '2222222']);
    conferences.seed({ conferenceId: '1111111', status: 'active' });

    const { conference } = await meetings.create(SERVICE, { subject: 'Weekly sync' });

    expect(conference.conferenceId).toBe('2222222');
    expect(conferences.insertAttempts.map((c) => c.conferenceId)).toEqual(['1111111', '2222222']);
  });

  it('reuses the conference ID of a conference that has ended', async () => {
    const { meetings, conferences } = setUp(['1111111']);
    conferences.seed({ conferenceId: '1111111', status: 'ended' });

    const { conference } = await meetings.create(SERVICE, { subject: 'Weekly sync' });

    expect(conference.conferenceId).toBe('1111111');
    expect(conferences.insertAttempts).toHaveLength(1);
  });

  it('gives up with conference-id-exhausted after 20 taken conference IDs', async () => {
    const { meetings, conferences } = setUp(['1111111']);
    conferences.seed({ conferenceId: '1111111', status: 'scheduled' });

    expect(await codeOf(meetings.create(SERVICE, { subject: 'Weekly sync' }))).toBe('conference-id-exhausted');
    expect(conferences.insertAttempts).toHaveLength(20);
    expect(conferences.all()).toHaveLength(1);
  });
});

describe('Meetings.get', () => {
  it('returns the conference with the dial-in numbers', async () => {
    const { meetings } = setUp(['1234567']);
    const created = await meetings.create(SERVICE, { subject: 'Weekly sync' });

    expect(await meetings.get(SERVICE, created.conference.id)).toEqual(created);
  });

  it('fails with conference-not-found for an unknown meeting', async () => {
    const { meetings } = setUp(['1234567']);

    expect(await codeOf(meetings.get(SERVICE, 'f'.repeat(32)))).toBe('conference-not-found');
  });
});

describe('Meetings: the passcode policy for anonymous meetings (PASSCODE_FOR_ANONYMOUS, default on)', () => {
  function withPolicy(numbers: readonly string[]) {
    const stores = memoryStores([US_ACCESS_NUMBER]);
    const users = { get: async () => undefined, isConferenceIdInUse: async () => false };
    const random = scripted(numbers);
    const meetings = new Meetings({
      conferences: stores.conferences,
      users,
      dialInNumbers: { forRegion: () => stores.accessNumbers.list() },
      random,
      passcodeForAnonymous: async () => true,
    });
    return { meetings };
  }

  it('gives an anonymous meeting a passcode when none was asked for', async () => {
    const { meetings } = withPolicy(['987654', '1234567']);
    const { conference } = await meetings.create(SERVICE, { subject: 'Guarded' });
    expect(conference.passcode).toBe('987654');
  });

  it('lets the organiser turn it off with passcode null, and keeps it off through later changes', async () => {
    const { meetings } = withPolicy(['1234567', '987654']);
    const { conference } = await meetings.create(SERVICE, { subject: 'Open door', passcode: null });
    expect(conference.passcode).toBeNull();
    const updated = await meetings.update(SERVICE, conference.id, { subject: 'Still open' });
    expect(updated.conference.passcode).toBeNull();
  });

  it('gives a meeting that becomes anonymous a passcode unless the change says null', async () => {
    const { meetings } = withPolicy(['1234567', '987654', '7654321']);
    const closed = await meetings.create(SERVICE, { subject: 'Closed', accessType: 'closed' });
    expect(closed.conference.passcode).toBeNull();
    expect((await meetings.update(SERVICE, closed.conference.id, { accessType: 'anonymous' })).conference.passcode).toMatch(/^\d{6}$/);
    const other = await meetings.create(SERVICE, { subject: 'Closed too', accessType: 'closed' });
    expect((await meetings.update(SERVICE, other.conference.id, { accessType: 'anonymous', passcode: null })).conference.passcode).toBeNull();
  });
});
