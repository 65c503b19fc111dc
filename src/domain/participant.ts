export type ParticipantRole = 'leader' | 'participant';
/**
 * The conference-endpoint states: `inviting` and `ringing` for calls parley places, `connecting` in the
 * attendant, `lobby`, `connected`, `on-hold` (the caller's phone put the bridge on hold), `disconnecting`
 * (hearing a closing prompt before the hangup), `disconnected`.
 */
export type ParticipantState = 'inviting' | 'ringing' | 'connecting' | 'lobby' | 'connected' | 'on-hold' | 'disconnecting' | 'disconnected';
/** How the caller proved who they are: the meeting's passcode, a PIN at the keypad, or their SIP device's digest. */
export type AuthMethod = 'none' | 'passcode' | 'pin' | 'sip';
/** How a call parley placed ended without joining (the dial-out outcomes on the roster). */
export type InvitationOutcome = 'busy' | 'no-answer' | 'declined' | 'cancelled' | 'not-accepted';
/**
 * Why the attendant turned a caller away, each its own reason. The first five come before the caller
 * proved the passcode or who they are (no roster row: see DoorRefusal); the others after.
 */
export type Refusal =
  | 'wrong-passcode'
  | 'sign-in-failed'
  | 'pin-locked'
  | 'keypad-refused'
  | 'sign-in-required'
  | 'not-invited'
  | 'locked'
  | 'full'
  | 'meeting-ended';
/**
 * How the call ended, for the call detail record. `hangup`: the caller hung up in the conference;
 * `abandoned`: hung up in the attendant or lobby before joining; `lobby-denied`: a leader turned them
 * away from the lobby; `lost`: the call was gone when parley looked again (Asterisk, its node or the
 * database was away); `failed`: parley could not carry the call. `refused` is only on rows written
 * before schema 24, when every refusal had that one reason.
 */
export type EndReason =
  | 'hangup'
  | 'abandoned'
  | 'ejected'
  | 'ended-by-leader'
  | 'lobby-timeout'
  | 'lobby-denied'
  | 'lost'
  | 'failed'
  | 'refused'
  | Refusal
  | InvitationOutcome;

/** Every end reason, in the order the API documents them (migration 024 allows exactly these). */
export const END_REASONS: readonly EndReason[] = [
  'hangup',
  'abandoned',
  'ejected',
  'ended-by-leader',
  'lobby-timeout',
  'lobby-denied',
  'lost',
  'failed',
  'wrong-passcode',
  'sign-in-failed',
  'pin-locked',
  'keypad-refused',
  'sign-in-required',
  'not-invited',
  'locked',
  'full',
  'meeting-ended',
  'busy',
  'no-answer',
  'declined',
  'cancelled',
  'not-accepted',
  'refused',
];

/**
 * A caller turned away before the roster: they named a conference but did not prove its passcode or who
 * they are. Kept for the leaders' call records (GET …/history), never on the roster, so guessing adds
 * no participants.
 */
export interface DoorRefusal {
  readonly conferenceId: string;
  readonly at: Date;
  /** As others may see it (masked as on the roster). */
  readonly caller: string;
  readonly reason: Refusal;
  readonly language: string | null;
}

/** 'audience': muted with everyone but the leaders (*4), lifted with it. */
export type MutedBy = 'self' | 'leader' | 'audience';
/** A phone line that dialled in, a phone line parley called, or a browser or SIP device. */
export type JoinedVia = 'phone' | 'dial-out' | 'voip';

export interface Participant {
  readonly id: string;
  readonly conferenceId: string;
  readonly channelId: string;
  readonly displayName: string;
  readonly role: ParticipantRole;
  readonly state: ParticipantState;
  readonly muted: boolean;
  readonly mutedBy: MutedBy | null;
  readonly talking: boolean;
  /** Keeps producing sound while others speak (see talk-monitor.ts). */
  readonly noisy: boolean;
  readonly via: JoinedVia;
  /** The caller's number masked for the roster (see directory/roster-number.ts); null when there is none. */
  readonly rosterNumber: string | null;
  readonly joinedAt: Date | null;
  readonly leftAt: Date | null;
  /** Set when the caller authenticated at the keypad. */
  readonly userId: string | null;
  /** The stored recording of the caller saying their name (unauthenticated callers). */
  readonly nameRecording: string | null;
  /** The locale the caller hears prompts in. */
  readonly language: string | null;
  readonly authMethod: AuthMethod;
  readonly endReason: EndReason | null;
}

/** A caller's number for the logs: the country code and area kept, the line masked (the roster masks its own way). */
export function maskCallerNumber(number: string): string {
  const digits = number.replace(/[^0-9+]/g, '');
  if (digits.replace('+', '').length < 7) return 'Caller';
  return `${digits.slice(0, -4)}••••`;
}

/**
 * The name a caller is shown by: their caller-ID name, or else their number masked by `mask` (the roster's
 * masking, directory/roster-number.ts, where the wiring passes it), or 'Caller' when there is no number.
 */
export function displayNameFor(caller: { name: string; number: string }, mask: (number: string) => string | null = maskCallerNumber): string {
  const name = caller.name.trim();
  if (name && name !== caller.number && !/^(anonymous|unknown)$/i.test(name)) return name;
  return mask(caller.number) ?? 'Caller';
}
