import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../domain/user.js';
import type { Sessions } from '../../scheduling/sessions.js';
import { errorBody } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  return /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
}

/** Every /api/v1 request but signing in carries a bearer token: a session's, or the service token. */
export function authenticate(sessions: Pick<Sessions, 'authenticate'>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const token = bearerToken(request);
    const principal = token ? await sessions.authenticate(token) : undefined;
    if (!principal) {
      return reply.status(401).send(errorBody('unauthorized', 'a valid Authorization: Bearer token is required'));
    }
    request.principal = principal;
  };
}
