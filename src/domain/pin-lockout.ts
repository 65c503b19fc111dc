import type { PinPolicy } from './pin-policy.js';

/**
 * Wrong PINs at the keypad, counted across calls as Lync counts them. The local counter holds wrong
 * PINs that came close together (each within the failure window of the one before); at its threshold
 * the PIN locks for a while. The global counter holds every wrong PIN since the last right one, an
 * administrator's unlock or a new PIN; at its threshold the PIN stays locked until an administrator
 * unlocks it (or a new PIN is set).
 */
export interface PinLockoutState {
  readonly localFailures: number;
  readonly lastFailedAt: Date | null;
  readonly globalFailures: number;
  readonly pinLockedUntil: Date | null;
  readonly pinLockedOut: boolean;
}

export const CLEAR_PIN_LOCKOUT: PinLockoutState = { localFailures: 0, lastFailedAt: null, globalFailures: 0, pinLockedUntil: null, pinLockedOut: false };

/** The thresholds for one PIN and the policy's durations: everything a wrong PIN is judged by. */
export interface PinLockoutRule {
  readonly localThreshold: number;
  readonly globalThreshold: number;
  readonly failureWindowMinutes: number;
  readonly lockoutMinutes: number;
}

/**
 * Longer PINs take more guesses to find, so they are allowed more wrong tries (Lync's table). Without a
 * known length (no PIN yet, or one set before lengths were kept) the strictest, 4-digit row applies:
 * such a PIN may be that short.
 */
export function lockoutThresholds(pinLength: number | null): { local: number; global: number } {
  if (pinLength === null) return lockoutThresholds(4);
  if (pinLength <= 4) return { local: 10, global: 100 };
  if (pinLength === 5) return { local: 25, global: 1000 };
  return { local: 25, global: 5000 };
}

export function pinLockoutRule(pinLength: number | null, policy: Pick<PinPolicy, 'failureWindowMinutes' | 'lockoutMinutes'>): PinLockoutRule {
  const { local, global } = lockoutThresholds(pinLength);
  return { localThreshold: local, globalThreshold: global, failureWindowMinutes: policy.failureWindowMinutes, lockoutMinutes: policy.lockoutMinutes };
}

export type PinLock = 'none' | 'temporary' | 'until-unlocked';

export function pinLock(state: Pick<PinLockoutState, 'pinLockedUntil' | 'pinLockedOut'>, now: Date): PinLock {
  if (state.pinLockedOut) return 'until-unlocked';
  return lockedUntilLater(state, now) ? 'temporary' : 'none';
}

function lockedUntilLater(state: Pick<PinLockoutState, 'pinLockedUntil'>, now: Date): boolean {
  return state.pinLockedUntil !== null && state.pinLockedUntil > now;
}

/**
 * The counters after one more wrong PIN. src/adapters/pg/user-store.ts does the same in one UPDATE
 * (concurrent calls must not lose counts); test/integration/pin-lockout-sql.test.ts holds the two together.
 */
export function afterWrongPin(state: PinLockoutState, rule: PinLockoutRule, now: Date): PinLockoutState {
  const globalFailures = state.globalFailures + 1;
  const pinLockedOut = state.pinLockedOut || globalFailures >= rule.globalThreshold;
  // A wrong PIN checked just before a concurrent one locked the PIN still counts, but only globally.
  if (lockedUntilLater(state, now)) return { ...state, globalFailures, pinLockedOut };
  const withinWindow = state.lastFailedAt !== null && now.getTime() - state.lastFailedAt.getTime() < rule.failureWindowMinutes * 60_000;
  const localFailures = withinWindow ? state.localFailures + 1 : 1;
  if (localFailures >= rule.localThreshold) {
    // The local count starts afresh once the temporary lock ends.
    return { localFailures: 0, lastFailedAt: now, globalFailures, pinLockedUntil: new Date(now.getTime() + rule.lockoutMinutes * 60_000), pinLockedOut };
  }
  return { ...state, localFailures, lastFailedAt: now, globalFailures, pinLockedOut };
}

/** A right PIN clears both counters; it cannot lift a lock, since a locked PIN is never checked. */
export function afterRightPin(state: PinLockoutState): PinLockoutState {
  return { ...state, localFailures: 0, lastFailedAt: null, globalFailures: 0 };
}
