import { describe, expect, it } from 'vitest';
import {
  admission,
  isValidPasscode,
  looksLikeConferenceId,
  needsPasscode,
  passcodeMatches,
  type Conference,
} from '../../../src/domain/conference.js';

function conference(fields: Partial<Conference> = {}): Conference {
  return {
    id: 'a'.repeat(32),
    conferenceId: '1234567',
    subject: 'Weekly sync',
    accessType: 'anonymous',
    passcode: '4321',
    locked: false,
    status: 'scheduled',
    organizerId: null,
    startsAt: null,
    endsAt: null,
    createdAt: new Date(0),
    usesPersonalId: false,
    timeZone: null,
    recurrence: null,
    joinBeforeLeader: true,
    lobbyBypass: true,
    announceEntryExit: false,
    announceWith: 'names',
    audienceMuted: false,
    activeSpeakerId: null,
    promotedUserIds: [],
    audienceMayUnmute: true,
    maxParticipants: 250,
    invitees: [],
    leaders: [],
    sequence: 0,
    cancelledAt: null,
    opensAt: new Date(0),
    expiresAt: null,
    ...fields,
  };
}

describe('admission', () => {
  it('admits callers to a scheduled or active conference that is not locked', () => {
    expect(admission(conference({ status: 'scheduled' }))).toEqual({ admitted: true });
    expect(admission(conference({ status: 'active' }))).toEqual({ admitted: true });
  });

  it('refuses callers when the conference is locked', () => {
    expect(admission(conference({ locked: true }))).toEqual({ admitted: false, reason: 'locked' });
  });

  it('refuses callers when the conference has ended, even if it is also locked', () => {
    expect(admission(conference({ status: 'ended' }))).toEqual({ admitted: false, reason: 'ended' });
    expect(admission(conference({ status: 'ended', locked: true }))).toEqual({ admitted: false, reason: 'ended' });
  });
});

describe('passcodes', () => {
  it('needs a passcode only when the conference has one', () => {
    expect(needsPasscode(conference({ passcode: '4321' }))).toBe(true);
    expect(needsPasscode(conference({ passcode: null }))).toBe(false);
  });

  it('matches the right passcode', () => {
    expect(passcodeMatches(conference({ passcode: '4321' }), '4321')).toBe(true);
    expect(passcodeMatches(conference({ passcode: '000000' }), '000000')).toBe(true);
  });

  it('rejects a wrong passcode of the same length', () => {
    expect(passcodeMatches(conference({ passcode: '4321' }), '4322')).toBe(false);
    expect(passcodeMatches(conference({ passcode: '4321' }), '1234')).toBe(false);
  });

  it('rejects a passcode of a different length, including a prefix or an extension of the right one', () => {
    const c = conference({ passcode: '4321' });

    expect(passcodeMatches(c, '432')).toBe(false);
    expect(passcodeMatches(c, '43210')).toBe(false);
    expect(passcodeMatches(c, '')).toBe(false);
    expect(passcodeMatches(conference({ passcode: '4320' }), '432')).toBe(false);
  });

  it('accepts anything when the conference has no passcode', () => {
    expect(passcodeMatches(conference({ passcode: null }), '')).toBe(true);
    expect(passcodeMatches(conference({ passcode: null }), '999')).toBe(true);
  });

  it('accepts passcodes of 4 to 12 digits only', () => {
    expect(isValidPasscode('123')).toBe(false);
    expect(isValidPasscode('1234')).toBe(true);
    expect(isValidPasscode('123456789012')).toBe(true);
    expect(isValidPasscode('1234567890123')).toBe(false);
    expect(isValidPasscode('12a4')).toBe(false);
    expect(isValidPasscode('')).toBe(false);
    expect(isValidPasscode('0000')).toBe(true);
  });
});

describe('looksLikeConferenceId', () => {
  it('accepts 1 to 16 digits and nothing else', () => {
    expect(looksLikeConferenceId('1')).toBe(true);
    expect(looksLikeConferenceId('1234567890123456')).toBe(true);
    expect(looksLikeConferenceId('12345678901234567')).toBe(false);
    expect(looksLikeConferenceId('')).toBe(false);
    expect(looksLikeConferenceId('12*4')).toBe(false);
  });
});
