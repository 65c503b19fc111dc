import { createServer } from 'node:net';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../../../src/adapters/http/errors.js';
import { forwardToOwners } from '../../../src/adapters/http/owner-forwarding.js';

/** A loopback port nothing listens on (taken, then let go). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a command for a conference another instance drives', () => {
  it('is answered 409 telephony-unavailable, not 500, when that instance does not answer (it died; the takeover is under way)', async () => {
    const app = Fastify();
    registerErrorHandling(app);
    const owner = `http://127.0.0.1:${await deadPort()}`;
    forwardToOwners(app, { instance: 'parley-a', elsewhere: async () => owner });
    let servedHere = 0;
    app.post('/api/v1/conferences/:id/lock', async () => ({ locked: ++servedHere > 0 }));
    const response = await app.inject({ method: 'POST', url: '/api/v1/conferences/c1/lock', payload: {} });
    expect([response.statusCode, response.json().error.code]).toEqual([409, 'telephony-unavailable']);
    expect(servedHere).toBe(0);
    await app.close();
  });
});
