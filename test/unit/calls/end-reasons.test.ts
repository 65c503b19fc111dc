import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { endReasonOf, refusalOf } from '../../../src/calls/end-reasons.js';
import { END_REASONS } from '../../../src/domain/participant.js';
import { JOIN_FAILURES } from '../../../src/ports/metrics.js';

describe('how a call that did not get in is recorded', () => {
  it('gives each refusal its own reason, never abandoned', () => {
    expect(Object.fromEntries(JOIN_FAILURES.map((cause) => [cause, endReasonOf(cause)]))).toEqual({
      'keypad-refused': 'keypad-refused',
      'wrong-id': undefined,
      'wrong-passcode': 'wrong-passcode',
      'sign-in-failed': 'sign-in-failed',
      'pin-locked': 'pin-locked',
      'sign-in-required': 'sign-in-required',
      'not-invited': 'not-invited',
      locked: 'locked',
      full: 'full',
      ended: 'meeting-ended',
      'lobby-timeout': 'lobby-timeout',
      'lobby-denied': 'lobby-denied',
      'hung-up': 'abandoned',
      unavailable: undefined,
      error: 'failed',
    });
    const refusals = JOIN_FAILURES.map(refusalOf).filter((r) => r !== undefined);
    expect(new Set(refusals).size).toBe(refusals.length);
    expect(refusals).not.toContain('abandoned');
  });

  it('hung-up, timed out and failed calls are no refusals', () => {
    for (const cause of ['hung-up', 'lobby-timeout', 'error', 'wrong-id', 'unavailable'] as const) expect(refusalOf(cause)).toBeUndefined();
  });

  it('names every reason once, and the database allows exactly those (migration 024)', () => {
    expect(new Set(END_REASONS).size).toBe(END_REASONS.length);
    for (const cause of JOIN_FAILURES) {
      const reason = endReasonOf(cause);
      if (reason) expect(END_REASONS).toContain(reason);
    }
    const sql = readFileSync(new URL('../../../src/adapters/pg/migrations/024.do.end-reasons.sql', import.meta.url), 'utf8');
    const allowed = /participants_end_reason_check\s+check \(end_reason in \(([^)]*)\)\)/.exec(sql)?.[1];
    expect([...(allowed ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]).sort()).toEqual([...END_REASONS].sort());
  });
});
