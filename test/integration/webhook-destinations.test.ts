// Webhooks are no port scanner: loopback, private and link-local destinations are refused when saved and
// again at every connection (a name that resolves there later, DNS rebinding), unless an administrator
// allows the network (WEBHOOK_ALLOWED_NETWORKS). Real PostgreSQL, a real receiver on loopback.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destinationPolicy } from '../../src/adapters/fetch/destination-policy.js';
import { httpWebhookSender } from '../../src/adapters/fetch/webhook-sender.js';
import { pgWebhookStore } from '../../src/adapters/pg/webhook-store.js';
import { apiOnFreshDatabase, type TestApi } from '../support/api-app.js';
import { eventually } from '../support/eventually.js';

const ADMIN = 'webhook-destinations-token-0123';
const SETTINGS = { maxAttempts: 1, retryBaseMs: 50, retryMaxMs: 200, timeoutMs: 2_000, batchSize: 100 };
let receiver: Server;
let port: number;
const received: string[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    received.push(request.url ?? '/');
    request.resume();
    response.end('thanks');
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = (receiver.address() as AddressInfo).port;
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

describe('saving a subscription', () => {
  let api: TestApi;
  const admin = (method: 'POST' | 'PATCH', url: string, payload: object) => api.app.inject({ method, url, headers: { authorization: `Bearer ${ADMIN}` }, payload });
  beforeAll(async () => {
    api = await apiOnFreshDatabase(ADMIN, { webhooks: SETTINGS });
  });
  afterAll(async () => api?.close());

  it.each([
    'http://127.0.0.1:22/',
    'http://localhost:5432/',
    'http://10.1.2.3/hook',
    'http://172.16.0.1/hook',
    'http://192.168.1.1/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://0.0.0.0:8080/',
    'http://0x7f.1/',
    'http://[::1]:8080/',
    'http://[::ffff:127.0.0.1]/',
    'http://[fe80::1]/',
    'http://[fd00::5]/',
  ])('refuses %s with 400 destination-not-allowed', async (url) => {
    const refused = await admin('POST', '/api/v1/webhooks', { url });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: 'destination-not-allowed', problems: [{ field: 'url', code: 'destination-not-allowed' }] });
  });

  it('accepts a public address, and refuses changing it to a private one', async () => {
    const created = await admin('POST', '/api/v1/webhooks', { url: 'https://203.0.113.10/hook' });
    expect(created.statusCode).toBe(201);
    const moved = await admin('PATCH', `/api/v1/webhooks/${created.json().id}`, { url: 'http://10.0.0.7/hook' });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().error.code).toBe('destination-not-allowed');
  });
});

describe('an allowed network', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await apiOnFreshDatabase(ADMIN, { webhooks: SETTINGS, webhookAllowedNetworks: ['127.0.0.0/8'] });
  });
  afterAll(async () => api?.close());

  it('lets webhooks reach that network only', async () => {
    const post = (url: string) => api.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: { authorization: `Bearer ${ADMIN}` }, payload: { url } });
    expect((await post(`http://127.0.0.1:${port}/allowed`)).statusCode).toBe(201);
    expect((await post('http://10.0.0.1/hook')).json().error.code).toBe('destination-not-allowed');
    expect((await post('http://[::1]/hook')).json().error.code).toBe('destination-not-allowed');
  });
});

describe('at delivery', () => {
  it('the sender connects to no address outside the allowed networks, whatever the name resolves to', async () => {
    const strict = httpWebhookSender(destinationPolicy([]));
    const loopback = httpWebhookSender(destinationPolicy(['127.0.0.0/8', '::1/128']));
    const request = (path: string, host: string) => ({ url: `http://${host}:${port}${path}`, headers: {}, body: '{}', timeoutMs: 2_000 });
    expect(await strict.post(request('/by-name', 'localhost'))).toEqual({ error: 'destination not allowed' });
    expect(await strict.post(request('/by-address', '127.0.0.1'))).toEqual({ error: 'destination not allowed' });
    expect(await strict.post(request('/mapped', '[::ffff:127.0.0.1]'))).toEqual({ error: 'destination not allowed' });
    expect(received.filter((path) => ['/by-name', '/by-address', '/mapped'].includes(path))).toEqual([]);
    expect(await loopback.post(request('/allowed-name', 'localhost'))).toEqual({ status: 200 });
  });

  it('a subscription that points at a refused address (saved before, or its name moved) is not delivered and shows why', async () => {
    const api = await apiOnFreshDatabase(ADMIN, { webhooks: SETTINGS });
    try {
      const admin = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
        api.app.inject({ method, url, headers: { authorization: `Bearer ${ADMIN}` }, ...(payload ? { payload } : {}) });
      const meeting = (await admin('POST', '/api/v1/conferences', { subject: 'Rebound' })).json().id;
      const hook = await pgWebhookStore(api.pool).create({ url: `http://127.0.0.1:${port}/rebound`, secret: 'whsec_rebound-0123456789', eventTypes: [], conferenceId: meeting, active: true, createdBy: null });
      if (hook === 'unknown-conference') throw new Error('no conference');
      await admin('PATCH', `/api/v1/conferences/${meeting}`, { locked: true });
      const webhooks = api.app.services.webhooks;
      await eventually(async () => {
        await webhooks.fanOut();
        await webhooks.deliverDue();
        const dead = (await admin('GET', `/api/v1/webhooks/${hook.id}/deliveries?state=dead`)).json();
        expect(dead.length).toBeGreaterThan(0);
        expect(dead[0]).toMatchObject({ lastStatus: null, lastError: 'destination not allowed' });
      });
      expect(received).not.toContain('/rebound');
    } finally {
      await api.close();
    }
  });
});
