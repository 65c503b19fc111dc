import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destinationPolicy } from '../../src/adapters/fetch/destination-policy.js';
import { httpWebhookSender } from '../../src/adapters/fetch/webhook-sender.js';
import { pgWebhookStore } from '../../src/adapters/pg/webhook-store.js';
import { startWebhookRunner, type WebhookRunner } from '../../src/integrations/webhook-runner.js';
import { createServices } from '../../src/services.js';
import { apiOnFreshDatabase, noCalls, silentLog, TEST_HASH_COST, type TestApi } from '../support/api-app.js';
import { eventually } from '../support/eventually.js';

const ADMIN = 'webhooks-admin-token-0123';
// Short retries so a receiver answering 500 ends dead within a second.
const SETTINGS = { maxAttempts: 3, retryBaseMs: 50, retryMaxMs: 200, timeoutMs: 2_000, batchSize: 100 };
// The receiver listens on loopback, which webhooks may reach only when the administrator allows it.
const LOOPBACK = ['127.0.0.0/8'];
const fetchWebhookSender = httpWebhookSender(destinationPolicy(LOOPBACK));

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

let api: TestApi;
let receiver: Server;
let base: string;
const received: Received[] = [];
const statusFor = new Map<string, number>();
const runners: WebhookRunner[] = [];

const admin = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  api.app.inject({ method, url, headers: { authorization: `Bearer ${ADMIN}` }, ...(payload ? { payload } : {}) });
const at = (path: string) => received.filter((r) => r.path === path);

/** Checks Parley-Signature the way a receiver would, and returns the parsed body. */
function verified(request: Received, secret: string) {
  const { t, v1 } = Object.fromEntries(String(request.headers['parley-signature']).split(',').map((part) => part.split('='))) as Record<string, string>;
  const expected = createHmac('sha256', secret).update(`${t}.${request.body}`).digest();
  expect(timingSafeEqual(expected, Buffer.from(v1!, 'hex'))).toBe(true);
  expect(Math.abs(Date.now() / 1000 - Number(t))).toBeLessThan(300);
  const body = JSON.parse(request.body);
  expect(request.headers['parley-event-id']).toBe(body.id);
  expect(request.headers['content-type']).toBe('application/json');
  return body as { id: string; type: string; conferenceId: string; seq: number; at: string; data: Record<string, unknown> };
}

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      if (path === '/hang') return; // never answers: the sender's timeout
      received.push({ path, headers: request.headers, body });
      response.writeHead(statusFor.get(path) ?? 200, path === '/moved' ? { location: '/ok' } : {}).end('thanks');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  api = await apiOnFreshDatabase(ADMIN, { webhooks: SETTINGS, webhookAllowedNetworks: LOOPBACK });
});

afterAll(async () => {
  await Promise.all(runners.map((runner) => runner.stop()));
  await api?.close();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

describe('the fan-out', () => {
  it('passes over the events when nobody subscribes, without reading them', async () => {
    const id = (await admin('POST', '/api/v1/conferences', { subject: 'Unheard' })).json().id;
    await api.pool.query('update conferences set event_seq = 5 where id = $1', [id]);
    const store = pgWebhookStore(api.pool);
    let planned = 0;
    expect(await store.fanOut(2, () => (planned++, []))).toEqual({ events: 5, deliveries: 0 });
    expect(planned).toBe(0);
    expect((await api.pool.query('select seq from webhook_cursors where conference_id = $1', [id])).rows).toEqual([{ seq: '5' }]);
    expect(await store.fanOut(2, () => [])).toEqual({ events: 0, deliveries: 0 });
  });

  it("keeps each conference's seq order when `at` goes backwards (a transaction that started earlier committed later)", async () => {
    // A subscriber elsewhere: events are read and planned, not passed over.
    const elsewhere = (await admin('POST', '/api/v1/conferences', { subject: 'Elsewhere' })).json().id;
    const watching = await admin('POST', '/api/v1/webhooks', { url: `${base}/elsewhere`, conferenceId: elsewhere });
    expect(watching.statusCode, watching.body).toBe(201);
    const id = (await admin('POST', '/api/v1/conferences', { subject: 'Out of order' })).json().id;
    const t = Date.parse('2026-12-01T17:00:00Z');
    await api.pool.query('update conferences set event_seq = 3 where id = $1', [id]);
    for (const [seq, ms] of [[1, 2000], [2, 0], [3, 1000]] as const) {
      await api.pool.query(`insert into conference_events (conference_id, seq, type, data, at) values ($1, $2, 'session', '{}', $3)`, [id, seq, new Date(t + ms)]);
    }
    const store = pgWebhookStore(api.pool);
    const cursor = async () => Number((await api.pool.query('select seq from webhook_cursors where conference_id = $1', [id])).rows[0]?.seq ?? 0);
    const steps: number[] = [];
    for (let i = 0; i < 3; i++) {
      expect(await store.fanOut(1, () => [])).toEqual({ events: 1, deliveries: 0 });
      steps.push(await cursor());
    }
    expect(steps).toEqual([1, 2, 3]);
    expect(await store.fanOut(1, () => [])).toEqual({ events: 0, deliveries: 0 });
    expect((await admin('DELETE', `/api/v1/webhooks/${watching.json().id}`)).statusCode).toBe(204);
  });
});

describe('outgoing webhooks', () => {
  let meeting: string;
  let other: string;

  beforeAll(async () => {
    meeting = (await admin('POST', '/api/v1/conferences', { subject: 'Webhooks' })).json().id;
    other = (await admin('POST', '/api/v1/conferences', { subject: 'Elsewhere' })).json().id;
  });

  it('are managed by administrators only, with checked URLs', async () => {
    const password = 'correct horse battery';
    await admin('POST', '/api/v1/users', { displayName: 'Org', email: 'org@example.com', sipUri: 'sip:org@example.com', region: 'US', password });
    const token = (await api.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: 'org@example.com', password } })).json().token;
    const asOrganizer = await api.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: { authorization: `Bearer ${token}` } });
    expect(asOrganizer.statusCode).toBe(403);

    const ftp = await admin('POST', '/api/v1/webhooks', { url: 'ftp://example.com/hook' });
    expect(ftp.statusCode).toBe(400);
    expect(ftp.json().error).toMatchObject({ code: 'validation-failed', problems: [{ field: 'url' }] });
    expect((await admin('POST', '/api/v1/webhooks', { url: `${base}/x`, eventTypes: ['everything'] })).statusCode).toBe(400);
    expect((await admin('POST', '/api/v1/webhooks', { url: `${base}/x`, conferenceId: 'f'.repeat(32) })).json().error.code).toBe('conference-not-found');
    expect((await admin('GET', `/api/v1/webhooks/${randomUUID()}`)).json().error.code).toBe('webhook-not-found');
    const docs = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(docs.paths)).toEqual(expect.arrayContaining(['/api/v1/webhooks', '/api/v1/webhooks/{id}/deliveries/{deliveryId}/retry']));
  });

  it('deliver conference events signed, in seq order, once each even with two instances sending', async () => {
    const created = await admin('POST', '/api/v1/webhooks', { url: `${base}/ok` });
    expect(created.statusCode).toBe(201);
    const hook = created.json();
    expect(hook.secret).toMatch(/^whsec_/);
    expect((await admin('GET', `/api/v1/webhooks/${hook.id}`)).json()).not.toHaveProperty('secret');
    const scoped = (await admin('POST', '/api/v1/webhooks', { url: `${base}/scoped`, eventTypes: ['conference'], conferenceId: other, secret: 'a-chosen-secret-0123456789' })).json();
    expect(scoped.secret).toBe('a-chosen-secret-0123456789');

    // Two parley instances on one database: the locks keep them from sending anything twice.
    const second = createServices({ pool: api.pool, telephony: noCalls, log: silentLog, serviceToken: ADMIN, hashCost: TEST_HASH_COST, webhooks: SETTINGS, webhookAllowedNetworks: LOOPBACK });
    runners.push(startWebhookRunner(api.app.services.webhooks, silentLog, 20), startWebhookRunner(second.webhooks, silentLog, 20));

    // What the triggers turn into events: live state changes and a caller joining.
    for (const locked of [true, false, true]) await api.pool.query('update conferences set locked = $2 where id = $1', [meeting, locked]);
    await api.pool.query(`insert into participants (id, conference_id, channel_id, display_name, caller_number, state) values ($1, $2, 'chan-1', 'Ann', '+14255550123', 'connected')`, [
      randomUUID(),
      meeting,
    ]);
    await api.pool.query('update conferences set audience_muted = true where id = $1', [other]);

    const bodies = await eventually(() => {
      expect(at('/ok')).toHaveLength(6);
      return at('/ok').map((r) => verified(r, hook.secret));
    });
    expect(bodies.filter((b) => b.conferenceId === meeting).map((b) => [b.seq, b.type])).toEqual([
      [1, 'conference'],
      [2, 'conference'],
      [3, 'conference'],
      [4, 'participant'],
      [5, 'session'],
    ]);
    expect(bodies.find((b) => b.type === 'participant')!.data).toMatchObject({ displayName: 'Ann', state: 'connected', muted: false });
    expect(JSON.stringify(bodies)).not.toMatch(/chan-1|14255550123/);
    expect(new Set(bodies.map((b) => b.id)).size).toBe(6);

    const [scopedBody] = await eventually(() => {
      expect(at('/scoped')).toHaveLength(1);
      return at('/scoped').map((r) => verified(r, 'a-chosen-secret-0123456789'));
    });
    expect(scopedBody).toMatchObject({ type: 'conference', conferenceId: other, seq: 1, data: { audienceMuted: true } });

    await eventually(async () => {
      const delivered = (await admin('GET', `/api/v1/webhooks/${hook.id}/deliveries?state=delivered`)).json();
      expect(delivered).toHaveLength(6);
      expect(delivered[0]).toMatchObject({ state: 'delivered', attempts: 1, lastStatus: 200, nextAttemptAt: null });
    });
  });

  it('retry a failing receiver with backoff until the delivery is dead, and send it again from the dead-letter list', async () => {
    statusFor.set('/fail', 500);
    const hook = (await admin('POST', '/api/v1/webhooks', { url: `${base}/fail`, eventTypes: ['dial-out'], conferenceId: meeting })).json();
    // A type the dial-out work will write; the relaxed check constraint accepts it already.
    await api.pool.query(`select parley_event($1, 'dial-out', $2)`, [meeting, { number: '+14255550100', state: 'ringing' }]);

    const [dead] = await eventually(async () => {
      const list = (await admin('GET', `/api/v1/webhooks/${hook.id}/deliveries?state=dead`)).json();
      expect(list).toHaveLength(1);
      return list;
    });
    expect(dead).toMatchObject({ type: 'dial-out', conferenceId: meeting, state: 'dead', attempts: 3, lastStatus: 500, lastError: 'HTTP 500', data: { state: 'ringing' } });
    const attempts = at('/fail');
    expect(attempts).toHaveLength(3);
    expect(attempts.every((r) => r.headers['parley-event-id'] === dead.id)).toBe(true);
    attempts.forEach((r) => verified(r, hook.secret));
    expect((await admin('POST', `/api/v1/webhooks/${hook.id}/deliveries/${dead.id}/retry`)).statusCode).toBe(200);

    // Still failing: three fresh attempts, dead again; then the receiver is fixed and a retry gets through.
    await eventually(async () => expect((await admin('GET', `/api/v1/webhooks/${hook.id}/deliveries?state=dead`)).json()).toHaveLength(1));
    expect(at('/fail')).toHaveLength(6);
    statusFor.set('/fail', 204);
    const retried = await admin('POST', `/api/v1/webhooks/${hook.id}/deliveries/${dead.id}/retry`);
    expect(retried.json()).toMatchObject({ id: dead.id, state: 'pending', attempts: 0 });
    await eventually(async () =>
      expect((await admin('GET', `/api/v1/webhooks/${hook.id}/deliveries`)).json()).toEqual([expect.objectContaining({ id: dead.id, state: 'delivered', lastStatus: 204 })]),
    );
    expect(at('/fail')).toHaveLength(7);

    const again = await admin('POST', `/api/v1/webhooks/${hook.id}/deliveries/${dead.id}/retry`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('delivery-not-dead');
    expect((await admin('POST', `/api/v1/webhooks/${hook.id}/deliveries/${randomUUID()}/retry`)).json().error.code).toBe('delivery-not-found');
  });

  it('pause, change and remove subscriptions', async () => {
    const hook = (await admin('POST', '/api/v1/webhooks', { url: `${base}/paused`, conferenceId: meeting })).json();
    const paused = await admin('PATCH', `/api/v1/webhooks/${hook.id}`, { active: false, eventTypes: ['session'] });
    expect(paused.json()).toMatchObject({ active: false, eventTypes: ['session'], conferenceId: meeting });
    expect((await admin('PATCH', `/api/v1/webhooks/${hook.id}`, { url: 'mailto:x@example.com' })).statusCode).toBe(400);
    expect((await admin('GET', '/api/v1/webhooks')).json().map((w: { id: string }) => w.id)).toContain(hook.id);
    expect((await admin('DELETE', `/api/v1/webhooks/${hook.id}`)).statusCode).toBe(204);
    expect((await admin('DELETE', `/api/v1/webhooks/${hook.id}`)).statusCode).toBe(404);
    expect((await admin('GET', `/api/v1/webhooks/${hook.id}/deliveries`)).statusCode).toBe(404);
  });
});

describe('the fetch sender', () => {
  it('gives up after the timeout and does not follow redirects', async () => {
    expect(await fetchWebhookSender.post({ url: `${base}/hang`, headers: {}, body: '{}', timeoutMs: 200 })).toEqual({ error: 'timed out' });
    statusFor.set('/moved', 302);
    expect(await fetchWebhookSender.post({ url: `${base}/moved`, headers: {}, body: '{}', timeoutMs: 2_000 })).toEqual({ status: 302 });
    expect(at('/ok').filter((r) => r.body === '{}')).toHaveLength(0);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await fetchWebhookSender.post({ url: `http://127.0.0.1:${port}/`, headers: {}, body: '{}', timeoutMs: 2_000 })).toEqual({ error: 'ECONNREFUSED' });
  });
});
