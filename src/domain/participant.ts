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
/** How the call ended, for the call detail record. */
export type EndReason = 'hangup' | 'ejected' | 'ended-by-leader' | 'refused' | 'lobby-timeout' | 'failed' | 'abandoned' | InvitationOutcome;

/** 'audience': muted with everyone but the leaders (*4), lifted with it. */
export type MutedBy = 'self' | 'leader' | 'audience';
export type JoinedVia = 'phone' | 'voip';

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

/** A caller's number as others may see it: the country code and area kept, the line masked. */
export function maskCallerNumber(number: string): string {
  const digits = number.replace(/[^0-9+]/g, '');
  if (digits.replace('+', '').length < 7) return 'Caller';
  return `${digits.slice(0, -4)}••••`;
}

export function displayNameFor(caller: { name: string; number: string }): string {
  const name = caller.name.trim();
  if (name && name !== caller.number && !/^(anonymous|unknown)$/i.test(name)) return name;
  return maskCallerNumber(caller.number);
}
