import type { HttpApp } from '../types.js';
import { Type } from 'typebox';

const Health = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
    asterisk: Type.Union([Type.Literal('up'), Type.Literal('down')]),
    database: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  },
  { examples: [{ status: 'ok', asterisk: 'up', database: 'up' }] },
);

export async function healthRoutes(app: HttpApp): Promise<void> {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        security: [],
        description:
          'Liveness: whether Asterisk (ARI) and the database are reachable. 503 `degraded` while the database is down (calls in conferences carry on, new callers are told the service is unavailable).',
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const [asterisk, database] = await Promise.all([app.services.health.asterisk(), app.services.health.database()]);
      const body = { asterisk: asterisk ? 'up' : 'down', database: database ? 'up' : 'down' } as const;
      return database ? { status: 'ok' as const, ...body } : reply.status(503).send({ status: 'degraded' as const, ...body });
    },
  );
}
