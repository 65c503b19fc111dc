import { describe, expect, it } from 'vitest';
import {
  afterRightPin,
  afterWrongPin,
  CLEAR_PIN_LOCKOUT,
  lockoutThresholds,
  pinLock,
  pinLockoutRule,
  type PinLockoutState,
} from '../../../src/domain/pin-lockout.js';
import { DEFAULT_PIN_POLICY } from '../../../src/domain/pin-policy.js';

const MINUTE = 60_000;
const start = new Date('2027-03-01T09:00:00Z');
const at = (minutes: number) => new Date(start.getTime() + minutes * MINUTE);
const FOUR_DIGITS = pinLockoutRule(4, DEFAULT_PIN_POLICY);

/** Wrong PINs at the given minutes after `start`, one after another. */
function wrong(minutes: number[], rule = FOUR_DIGITS, from: PinLockoutState = CLEAR_PIN_LOCKOUT): PinLockoutState {
  return minutes.reduce((state, minute) => afterWrongPin(state, rule, at(minute)), from);
}
const times = (n: number, minute = 0) => Array.from({ length: n }, () => minute);

describe('the thresholds', () => {
  it.each([
    [4, 10, 100],
    [5, 25, 1000],
    [6, 25, 5000],
    [12, 25, 5000],
    [null, 10, 100],
  ])('for a PIN of %s digits: %i close together, %i in all', (length, local, global) => {
    expect(lockoutThresholds(length)).toEqual({ local, global });
  });

  it('take the window and the lockout from the policy, 30 and 60 minutes unless changed', () => {
    expect(FOUR_DIGITS).toEqual({ localThreshold: 10, globalThreshold: 100, failureWindowMinutes: 30, lockoutMinutes: 60 });
    expect(pinLockoutRule(7, { failureWindowMinutes: 15, lockoutMinutes: 120 })).toEqual({
      localThreshold: 25,
      globalThreshold: 5000,
      failureWindowMinutes: 15,
      lockoutMinutes: 120,
    });
  });
});

describe('a wrong PIN', () => {
  it('locks a 4-digit PIN for an hour at the 10th close together, and not before', () => {
    const nine = wrong(times(9));
    expect(nine).toMatchObject({ localFailures: 9, globalFailures: 9, pinLockedUntil: null, pinLockedOut: false });
    expect(pinLock(nine, at(0))).toBe('none');

    const ten = afterWrongPin(nine, FOUR_DIGITS, at(1));
    expect(ten).toMatchObject({ localFailures: 0, globalFailures: 10, pinLockedUntil: at(61), pinLockedOut: false });
    expect(pinLock(ten, at(60))).toBe('temporary');
    expect(pinLock(ten, at(61))).toBe('none');
  });

  it('lets a 5-digit PIN have 24 close together, and locks it at the 25th', () => {
    const rule = pinLockoutRule(5, DEFAULT_PIN_POLICY);
    expect(pinLock(wrong(times(24), rule), at(0))).toBe('none');
    expect(pinLock(wrong(times(25), rule), at(0))).toBe('temporary');
  });

  it('starts the local count again when the window passes without one, and counts on while it does not', () => {
    // Each within 30 minutes of the one before: they add up over more than 30 minutes.
    const creeping = wrong([0, 20, 40, 60, 80, 100, 120, 140, 160, 180]);
    expect(creeping.pinLockedUntil).toEqual(at(240));

    const paused = wrong([...times(9), 30]);
    expect(paused).toMatchObject({ localFailures: 1, globalFailures: 10, pinLockedUntil: null });
    expect(wrong([...times(9), 29]).pinLockedUntil).toEqual(at(89));
  });

  it('follows the window the policy sets', () => {
    const shortWindow = pinLockoutRule(4, { failureWindowMinutes: 5, lockoutMinutes: 10 });
    expect(wrong([0, 6, 12, 18, 24, 30, 36, 42, 48, 54], shortWindow).localFailures).toBe(1);
    expect(wrong(times(10), shortWindow).pinLockedUntil).toEqual(at(10));
  });

  it('locks a 4-digit PIN for good at the 100th since the last right one, however spread out', () => {
    // Nine an hour: never a temporary lock.
    const spread = Array.from({ length: 100 }, (_, i) => Math.floor(i / 9) * 60);
    const states = spread.reduce<PinLockoutState[]>((all, minute) => [...all, afterWrongPin(all.at(-1) ?? CLEAR_PIN_LOCKOUT, FOUR_DIGITS, at(minute))], []);
    expect(states.every((state) => state.pinLockedUntil === null)).toBe(true);
    expect(states[98]).toMatchObject({ globalFailures: 99, pinLockedOut: false });
    expect(states[99]).toMatchObject({ globalFailures: 100, pinLockedOut: true });
    expect(pinLock(states[99]!, at(100_000))).toBe('until-unlocked');
  });

  it('needs 1000 for a 5-digit PIN and 5000 for a longer one', () => {
    const nearly = (globalFailures: number): PinLockoutState => ({ ...CLEAR_PIN_LOCKOUT, globalFailures });
    expect(afterWrongPin(nearly(998), pinLockoutRule(5, DEFAULT_PIN_POLICY), at(0)).pinLockedOut).toBe(false);
    expect(afterWrongPin(nearly(999), pinLockoutRule(5, DEFAULT_PIN_POLICY), at(0)).pinLockedOut).toBe(true);
    expect(afterWrongPin(nearly(999), pinLockoutRule(6, DEFAULT_PIN_POLICY), at(0)).pinLockedOut).toBe(false);
    expect(afterWrongPin(nearly(4999), pinLockoutRule(6, DEFAULT_PIN_POLICY), at(0)).pinLockedOut).toBe(true);
  });

  it('while the PIN is locked for a while (one checked just before the lock) counts only globally', () => {
    const locked = wrong(times(10));
    const late = afterWrongPin(locked, FOUR_DIGITS, at(5));
    expect(late).toEqual({ ...locked, globalFailures: 11 });
  });
});

describe('a right PIN', () => {
  it('clears both counters, so the next wrong ones start from nothing', () => {
    const before = wrong(times(9, 0));
    const cleared = afterRightPin(before);
    expect(cleared).toEqual(CLEAR_PIN_LOCKOUT);
    expect(wrong(times(9, 1), FOUR_DIGITS, cleared)).toMatchObject({ localFailures: 9, globalFailures: 9, pinLockedUntil: null });
  });

  it('keeps the global count from reaching 100 over weeks of occasional mistakes', () => {
    let state = CLEAR_PIN_LOCKOUT;
    for (let day = 0; day < 30; day++) state = afterRightPin(wrong(times(5, day * 1440), FOUR_DIGITS, state));
    expect(state.globalFailures).toBe(0);
  });
});
