import { Type } from 'typebox';
import { SessionView, SignInBody } from '../directory-schemas.js';
import { bearerToken } from '../auth.js';
import { ErrorBody } from '../schemas.js';
import type { HttpApp } from '../types.js';
import { userView } from './users.js';

/** Signing in is the one unauthenticated API route; it is rate-limited per client address. */
export function signInRoute(app: HttpApp, rateLimit: { max: number; timeWindow: string }): void {
  app.post(
    '/api/v1/sessions',
    {
      config: { rateLimit },
      schema: {
        tags: ['sessions'],
        security: [],
        description: 'Sign in with e-mail and password; the token is the Bearer token for the API until it expires.',
        body: SignInBody,
        response: { 201: SessionView, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const session = await app.services.sessions.signIn(request.body.email, request.body.password);
      return reply.status(201).send({ ...session, expiresAt: session.expiresAt.toISOString(), user: userView(session.user) });
    },
  );
}

export function signOutRoute(app: HttpApp): void {
  app.delete(
    '/api/v1/sessions/current',
    { schema: { tags: ['sessions'], description: 'Sign out: the token stops working.', response: { 204: Type.Null(), 401: ErrorBody } } },
    async (request, reply) => {
      await app.services.sessions.signOut(bearerToken(request)!);
      return reply.status(204).send(null);
    },
  );
}
