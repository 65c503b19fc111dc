import type { HttpApp } from '../types.js';
import { Health } from '../schemas.js';

export function healthRoutes(app: HttpApp): void {
  app.get('/health', { schema: { tags: ['health'], security: [], description: 'Liveness: whether Asterisk (ARI) and the database are reachable.', response: { 200: Health } } }, async () => {
    const [asterisk, database] = await Promise.all([app.services.health.asterisk(), app.services.health.database()]);
    return { status: 'ok' as const, asterisk: asterisk ? 'up' : 'down', database: database ? 'up' : 'down' } as const;
  });
}
