import { describe, expect, it } from 'vitest';
import {
  afterWrongEntry,
  afterWrongEntryAnywhere,
  ANONYMOUS_CALLER,
  CLEAR_KEYPAD_GUESSES,
  delayBeforeNextPrompt,
  guessingCaller,
  isRefused,
  type KeypadGuessRule,
  type KeypadGuessState,
} from '../../../src/domain/keypad-guessing.js';

const MINUTE = 60_000;
const RULE: KeypadGuessRule = { slowAfter: 6, delayStepMs: 1000, maxDelayMs: 8000, refuseAfter: 30, windowMinutes: 60, refuseMinutes: 60 };
const start = new Date('2027-05-01T08:00:00Z');
const at = (minutes: number) => new Date(start.getTime() + minutes * MINUTE);

function wrong(times: number, from: KeypadGuessState = CLEAR_KEYPAD_GUESSES, when = start): KeypadGuessState {
  let state = from;
  for (let i = 0; i < times; i++) state = afterWrongEntry(state, RULE, when);
  return state;
}

describe('counting wrong keypad entries across calls', () => {
  it('refuses the caller at the 30th wrong entry in a window, for the refusal time, and not before', () => {
    const before = wrong(29);
    expect(before).toMatchObject({ failures: 29, refusedUntil: null });
    expect(isRefused(before, start)).toBe(false);
    const refused = afterWrongEntry(before, RULE, at(5));
    expect(refused).toEqual({ failures: 30, windowStartedAt: start, refusedUntil: at(65) });
    expect(isRefused(refused, at(64))).toBe(true);
    expect(isRefused(refused, at(65))).toBe(false);
  });

  it('keeps counting, without moving the refusal, while refused (a call already past the check)', () => {
    const refused = wrong(30);
    expect(afterWrongEntry(refused, RULE, at(10))).toEqual({ ...refused, failures: 31 });
  });

  it('starts afresh after the window or a refusal has passed', () => {
    expect(afterWrongEntry(wrong(29), RULE, at(60))).toEqual({ failures: 1, windowStartedAt: at(60), refusedUntil: null });
    expect(afterWrongEntry(wrong(29), RULE, at(59))).toMatchObject({ failures: 30 });
    expect(afterWrongEntry(wrong(30), RULE, at(61))).toEqual({ failures: 1, windowStartedAt: at(61), refusedUntil: null });
  });

  it('waits nothing for the first wrong entries, then doubles the wait up to the maximum', () => {
    expect([1, 5, 6, 7, 8, 9, 10, 29].map((failures) => delayBeforeNextPrompt({ failures }, RULE))).toEqual([0, 0, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect(delayBeforeNextPrompt({ failures: 10_000 }, RULE)).toBe(8000);
  });
});

describe('the caller a wrong entry is counted against', () => {
  it('is the number as dialled in, digits only', () => {
    expect(guessingCaller('+1 (206) 555-0301')).toBe('+12065550301');
    expect(guessingCaller('2065550301')).toBe('2065550301');
  });

  it('is one shared "anonymous" for every withheld or unusable number', () => {
    for (const withheld of ['', 'anonymous', 'Anonymous', 'Restricted', 'unknown', 'PRIVATE', '12', '+'])
      expect(guessingCaller(withheld), withheld).toBe(ANONYMOUS_CALLER);
  });
});

describe('the deployment-wide alarm rate', () => {
  it('raises the alarm once, at the entry that reaches the rate within a minute, and again in a later minute', () => {
    let state = { failures: 0, windowStartedAt: null } as { failures: number; windowStartedAt: Date | null };
    const alarms: number[] = [];
    for (let i = 1; i <= 12; i++) {
      const next = afterWrongEntryAnywhere(state, 5, new Date(start.getTime() + i * 1000));
      if (next.alarm) alarms.push(i);
      state = next.state;
    }
    expect(alarms).toEqual([5]);
    const later = afterWrongEntryAnywhere(state, 5, new Date(start.getTime() + 61_000));
    expect(later).toEqual({ state: { failures: 1, windowStartedAt: new Date(start.getTime() + 61_000) }, alarm: false });
    expect(afterWrongEntryAnywhere({ failures: 0, windowStartedAt: null }, 1, start).alarm).toBe(true);
  });
});
