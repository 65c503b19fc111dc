import type { Attendance } from '../conferences/attendance.js';
import type { ConferenceEntry } from '../conferences/entry.js';
import type { Lobby } from '../conferences/lobby.js';
import type { CommandKey } from '../domain/keypad.js';
import type { Conference } from '../domain/conference.js';
import type { Log } from '../ports/log.js';
import type { Call } from '../ports/telephony.js';
import type { KeypadIdentities } from './identify-caller.js';
import type { KeypadGuard } from './keypad-guard.js';
import type { CallLanguages } from './languages.js';
import type { EntryTiming } from './prompt-steps.js';
import type { InConferenceParts } from './in-conference.js';

/** The parts of the live conference the attendant's flows use: entry, the lobby, the bridge, then in-conference. */
export type AttendantConferences = InConferenceParts & {
  readonly entry: Pick<ConferenceEntry, 'findJoinable' | 'enter' | 'conference' | 'participant' | 'leaderPresent' | 'identify' | 'authenticated' | 'saveName' | 'turnedAway'>;
  readonly lobby: Pick<Lobby, 'admission' | 'enter' | 'rejoin' | 'leave'>;
  readonly attendance: Pick<Attendance, 'join' | 'leave'>;
};

export interface AttendantSettings {
  readonly tries: number;
  readonly timing: EntryTiming;
  /** The key that starts in-conference commands. */
  readonly commandKey: CommandKey;
  /** Callers who do not sign in say their name (for announcements and roll call); 0 turns it off. */
  readonly nameSeconds: number;
  /** How long a caller may wait in the lobby before the attendant gives up. */
  readonly lobbyMaxMs: number;
}

export const DEFAULT_ATTENDANT: AttendantSettings = {
  tries: 3,
  timing: { firstKeyMs: 5000, betweenKeysMs: 4000 },
  commandKey: '*',
  nameSeconds: 4,
  lobbyMaxMs: 30 * 60_000,
};

export interface Attendant {
  readonly conferences: AttendantConferences;
  readonly settings: AttendantSettings;
  /** Callers may press * to sign in with their extension or phone number and PIN. */
  readonly identities?: KeypadIdentities | undefined;
  readonly languages?: CallLanguages | undefined;
  readonly log?: Log | undefined;
  /** Wrong entries counted across calls: slows down, then refuses, a caller number that keeps guessing. */
  readonly guard?: KeypadGuard | undefined;
  /**
   * A cluster: the conference's node takes the caller from here (src/calls/relay.ts), or this node has it
   * ('here'); unset on a single box.
   */
  readonly putThrough?: ((call: Call, conference: Conference, typedAhead: () => string) => Promise<'here' | 'relayed' | 'unavailable'>) | undefined;
}
