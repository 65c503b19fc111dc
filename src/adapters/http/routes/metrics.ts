import { Type } from 'typebox';
import { requireAdmin } from '../../../domain/user.js';
import type { Sessions } from '../../../directory/sessions.js';
import { authenticate } from '../auth.js';
import type { HttpApp } from '../types.js';
import { ErrorBody } from './common-schemas.js';

/**
 * GET /metrics for Prometheus, behind the same bearer token as the API and for administrators only
 * (the service token API_TOKEN, or an administrator's session): the figures say how busy the
 * deployment is. Outside /api/v1, where scrapers look for it.
 */
export async function metricsRoutes(app: HttpApp, { sessions }: { sessions: Pick<Sessions, 'authenticate'> }): Promise<void> {
  await authenticate(app, sessions);
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['monitoring'],
        description:
          'Prometheus text format (version 0.0.4): calls by stage, joins and failures by cause, join and ARI request latency, conferences and participants, webhook queue, database pool, Node.js process and event-loop delay. Administrators only.',
        response: {
          200: { description: 'The exposition text', content: { 'text/plain; version=0.0.4': { schema: Type.String() } } },
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      requireAdmin(request.principal);
      const { metrics } = app.services;
      const body = await metrics.render();
      return reply.type(metrics.contentType).send(body);
    },
  );
}
