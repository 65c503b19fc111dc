import Fastify, { type FastifyBaseLogger } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import rateLimit from '@fastify/rate-limit';
import { authenticate } from './auth.js';
import { DomainError } from '../../domain/errors.js';
import { registerErrorHandling } from './errors.js';
import { conferenceRoutes } from './routes/conferences.js';
import { healthRoutes } from './routes/health.js';
import { dialInNumberRoutes } from './routes/dial-in-numbers.js';
import { invitationRoutes } from './routes/invitations.js';
import { participantRoutes } from './routes/participants.js';
import { liveRoutes } from './routes/live.js';
import { recordingRoutes } from './routes/recordings.js';
import { policyRoutes } from './routes/policies.js';
import { signInRoute, signOutRoute } from './routes/sessions.js';
import { userRoutes } from './routes/users.js';
import { callForwardingRoutes } from './routes/call-forwarding.js';
import { webRoutes } from './routes/web.js';
import { webhookRoutes } from './routes/webhooks.js';
import { audioInvitationRoutes, joinRoutes } from './routes/audio-invitations.js';
import type { HttpApp, HttpServices } from './types.js';
import { DEFAULT_STREAM_SETTINGS, type StreamSettings } from './stream-guard.js';

export type { HttpApp, HttpServices } from './types.js';

export interface HttpOptions {
  /** Sign-in attempts allowed per client address and window. */
  readonly signInLimit?: { max: number; timeWindow: string };
  /** Event streams: how many one user may hold open, how often each re-checks access (MAX_STREAMS_PER_USER). */
  readonly streams?: Partial<StreamSettings>;
  /** pino in production; false in tests. */
  readonly logger: FastifyBaseLogger | false;
}

/** The HTTP API as a Fastify instance, not listening: tests inject into it, main.ts listens. */
export async function buildHttp(services: HttpServices, options: HttpOptions): Promise<HttpApp> {
  const common = { ajv: { customOptions: { removeAdditional: false } }, bodyLimit: 64 * 1024 };
  const app = (options.logger ? Fastify({ ...common, loggerInstance: options.logger }) : Fastify({ ...common, logger: false })).withTypeProvider<TypeBoxTypeProvider>() as unknown as HttpApp;
  app.decorate('services', services);
  // The API speaks JSON only: anything else is a clear 415, not a confusing validation error.
  app.removeContentTypeParser('text/plain');
  registerErrorHandling(app);

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

  healthRoutes(app);
  webRoutes(app);
  joinRoutes(app);
  signInRoute(app, options.signInLimit ?? { max: 10, timeWindow: '1 minute' });
  await app.register(async (api) => {
    await authenticate(api, services.sessions);
    signOutRoute(api as HttpApp);
    conferenceRoutes(api as HttpApp);
    invitationRoutes(api as HttpApp);
    participantRoutes(api as HttpApp);
    liveRoutes(api as HttpApp, { ...DEFAULT_STREAM_SETTINGS, ...options.streams });
    recordingRoutes(api as HttpApp);
    userRoutes(api as HttpApp);
    callForwardingRoutes(api as HttpApp);
    dialInNumberRoutes(api as HttpApp);
    policyRoutes(api as HttpApp);
    webhookRoutes(api as HttpApp);
    audioInvitationRoutes(api as HttpApp);
  });
  return app;
}
