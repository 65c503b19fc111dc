import type { ConferenceService } from '../conferences/conference-service.js';
import type { CommandKey } from '../domain/keypad.js';
import type { Log } from '../ports/log.js';
import type { KeypadIdentities } from './identify-caller.js';
import type { KeypadGuard } from './keypad-guard.js';
import type { CallLanguages } from './languages.js';
import type { EntryTiming } from './prompt-steps.js';

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
  readonly conferences: ConferenceService;
  readonly settings: AttendantSettings;
  /** Callers may press * to sign in with their extension or phone number and PIN. */
  readonly identities?: KeypadIdentities | undefined;
  readonly languages?: CallLanguages | undefined;
  readonly log?: Log | undefined;
  /** Wrong entries counted across calls: slows down, then refuses, a caller number that keeps guessing. */
  readonly guard?: KeypadGuard | undefined;
}
