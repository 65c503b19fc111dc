import { isDigits } from './ids.js';

export type AccessType = 'anonymous' | 'open' | 'closed';
export type ConferenceStatus = 'scheduled' | 'active' | 'ended';
/** What the API says of a meeting: a cancelled one is ended for the bridge, but people want to know it was cancelled. */
export type ReportedStatus = ConferenceStatus | 'cancelled';

export function reportedStatus(conference: { readonly status: ConferenceStatus; readonly cancelledAt: Date | null }): ReportedStatus {
  return conference.cancelledAt ? 'cancelled' : conference.status;
}
export type AnnounceWith = 'names' | 'tones';

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
  /** The organiser's personal conference ID ("use my assigned conference ID") rather than a new one. */
  readonly usesPersonalId: boolean;
  /** IANA zone the organiser scheduled in (invitations show times in it). */
  readonly timeZone: string | null;
  /** RFC 5545 RRULE value, e.g. FREQ=WEEKLY;BYDAY=MO;COUNT=10. */
  readonly recurrence: string | null;
  /** False: unauthenticated callers wait in the lobby until a leader is present (they cannot start the meeting). */
  readonly joinBeforeLeader: boolean;
  /** PstnCallersBypassLobby: false keeps unauthenticated callers in the lobby until a leader admits them. */
  readonly lobbyBypass: boolean;
  readonly announceEntryExit: boolean;
  /** Entry/exit announcements say the caller's name, or play a tone only. */
  readonly announceWith: AnnounceWith;
  /** `*4`: everyone but the leaders is muted, and later joiners join muted. */
  readonly audienceMuted: boolean;
  /** The participant holding the floor (see talk-monitor.ts); null when nobody talks. */
  readonly activeSpeakerId: string | null;
  /** Whether a caller muted with the audience may unmute themselves with `*6`. */
  readonly audienceMayUnmute: boolean;
  readonly maxParticipants: number;
  /** E-mail addresses or SIP URIs; for closed meetings, the only people let in. */
  readonly invitees: readonly string[];
  readonly leaders: readonly string[];
  /** Directory users promoted to leader during the meeting. */
  readonly promotedUserIds: readonly string[];
  /** iCalendar SEQUENCE: bumped by every change an invitee must be told about. */
  readonly sequence: number;
  readonly cancelledAt: Date | null;
  /** The join window: callers are let in from `opensAt` until `expiresAt` (null: a recurrence without end). */
  readonly opensAt: Date;
  readonly expiresAt: Date | null;
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
