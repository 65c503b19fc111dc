import { isDigits } from './ids.js';

export type AccessType = 'anonymous' | 'open' | 'closed';
export type ConferenceStatus = 'scheduled' | 'active' | 'ended';

export interface Conference {
  readonly id: string;
  readonly conferenceId: string;
  readonly subject: string;
  readonly accessType: AccessType;
  readonly passcode: string | null;
  readonly locked: boolean;
  readonly status: ConferenceStatus;
  readonly startsAt: Date | null;
  readonly endsAt: Date | null;
  readonly createdAt: Date;
  /** The directory user who scheduled it; null when the deployment's service token did. */
  readonly organizerId: string | null;
}

export const CONFERENCE_ID_LENGTH = 7;
export const PASSCODE_LENGTH = { min: 4, max: 12, generated: 6 } as const;

export type Admission = { admitted: true } | { admitted: false; reason: 'ended' | 'locked' };

/** Whether a caller who has identified the conference may go on to enter it. */
export function admission(conference: Conference): Admission {
  if (conference.status === 'ended') return { admitted: false, reason: 'ended' };
  if (conference.locked) return { admitted: false, reason: 'locked' };
  return { admitted: true };
}

export function needsPasscode(conference: Conference): boolean {
  return conference.passcode !== null;
}

/** Compares in time independent of where the first difference is. */
export function passcodeMatches(conference: Conference, entered: string): boolean {
  const expected = conference.passcode;
  if (expected === null) return true;
  let diff = expected.length ^ entered.length;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ (entered.charCodeAt(i) || 0);
  return diff === 0;
}

export function isValidPasscode(value: string): boolean {
  return isDigits(value, PASSCODE_LENGTH.min, PASSCODE_LENGTH.max);
}

export function looksLikeConferenceId(value: string): boolean {
  return isDigits(value, 1, 16);
}
