import { browserAudioRoutes, guestBrowserAudioRoutes } from './routes/browser-audio.js';
import { passSipWebSocket } from './sip-websocket.js';
import { forwardToOwners, type ConferenceOwners } from './owner-forwarding.js';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import rateLimit from '@fastify/rate-limit';
import { authenticate } from './auth.js';
import { DomainError } from '../../domain/errors.js';
import { registerErrorHandling } from './errors.js';
import { frameworkErrors, refuseInfiniteNumbers, refuseNul, validatorOptions } from './request-guards.js';
import { conferenceRoutes } from './routes/conferences.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { dialInNumberRoutes } from './routes/dial-in-numbers.js';
import { calendarInvitationRoutes } from './routes/calendar-invitations.js';
import { participantRoutes } from './routes/participants.js';
import { liveRoutes } from './routes/live.js';
import { recordingRoutes } from './routes/recordings.js';
import { policyRoutes } from './routes/policies.js';
import { DEFAULT_SIGN_IN_LIMITS, signInRoute, signOutRoute, type SignInLimits } from './routes/sessions.js';
import { acceptCsvBodies, userRoutes } from './routes/users.js';
import { callForwardingRoutes } from './routes/call-forwarding.js';
import { webRoutes } from './routes/web.js';
import { webhookRoutes } from './routes/webhooks.js';
import { audioInvitationRoutes, joinRoutes } from './routes/audio-invitations.js';
import type { HttpApp, HttpServices } from './types.js';
import { DEFAULT_STREAM_SETTINGS, type StreamSettings } from './stream-guard.js';

export type { HttpApp, HttpServices } from './types.js';

export interface HttpOptions {
  /** Sign-in attempts allowed per account and client address, and window. */
  readonly signInLimit?: { max: number; timeWindow: string };
  /** The other two sign-in limits (per account, per address); DEFAULT_SIGN_IN_LIMITS unless said. */
  readonly signInLimits?: Partial<Omit<SignInLimits, 'perAccountAndAddress'>>;
  /** Fastify's trustProxy (TRUST_PROXY): whose X-Forwarded-For to believe for the client address. */
  readonly trustProxy?: boolean | number | string[];
  /** Event streams: how many one user may hold open, how often each re-checks access (MAX_STREAMS_PER_USER). */
  readonly streams?: Partial<StreamSettings>;
  /** pino in production; false in tests. */
  readonly logger: FastifyBaseLogger | false;
  /** Asterisk's SIP WebSocket, passed through at /sip-ws for browsers (absent: no browser audio). */
  readonly sipWebSocket?: string;
  /** A cluster: conference commands go to the instance that owns the conference's media node. */
  readonly owners?: ConferenceOwners;
}

/**
 * Fastify's trustProxy. A hop count becomes a function, since this Fastify refuses plain numbers (it
 * cannot know the nearest peer is a proxy); with a count, parley must be reachable only through them.
 */
function trustProxy(setting: boolean | number | string[]): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

/** The HTTP API as a Fastify instance, not listening: tests inject into it, main.ts listens. */
export async function buildHttp(services: HttpServices, options: HttpOptions): Promise<HttpApp> {
  const common = { ...validatorOptions, frameworkErrors, bodyLimit: 64 * 1024, trustProxy: trustProxy(options.trustProxy ?? false) };
  const app = (options.logger ? Fastify({ ...common, loggerInstance: options.logger }) : Fastify({ ...common, logger: false })).withTypeProvider<TypeBoxTypeProvider>();
  app.decorate('services', services);
  // The API speaks JSON only: anything else is a clear 415, not a confusing validation error.
  app.removeContentTypeParser('text/plain');
  registerErrorHandling(app);
  refuseNul(app);
  refuseInfiniteNumbers(app);
  if (options.owners) forwardToOwners(app, options.owners);

  await app.register(swagger, {
    openapi: {
      info: { title: 'parley', description: 'Dial-in audio conferencing bridge', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new DomainError('rate-limited', `too many attempts; try again in ${Math.ceil(context.ttl / 1000)} s`),
  });

  // Each route group is a plugin with its schemas beside it (routes/); the order here is the OpenAPI order.
  await app.register(healthRoutes);
  await app.register(metricsRoutes, { sessions: services.sessions });
  await app.register(webRoutes);
  await app.register(joinRoutes);
  await app.register(guestBrowserAudioRoutes);
  if (options.sipWebSocket) {
    passSipWebSocket(app.server, { target: options.sipWebSocket, isBrowser: (username) => services.browserAudio.isOpen(username), log: app.log });
  }
  await app.register(signInRoute, {
    ...DEFAULT_SIGN_IN_LIMITS,
    ...options.signInLimits,
    perAccountAndAddress: options.signInLimit ?? DEFAULT_SIGN_IN_LIMITS.perAccountAndAddress,
  });
  await app.register(async (api) => {
    await authenticate(api, services.sessions);
    acceptCsvBodies(api);
    await api.register(signOutRoute);
    await api.register(conferenceRoutes);
    await api.register(calendarInvitationRoutes);
    await api.register(participantRoutes);
    await api.register(liveRoutes, { ...DEFAULT_STREAM_SETTINGS, ...options.streams });
    await api.register(recordingRoutes);
    await api.register(userRoutes);
    await api.register(callForwardingRoutes);
    await api.register(dialInNumberRoutes);
    await api.register(policyRoutes);
    await api.register(webhookRoutes);
    await api.register(audioInvitationRoutes);
    await api.register(browserAudioRoutes);
  });
  return app;
}
