import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError, type ErrorCode, type FieldProblem } from '../../domain/errors.js';

const STATUS: Record<ErrorCode, number> = {
  'validation-failed': 400,
  'conference-not-found': 404,
  'participant-not-found': 404,
  'participant-not-connected': 409,
  'participant-not-waiting': 409,
  'no-phone-number': 409,
  'already-on-call': 409,
  'conference-id-exhausted': 503,
  forbidden: 403,
  'not-a-leader': 403,
  'not-in-conference': 403,
  'conference-empty': 409,
  'recording-running': 409,
  'recording-not-running': 409,
  'recording-not-found': 404,
  // The deployment keeps no recordings store: nothing the client can change by asking again.
  'recordings-disabled': 409,
  'invalid-credentials': 401,
  'user-not-found': 404,
  'email-taken': 409,
  'sip-uri-taken': 409,
  'extension-taken': 409,
  'invalid-phone-number': 400,
  'region-not-found': 404,
  'unknown-region': 400,
  'region-taken': 409,
  'region-in-use': 409,
  'access-number-not-found': 404,
  'access-number-taken': 409,
  'import-failed': 400,
  'rate-limited': 429,
  'invalid-time-zone': 400,
  'invalid-recurrence': 400,
  'overlapping-personal-meeting': 409,
  'conference-cancelled': 409,
  'pin-rejected': 400,
  'invalid-forwarding': 400,
  'forwarding-loop': 409,
  'dial-out-not-allowed': 403,
  'number-blocked': 403,
  // Too many calls placed (per user or deployment, per minute or at once): try again later.
  'dial-out-limit': 429,
  // Asterisk is away: the request was fine and nothing was placed; the client may retry.
  'telephony-unavailable': 409,
  'conference-not-joinable': 409,
  'webhook-not-found': 404,
  'delivery-not-found': 404,
  'delivery-not-dead': 409,
  'invitation-not-found': 404,
  'invitation-answered': 409,
  'invitation-expired': 409,
  'no-published-number': 400,
  'sip-device-not-found': 404,
  'voicemail-not-found': 404,
  'pin-not-digits': 400,
  'pin-too-short': 400,
  'pin-too-long': 400,
  'pin-repeated-digit': 400,
  'pin-sequence': 400,
  'pin-is-extension': 400,
  'pin-is-phone-number': 400,
  'pin-reused': 400,
  // The database is away: the request may be repeated as it is once it is back.
  'database-unavailable': 503,
  'too-many-streams': 429,
  'destination-not-allowed': 400,
};

/** How long a client is asked to wait before repeating a request the database could not serve. */
const RETRY_AFTER_SECONDS = 5;

/** Fastify's own 4xx codes, renamed to stable parley codes. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body-too-large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid-json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid-json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid-body',
};

/** An HTTP-level refusal with a stable code (DomainError is for the domain's own codes). */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, problems?: readonly FieldProblem[]) {
  return { error: { code, message, ...(problems ? { problems } : {}) } };
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) {
      if (error.code === 'database-unavailable') void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      return reply.status(STATUS[error.code]).send(errorBody(error.code, error.message, error.problems));
    }
    if (error instanceof RequestError) return reply.status(error.status).send(errorBody(error.code, error.message));
    if (error.validation) {
      return reply.status(400).send(errorBody('validation-failed', error.message));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = FASTIFY_CODES[error.code] ?? (error instanceof SyntaxError ? 'invalid-json' : 'bad-request');
      return reply.status(status).send(errorBody(code, error.message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send(errorBody('internal-error', 'internal error'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody('route-not-found', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
