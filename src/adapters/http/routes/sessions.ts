import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DomainError } from '../../../domain/errors.js';
import { SessionView, SignInBody } from './directory-schemas.js';
import { bearerToken } from '../auth.js';
import { ErrorBody } from './common-schemas.js';
import type { HttpApp } from '../types.js';
import { userView } from './users.js';

export interface Limit {
  readonly max: number;
  readonly timeWindow: string;
}

/**
 * Sign-in attempts, counted three ways (README, "Security"): per account and address (the tight limit: a
 * password guesser is slowed, and colleagues behind the same proxy are not); per account from any
 * address (one account cannot be guessed from many addresses without bound; high enough that locking
 * someone out costs an attacker a steady stream of requests); and per address for any account (one address
 * cannot spray passwords across the directory; high enough for an office behind one proxy). The address
 * is the client's as TRUST_PROXY says.
 */
export interface SignInLimits {
  readonly perAccountAndAddress: Limit;
  readonly perAccount: Limit;
  readonly perAddress: Limit;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  perAccountAndAddress: { max: 10, timeWindow: '1 minute' },
  perAccount: { max: 30, timeWindow: '15 minutes' },
  perAddress: { max: 100, timeWindow: '1 minute' },
};

const account = (request: { body: unknown }) => String((request.body as { email?: unknown } | undefined)?.email ?? '').trim().toLowerCase();

/** Signing in is the one unauthenticated API route; it is rate-limited (SignInLimits). */
export async function signInRoute(app: HttpApp, limits: SignInLimits): Promise<void> {
  // Checked in the handler's preHandler, after the body is validated: the account is known, and a malformed
  // body costs no attempt. The first limit exceeded answers and later counters are not touched, so a guesser
  // already stopped at their address does not use up the account's budget for everyone else.
  const checks = [
    app.createRateLimit({ ...limits.perAddress, keyGenerator: (request) => `sign-in:address:${request.ip}` }),
    app.createRateLimit({ ...limits.perAccountAndAddress, keyGenerator: (request) => `sign-in:account-address:${account(request)}|${request.ip}` }),
    app.createRateLimit({ ...limits.perAccount, keyGenerator: (request) => `sign-in:account:${account(request)}` }),
  ];
  const preHandler = async (request: FastifyRequest) => {
    for (const check of checks) {
      const result = await check(request);
      if (!result.isAllowed && result.isExceeded) {
        request.log.warn({ limit: result.max, ip: request.ip }, 'sign-in rate limit reached');
        throw new DomainError('rate-limited', `too many attempts; try again in ${result.ttlInSeconds} s`);
      }
    }
  };
  app.post(
    '/api/v1/sessions',
    {
      preHandler,
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

export async function signOutRoute(app: HttpApp): Promise<void> {
  app.delete(
    '/api/v1/sessions/current',
    { schema: { tags: ['sessions'], description: 'Sign out: the token stops working.', response: { 204: Type.Null(), 401: ErrorBody } } },
    async (request, reply) => {
      await app.services.sessions.signOut(bearerToken(request)!);
      return reply.status(204).send(null);
    },
  );
}
