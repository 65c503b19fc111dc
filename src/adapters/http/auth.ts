import bearerAuth from '@fastify/bearer-auth';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../../domain/user.js';
import type { Sessions } from '../../directory/sessions.js';
import { errorBody } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  return /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
}

/**
 * Every /api/v1 request but signing in carries a bearer token: a session's, or the service token.
 * @fastify/bearer-auth parses the header (RFC 6750, WWW-Authenticate on refusal); Sessions decides.
 */
export async function authenticate(api: FastifyInstance, sessions: Pick<Sessions, 'authenticate'>): Promise<void> {
  await api.register(bearerAuth, {
    keys: [],
    addHook: 'onRequest',
    verifyErrorLogLevel: 'info',
    auth: async (token, request) => {
      const principal = await sessions.authenticate(token);
      if (principal) request.principal = principal;
      return principal !== undefined;
    },
    errorResponse: () => errorBody('unauthorized', 'a valid Authorization: Bearer token is required') as unknown as { error: string },
  });
}
