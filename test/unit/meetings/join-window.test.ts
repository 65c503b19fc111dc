import { describe, expect, it } from 'vitest';
import { isJoinable, overlaps, windowBounds, type Schedule } from '../../../src/meetings/join-window.js';

const at = (iso: string) => new Date(iso);
const meeting = (fields: Partial<Schedule>): Schedule & { opensAt: Date; expiresAt: Date | null } => {
  const schedule: Schedule = { startsAt: null, endsAt: null, recurrence: null, createdAt: at('2026-12-01T08:00:00Z'), ...fields };
  return { ...schedule, ...windowBounds(schedule) };
};

describe('the join window', () => {
  const oneOff = meeting({ startsAt: at('2026-12-01T17:00:00Z'), endsAt: at('2026-12-01T18:00:00Z') });

  it('opens 15 minutes before a meeting and closes an hour after its end', () => {
    expect(isJoinable(oneOff, at('2026-12-01T16:44:59Z'))).toBe(false);
    expect(isJoinable(oneOff, at('2026-12-01T16:45:00Z'))).toBe(true);
    expect(isJoinable(oneOff, at('2026-12-01T18:59:59Z'))).toBe(true);
    expect(isJoinable(oneOff, at('2026-12-01T19:00:00Z'))).toBe(false);
  });

  it('lets a Meet Now meeting be joined for 8 hours from its creation', () => {
    const now = meeting({});
    expect(isJoinable(now, at('2026-12-01T08:00:00Z'))).toBe(true);
    expect(isJoinable(now, at('2026-12-01T15:59:59Z'))).toBe(true);
    expect(isJoinable(now, at('2026-12-01T16:00:00Z'))).toBe(false);
  });

  it('opens for each occurrence of a recurring meeting only', () => {
    const daily = meeting({ startsAt: at('2026-12-01T09:00:00Z'), endsAt: at('2026-12-01T09:30:00Z'), recurrence: 'FREQ=DAILY;COUNT=3' });
    expect(daily.expiresAt).toEqual(at('2026-12-03T10:30:00Z'));
    expect(isJoinable(daily, at('2026-12-02T08:50:00Z'))).toBe(true);
    expect(isJoinable(daily, at('2026-12-02T14:00:00Z'))).toBe(false);
    expect(isJoinable(daily, at('2026-12-04T09:00:00Z'))).toBe(false);
    const endless = meeting({ startsAt: at('2026-12-01T09:00:00Z'), endsAt: at('2026-12-01T09:30:00Z'), recurrence: 'FREQ=WEEKLY' });
    expect(endless.expiresAt).toBeNull();
    expect(isJoinable(endless, at('2027-06-01T09:10:00Z'))).toBe(true);
  });

  it('finds overlapping windows, recurring ones included', () => {
    const now = at('2026-11-30T00:00:00Z');
    const later = meeting({ startsAt: at('2026-12-01T18:30:00Z'), endsAt: at('2026-12-01T19:00:00Z') });
    const nextDay = meeting({ startsAt: at('2026-12-02T17:00:00Z'), endsAt: at('2026-12-02T18:00:00Z') });
    const weeklyMonday = meeting({ startsAt: at('2026-11-30T17:00:00Z'), endsAt: at('2026-11-30T18:00:00Z'), recurrence: 'FREQ=WEEKLY;COUNT=10' });
    expect(overlaps(oneOff, later, now)).toBe(true); // within the hour of overrun
    expect(overlaps(oneOff, nextDay, now)).toBe(false);
    expect(overlaps(weeklyMonday, meeting({ startsAt: at('2026-12-14T17:30:00Z'), endsAt: at('2026-12-14T18:00:00Z') }), now)).toBe(true);
    expect(overlaps(weeklyMonday, nextDay, now)).toBe(false);
  });
});

describe('recurrence limits on stored rules', () => {
  it('gives a stored rule beyond the limits no join windows instead of enumerating it', () => {
    const flood: Schedule & { opensAt: Date; expiresAt: Date | null } = {
      startsAt: at('2026-12-01T09:00:00Z'),
      endsAt: at('2026-12-01T09:30:00Z'),
      recurrence: 'FREQ=SECONDLY;COUNT=100000000',
      createdAt: at('2026-11-01T00:00:00Z'),
      opensAt: at('2026-12-01T08:45:00Z'),
      expiresAt: null,
    };
    const started = performance.now();
    expect(isJoinable(flood, at('2026-12-01T09:10:00Z'))).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
  });
});
