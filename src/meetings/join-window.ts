import rrule from 'rrule';
import { DomainError } from '../domain/errors.js';

// rrule ships CommonJS: Node's ESM loader sees only its default export.
const { RRule } = rrule;
type RRule = InstanceType<typeof RRule>;

/**
 * When callers may join (documented in the README):
 * - a scheduled meeting: from 15 minutes before it starts until 1 hour after it is due to end
 *   (each occurrence of a recurring one likewise), or until it is cancelled;
 * - a Meet Now meeting (no start time): from its creation for 8 hours;
 * - a caller already in a conference is never cut off by the window.
 */
export const EARLY_JOIN_MS = 15 * 60_000;
export const OVERRUN_MS = 60 * 60_000;
export const MEET_NOW_MS = 8 * 60 * 60_000;
/** How far ahead recurring meetings are compared for overlap. */
const HORIZON_MS = 2 * 366 * 24 * 60 * 60_000;

export interface Schedule {
  readonly startsAt: Date | null;
  readonly endsAt: Date | null;
  readonly recurrence: string | null;
  readonly createdAt: Date;
}

interface Span {
  readonly from: number;
  readonly to: number;
}

/**
 * What a calendar schedules, and no more (a rule is enumerated to find join windows, so an unbounded one stalls the
 * process): daily or coarser, at most MAX_COUNT occurrences, UNTIL at most MAX_SPAN_MS after the first, the time of
 * day taken from startsAt (no BYHOUR/BYMINUTE/BYSECOND), and a first occurrence at most MAX_SPAN_MS before the
 * meeting was scheduled (occurrences are counted from it on every join).
 */
export const RECURRENCE_LIMITS = { maxCount: 1000, maxInterval: 99, maxSpanYears: 5 } as const;
const MAX_SPAN_MS = RECURRENCE_LIMITS.maxSpanYears * 366 * 24 * 60 * 60_000;
const CALENDAR_FREQUENCIES = new Set([RRule.DAILY, RRule.WEEKLY, RRule.MONTHLY, RRule.YEARLY]);
const PARTS = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'BYSETPOS', 'BYYEARDAY', 'BYWEEKNO', 'WKST']);

export function recurrenceRule(recurrence: string, startsAt: Date): RRule {
  const text = recurrence.replace(/^RRULE:/i, '');
  const unknown = text.split(';').map((part) => part.split('=')[0]!.toUpperCase()).filter((name) => !PARTS.has(name));
  if (unknown.length > 0) throw invalid(`${unknown.join(', ')} not allowed; allowed: ${[...PARTS].join(', ')}`);
  let rule: RRule;
  try {
    const options = RRule.parseString(text);
    if (!options.freq && options.freq !== 0) throw new Error('FREQ is required');
    rule = new RRule({ ...options, dtstart: startsAt });
  } catch (error) {
    throw invalid(`not an RFC 5545 RRULE: ${(error as Error).message}`);
  }
  const { freq, count, until, interval } = rule.origOptions;
  if (!CALENDAR_FREQUENCIES.has(freq!)) throw invalid('FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY');
  if (count !== undefined && count !== null && !(count >= 1 && count <= RECURRENCE_LIMITS.maxCount)) throw invalid(`COUNT must be 1 to ${RECURRENCE_LIMITS.maxCount}`);
  if (interval !== undefined && !(interval >= 1 && interval <= RECURRENCE_LIMITS.maxInterval)) throw invalid(`INTERVAL must be 1 to ${RECURRENCE_LIMITS.maxInterval}`);
  if (until && until.getTime() - startsAt.getTime() > MAX_SPAN_MS) throw invalid(`UNTIL must be at most ${RECURRENCE_LIMITS.maxSpanYears} years after startsAt`);
  return rule;
}

/** The rule of a meeting being scheduled (at `scheduledAt`): recurrenceRule's limits and a first occurrence not too far back. */
export function checkRecurrence(recurrence: string, startsAt: Date, scheduledAt: Date): void {
  recurrenceRule(recurrence, startsAt);
  if (scheduledAt.getTime() - startsAt.getTime() > MAX_SPAN_MS) throw invalid(`a recurring meeting may start at most ${RECURRENCE_LIMITS.maxSpanYears} years in the past`);
}

function invalid(message: string): DomainError {
  return new DomainError('invalid-recurrence', message);
}

/** The whole span in which the meeting can be joined at some point; `to` null when it never ends. */
export function windowBounds(schedule: Schedule): { opensAt: Date; expiresAt: Date | null } {
  if (!schedule.startsAt || !schedule.endsAt) {
    return { opensAt: schedule.createdAt, expiresAt: new Date(schedule.createdAt.getTime() + MEET_NOW_MS) };
  }
  const opensAt = new Date(schedule.startsAt.getTime() - EARLY_JOIN_MS);
  if (!schedule.recurrence) return { opensAt, expiresAt: new Date(schedule.endsAt.getTime() + OVERRUN_MS) };
  const rule = recurrenceRule(schedule.recurrence, schedule.startsAt);
  if (!rule.options.count && !rule.options.until) return { opensAt, expiresAt: null };
  // Bounded by recurrenceRule's limits; the iterator stops at COUNT anyway.
  const last = (rule.options.until ? rule.before(rule.options.until, true) : rule.all((_, index) => index < RECURRENCE_LIMITS.maxCount).at(-1)) ?? schedule.startsAt;
  return { opensAt, expiresAt: new Date(last.getTime() + duration(schedule) + OVERRUN_MS) };
}

/** Within the stored window and, for a recurring meeting, within one occurrence's window. */
export function isJoinable(meeting: Schedule & { opensAt: Date; expiresAt: Date | null }, now: Date): boolean {
  const t = now.getTime();
  if (t < meeting.opensAt.getTime() || (meeting.expiresAt && t >= meeting.expiresAt.getTime())) return false;
  if (!meeting.recurrence || !meeting.startsAt) return true;
  return spans(meeting, t - duration(meeting) - OVERRUN_MS, t + EARLY_JOIN_MS).some((span) => span.from <= t && t < span.to);
}

/** Whether two meetings' join windows ever overlap (recurring ones compared over the next two years). */
export function overlaps(a: Schedule, b: Schedule, now: Date): boolean {
  const from = now.getTime() - MEET_NOW_MS;
  const to = now.getTime() + HORIZON_MS;
  const mine = spans(a, from, to);
  return spans(b, from, to).some((other) => mine.some((span) => span.from < other.to && other.from < span.to));
}

function duration(schedule: Schedule): number {
  return schedule.startsAt && schedule.endsAt ? schedule.endsAt.getTime() - schedule.startsAt.getTime() : MEET_NOW_MS;
}

/** The join windows that start between `from` and `to` (a one-off meeting has one). */
function spans(schedule: Schedule, from: number, to: number): Span[] {
  if (!schedule.startsAt || !schedule.endsAt || !schedule.recurrence) {
    const { opensAt, expiresAt } = windowBounds(schedule);
    return [{ from: opensAt.getTime(), to: expiresAt!.getTime() }];
  }
  const rule = storedRule(schedule.recurrence, schedule.startsAt);
  if (!rule) return [];
  const length = duration(schedule);
  return rule
    .between(new Date(from - EARLY_JOIN_MS), new Date(to + EARLY_JOIN_MS), true)
    .map((start) => ({ from: start.getTime() - EARLY_JOIN_MS, to: start.getTime() + length + OVERRUN_MS }));
}

/** A rule stored before the limits existed and beyond them is never enumerated: it has no join windows. */
function storedRule(recurrence: string, startsAt: Date): RRule | undefined {
  try {
    return recurrenceRule(recurrence, startsAt);
  } catch (error) {
    if (error instanceof DomainError) return undefined;
    throw error;
  }
}
