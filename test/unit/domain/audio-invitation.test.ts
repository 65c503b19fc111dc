import { describe, expect, it } from 'vitest';
import { numberToCall, requireAnswerable, stateAfter, type AudioInvitation, type InvitationState } from '../../../src/domain/audio-invitation.js';
import { DomainError } from '../../../src/domain/errors.js';

const now = new Date('2026-12-01T17:00:00Z');
const invitation = (state: InvitationState, expiresAt = new Date(now.getTime() + 60_000)): AudioInvitation => ({
  id: 'i1',
  conferenceId: 'c1',
  conversationId: null,
  inviterUserId: 'u1',
  inviteeUserId: 'u2',
  email: null,
  displayName: 'Bo Chen',
  state,
  phone: null,
  participantId: null,
  createdAt: now,
  expiresAt,
  respondedAt: null,
});
const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a DomainError';
  }
};

describe('answering an invitation', () => {
  it('is allowed only while pending and before it expires', () => {
    expect(codeOf(() => requireAnswerable(invitation('pending'), now))).toBeUndefined();
    expect(codeOf(() => requireAnswerable(invitation('pending', now), now))).toBe('invitation-expired');
    expect(codeOf(() => requireAnswerable(invitation('expired'), now))).toBe('invitation-expired');
    expect(codeOf(() => requireAnswerable(invitation('cancelled'), now))).toBe('invitation-expired');
    for (const state of ['accepted', 'declined', 'redirected', 'sent'] as const) {
      expect(codeOf(() => requireAnswerable(invitation(state), now)), state).toBe('invitation-answered');
    }
  });

  it('leads to the state the answer names', () => {
    expect([stateAfter('accept'), stateAfter('decline'), stateAfter('redirect')]).toEqual(['accepted', 'declined', 'redirected']);
  });
});

describe('the number parley calls', () => {
  const published = { work: '+14255550301', home: '+14255550302', other: '+14255550303' };

  it('is the number typed, else the published one chosen, else the first of mobile, work, home, other', () => {
    expect(numberToCall({ phone: '+12065550100' }, published)).toBe('+12065550100');
    expect(numberToCall({ published: 'home' }, published)).toBe('+14255550302');
    expect(numberToCall(undefined, published)).toBe('+14255550301');
    expect(numberToCall(undefined, { ...published, mobile: '+14255550304' })).toBe('+14255550304');
    expect(numberToCall(undefined, { other: '+14255550303' })).toBe('+14255550303');
  });

  it('is refused with a clear code when the person published none (or not the one chosen)', () => {
    expect(codeOf(() => numberToCall(undefined, {}))).toBe('no-published-number');
    expect(codeOf(() => numberToCall({ published: 'mobile' }, published))).toBe('no-published-number');
  });
});
