import type { GuessRateState, KeypadGuessRule, KeypadGuessState } from '../domain/keypad-guessing.js';

/** Where a caller's wrong entries are counted: one caller (see guessingCaller) on one access number. */
export interface GuessKey {
  readonly accessNumber: string;
  readonly caller: string;
}

export interface WrongEntryCount {
  /** This caller's count after the entry. */
  readonly caller: KeypadGuessState;
  /** The deployment's count in the current minute after the entry. */
  readonly deployment: GuessRateState;
  /** This entry reached the deployment-wide alarm rate (true for exactly one entry per window). */
  readonly alarm: boolean;
}

export interface KeypadGuessStore {
  state(key: GuessKey): Promise<KeypadGuessState>;
  /** Counts one wrong entry as afterWrongEntry and afterWrongEntryAnywhere (domain/keypad-guessing.ts) do, atomically. */
  recordWrong(key: GuessKey, rule: KeypadGuessRule, alarmPerMinute: number, now: Date): Promise<WrongEntryCount>;
}

/** What administrators are told about when the deployment as a whole is being guessed at. */
export interface GuessingAlarm {
  readonly at: Date;
  readonly failuresPerMinute: number;
  readonly threshold: number;
  /** The entry that raised it: where, and what was typed wrong (never the digits). */
  readonly accessNumber: string;
  readonly kind: WrongEntryKind;
}

export type WrongEntryKind = 'conference-id' | 'passcode' | 'pin';

/** Raises an alarm: an audit entry and a `keypad-guessing` webhook event to subscribers of every conference. */
export interface SecurityAlarms {
  raise(alarm: GuessingAlarm): Promise<void>;
}
