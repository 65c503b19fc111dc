import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './errors.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Bearer-token check for the API; per-user authentication replaces it with scheduling. */
export function bearerAuth(token: string) {
  const expected = digest(token);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer (.+)$/i.exec(header);
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
      return reply.status(401).send(errorBody('unauthorized', 'a valid Authorization: Bearer token is required'));
    }
  };
}
