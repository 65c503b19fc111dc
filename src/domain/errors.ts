import type { PinProblem } from './pin-policy.js';

/** Stable error codes: the API, logs and tests speak these, never free text. */
export type ErrorCode =
  | 'validation-failed'
  | 'conference-not-found'
  | 'participant-not-found'
  | 'participant-not-connected'
  | 'participant-not-waiting'
  | 'no-phone-number'
  | 'already-on-call'
  | 'conference-id-exhausted'
  | 'forbidden'
  | 'not-a-leader'
  | 'not-in-conference'
  | 'conference-empty'
  | 'recording-running'
  | 'recording-not-running'
  | 'recording-not-found'
  | 'recordings-disabled'
  | 'invalid-credentials'
  | 'user-not-found'
  | 'email-taken'
  | 'sip-uri-taken'
  | 'extension-taken'
  | 'invalid-phone-number'
  | 'region-not-found'
  | 'unknown-region'
  | 'region-taken'
  | 'region-in-use'
  | 'access-number-not-found'
  | 'access-number-taken'
  | 'import-failed'
  | 'rate-limited'
  | 'invalid-time-zone'
  | 'invalid-recurrence'
  | 'overlapping-personal-meeting'
  | 'conference-cancelled'
  | 'pin-rejected'
  | 'invalid-forwarding'
  | 'forwarding-loop'
  | 'dial-out-not-allowed'
  | 'number-blocked'
  | 'dial-out-limit'
  | 'telephony-unavailable'
  | 'conference-not-joinable'
  | 'webhook-not-found'
  | 'delivery-not-found'
  | 'delivery-not-dead'
  | 'invitation-not-found'
  | 'invitation-answered'
  | 'invitation-expired'
  | 'no-published-number'
  | 'sip-device-not-found'
  | 'voicemail-not-found'
  | 'database-unavailable'
  | 'too-many-streams'
  | 'destination-not-allowed'
  | PinProblem;

/** One problem with one row of an import, or one field of a request. */
export interface FieldProblem {
  readonly row?: number;
  readonly field: string;
  readonly code: ErrorCode;
  readonly message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly problems?: readonly FieldProblem[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/**
 * The store cannot be reached (refused, dropped, timed out): nothing is wrong with the request, and
 * the same request may succeed in a few seconds. Calls already in a conference carry on without it.
 */
export class StoreUnavailableError extends DomainError {
  constructor(readonly reason: string) {
    super('database-unavailable', 'the database is unavailable; try again shortly');
    this.name = 'StoreUnavailableError';
  }
}
