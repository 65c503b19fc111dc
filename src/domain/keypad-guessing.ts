/**
 * Wrong conference IDs, passcodes and PINs typed at the attendant, counted across calls. A guesser gets
 * three tries per call and simply calls again, so the count is kept per caller number and access number
 * (the number dialled): past `slowAfter` wrong entries in a window the attendant waits longer and longer
 * before asking again; at `refuseAfter` that caller number is refused for `refuseMinutes`, told why.
 * Callers who withhold their number cannot be told apart: they share one count per access number.
 */
export interface KeypadGuessState {
  /** Wrong entries since `windowStartedAt` (or since the refusal began, while refused). */
  readonly failures: number;
  readonly windowStartedAt: Date | null;
  readonly refusedUntil: Date | null;
}

export const CLEAR_KEYPAD_GUESSES: KeypadGuessState = { failures: 0, windowStartedAt: null, refusedUntil: null };

export interface KeypadGuessRule {
  /** Wrong entries in a window before the attendant starts waiting before each next question. */
  readonly slowAfter: number;
  /** The first wait; it doubles with every further wrong entry… */
  readonly delayStepMs: number;
  /** …up to this. */
  readonly maxDelayMs: number;
  /** Wrong entries in a window that get the caller number refused. */
  readonly refuseAfter: number;
  /** A window starts at the first wrong entry and lasts this long; the next wrong entry after it starts a new one. */
  readonly windowMinutes: number;
  readonly refuseMinutes: number;
}

export const DEFAULT_KEYPAD_GUESS_RULE: KeypadGuessRule = {
  slowAfter: 6,
  delayStepMs: 2000,
  maxDelayMs: 16_000,
  refuseAfter: 30,
  windowMinutes: 60,
  refuseMinutes: 60,
};

/** The count a caller is kept under: their number as dialled in, or `anonymous` for all who withhold it. */
export const ANONYMOUS_CALLER = 'anonymous';

const WITHHELD = /^(anonymous|unknown|unavailable|restricted|private|withheld|blocked)$/i;

/**
 * The caller number as counted: digits and a leading +. Anything with fewer than 3 digits, or a
 * withheld marker (SIP `anonymous`, `Restricted`, …), counts as anonymous.
 */
export function guessingCaller(number: string): string {
  const trimmed = number.trim();
  if (WITHHELD.test(trimmed)) return ANONYMOUS_CALLER;
  const digits = trimmed.replace(/[^0-9]/g, '');
  if (digits.length < 3) return ANONYMOUS_CALLER;
  return trimmed.startsWith('+') ? `+${digits}` : digits;
}

export function isRefused(state: Pick<KeypadGuessState, 'refusedUntil'>, now: Date): boolean {
  return state.refusedUntil !== null && state.refusedUntil > now;
}

/**
 * The count after one more wrong entry. src/adapters/pg/keypad-guess-store.ts does the same in one
 * statement (concurrent calls must not lose counts); test/integration/keypad-guess-sql.test.ts holds
 * the two together.
 */
export function afterWrongEntry(state: KeypadGuessState, rule: KeypadGuessRule, now: Date): KeypadGuessState {
  // A call that was already past the start when the number was refused still counts.
  if (isRefused(state, now)) return { ...state, failures: state.failures + 1 };
  // A refusal that has ended, or a window that has passed, starts the count afresh.
  const fresh =
    state.refusedUntil !== null || state.windowStartedAt === null || now.getTime() - state.windowStartedAt.getTime() >= rule.windowMinutes * 60_000;
  const failures = fresh ? 1 : state.failures + 1;
  const windowStartedAt = fresh ? now : state.windowStartedAt;
  const refusedUntil = failures >= rule.refuseAfter ? new Date(now.getTime() + rule.refuseMinutes * 60_000) : null;
  return { failures, windowStartedAt, refusedUntil };
}

/** How long to wait before asking again after the wrong entry that led to `state`: 0, then doubling. */
export function delayBeforeNextPrompt(state: Pick<KeypadGuessState, 'failures'>, rule: KeypadGuessRule): number {
  if (state.failures < rule.slowAfter) return 0;
  const doublings = Math.min(state.failures - rule.slowAfter, 30);
  return Math.min(rule.maxDelayMs, rule.delayStepMs * 2 ** doublings);
}

/**
 * Wrong entries across the whole deployment, in fixed one-minute windows: the alarm is raised once per
 * window, by the wrong entry that reaches `alarmPerMinute` (a guesser rotating caller numbers shows here).
 */
export interface GuessRateState {
  readonly failures: number;
  readonly windowStartedAt: Date | null;
}

export const RATE_WINDOW_MS = 60_000;

export function afterWrongEntryAnywhere(state: GuessRateState, alarmPerMinute: number, now: Date): { state: GuessRateState; alarm: boolean } {
  const fresh = state.windowStartedAt === null || now.getTime() - state.windowStartedAt.getTime() >= RATE_WINDOW_MS;
  const next = fresh ? { failures: 1, windowStartedAt: now } : { failures: state.failures + 1, windowStartedAt: state.windowStartedAt };
  return { state: next, alarm: next.failures === alarmPerMinute };
}
