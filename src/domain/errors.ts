/** Stable error codes: the API, logs and tests speak these, never free text. */
export type ErrorCode =
  | 'validation-failed'
  | 'conference-not-found'
  | 'participant-not-found'
  | 'participant-not-connected'
  | 'conference-ended'
  | 'conference-id-exhausted'
  | 'telephony-unavailable';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
