import type { EndReason, Refusal } from '../domain/participant.js';
import type { JoinFailure } from '../ports/metrics.js';

const REFUSALS: Readonly<Record<Exclude<JoinFailure, 'wrong-id' | 'unavailable' | 'lobby-timeout' | 'lobby-denied' | 'hung-up' | 'error'>, Refusal>> = {
  'keypad-refused': 'keypad-refused',
  'wrong-passcode': 'wrong-passcode',
  'sign-in-failed': 'sign-in-failed',
  'pin-locked': 'pin-locked',
  'sign-in-required': 'sign-in-required',
  'not-invited': 'not-invited',
  locked: 'locked',
  full: 'full',
  ended: 'meeting-ended',
};

/** The refusal a failed join is recorded as; undefined when it was no refusal (timeouts, hang-ups, errors) or names no conference. */
export function refusalOf(cause: JoinFailure): Refusal | undefined {
  return cause in REFUSALS ? REFUSALS[cause as keyof typeof REFUSALS] : undefined;
}

/**
 * How a caller who did not get in ends on the call record, from why (the monitoring cause). undefined:
 * there is no record to write (no conference was named, or the database is away).
 */
export function endReasonOf(cause: JoinFailure): EndReason | undefined {
  switch (cause) {
    case 'wrong-id':
    case 'unavailable':
      return undefined;
    case 'lobby-timeout':
      return 'lobby-timeout';
    case 'lobby-denied':
      return 'lobby-denied';
    case 'hung-up':
      return 'abandoned';
    case 'error':
      return 'failed';
    default:
      return refusalOf(cause);
  }
}
