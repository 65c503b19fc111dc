import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_STAGES, JOIN_FAILURES } from '../../src/ports/metrics.js';
import { apiOnFreshDatabase, type TestApi } from '../support/api-app.js';
import { eventually } from '../support/eventually.js';
import { metric as value, parseMetrics } from '../support/metrics.js';

const ADMIN = 'metrics-admin-token-0123456789';
const LOOPBACK = ['127.0.0.0/8'];

let api: TestApi;
let pool: pg.Pool;
let receiver: Server;
let base: string;

const admin = (method: 'GET' | 'POST', url: string, payload?: object) =>
  api.app.inject({ method, url, headers: { authorization: `Bearer ${ADMIN}` }, ...(payload ? { payload } : {}) });
const scrape = async () => {
  const response = await admin('GET', '/metrics');
  expect(response.statusCode, response.body).toBe(200);
  return { text: response.body, samples: parseMetrics(response.body) };
};
const pending = async () => (await pool.query<{ n: number }>(`select count(*)::int as n from webhook_deliveries where state = 'pending'`)).rows[0]!.n;

beforeAll(async () => {
  receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200).end('ok'));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  api = await apiOnFreshDatabase(ADMIN, { webhookAllowedNetworks: LOOPBACK, webhooks: { maxAttempts: 3, retryBaseMs: 50, retryMaxMs: 200, timeoutMs: 2_000, batchSize: 100 } });
  pool = api.pool;
});

afterAll(async () => {
  await api?.close();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('GET /metrics', () => {
  it('answers administrators only, in the Prometheus text format', async () => {
    const none = await api.app.inject({ method: 'GET', url: '/metrics' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('unauthorized');
    const garbage = await api.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer not-a-token-0123456789' } });
    expect(garbage.statusCode).toBe(401);

    const password = 'correct horse battery';
    await admin('POST', '/api/v1/users', { displayName: 'Pat', email: 'pat@example.com', sipUri: 'sip:pat@example.com', region: 'US', password });
    const userToken = (await api.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: 'pat@example.com', password } })).json().token;
    const user = await api.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${userToken}` } });
    expect(user.statusCode).toBe(403);
    expect(user.json().error.code).toBe('forbidden');

    const ok = await admin('GET', '/metrics');
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(ok.body).toMatch(/^# HELP parley_calls_in_progress /m);
  });

  it('is in the OpenAPI document, behind the bearer token', async () => {
    const doc = api.app.swagger() as { paths: Record<string, { get?: { security?: unknown[]; produces?: string[] } }> };
    const operation = doc.paths['/metrics']?.get;
    expect(operation).toBeDefined();
    expect(operation?.security).toBeUndefined(); // the document's default: bearer
  });

  it('has every call stage and failure cause at zero, the latency histograms, the process and event-loop figures', async () => {
    const { text, samples } = await scrape();
    for (const stage of CALL_STAGES) expect(value(samples, 'parley_calls_in_progress', { stage }), stage).toBe(0);
    for (const cause of JOIN_FAILURES) expect(value(samples, 'parley_join_failures_total', { cause }), cause).toBe(0);
    expect(value(samples, 'parley_joins_total')).toBe(0);
    expect(value(samples, 'parley_join_latency_seconds_count')).toBe(0);
    expect(value(samples, 'parley_join_latency_seconds_bucket', { le: '0.15' })).toBe(0);
    expect(text).toMatch(/^# TYPE parley_join_latency_seconds histogram$/m);
    expect(text).toMatch(/^# TYPE parley_ari_request_duration_seconds histogram$/m);
    for (const name of ['nodejs_eventloop_lag_p99_seconds', 'nodejs_eventloop_lag_seconds', 'process_cpu_seconds_total', 'process_resident_memory_bytes']) {
      expect(value(samples, name), name).toEqual(expect.any(Number));
    }
  });

  it('reads the database pool as the scrape arrives: open, idle, and queries waiting for a connection', async () => {
    // Every connection of the pool (10) held, two queries waiting for one.
    const held = await Promise.all(Array.from({ length: 10 }, () => pool.connect()));
    const waiting = [pool.query('select 1'), pool.query('select 1')];
    expect(pool.waitingCount).toBe(2);
    const response = admin('GET', '/metrics');
    // The scrape read the pool, then queued its own query behind the two.
    await eventually(() => expect(pool.waitingCount).toBe(3));
    for (const client of held) client.release();
    const samples = parseMetrics((await response).body);
    await Promise.all(waiting);
    expect(value(samples, 'parley_db_pool_waiting')).toBe(2);
    expect(value(samples, 'parley_db_pool_connections')).toBe(10);
    expect(value(samples, 'parley_db_pool_idle')).toBe(0);

    const quiet = (await scrape()).samples;
    expect(value(quiet, 'parley_db_pool_waiting')).toBe(0);
    expect(value(quiet, 'parley_db_pool_connections')).toBe(pool.totalCount);
    expect(value(quiet, 'parley_db_pool_idle')).toBe(pool.idleCount);
  });

  it('counts conferences and participants in a bridge, and the webhook deliveries waiting to be sent', async () => {
    const first = (await admin('POST', '/api/v1/conferences', { subject: 'Metrics one', passcode: '918273' })).json();
    const second = (await admin('POST', '/api/v1/conferences', { subject: 'Metrics two' })).json();
    const hook = await admin('POST', '/api/v1/webhooks', { url: `${base}/hook` });
    expect(hook.statusCode).toBe(201);
    const join = (conference: string, channel: string, state: string) =>
      pool.query(`insert into participants (id, conference_id, channel_id, display_name, caller_number, state) values ($1, $2, $3, 'Caller', '+14255550123', $4)`, [
        randomUUID(),
        conference,
        channel,
        state,
      ]);
    await join(first.id, 'm-1', 'connected');
    await join(first.id, 'm-2', 'on-hold');
    await join(first.id, 'm-3', 'lobby');
    await join(first.id, 'm-4', 'disconnected');
    await join(second.id, 'm-5', 'connected');
    await pool.query('update conferences set locked = true where id = $1', [second.id]);

    // The runner's fan-out, without its sending: the deliveries wait.
    const { webhooks } = api.app.services;
    expect(await webhooks.fanOut()).toBeGreaterThan(0);
    const queued = await pending();
    expect(queued).toBeGreaterThan(0);

    const scraped = await scrape();
    const { text } = scraped;
    let { samples } = scraped;
    expect(value(samples, 'parley_participants_connected')).toBe(3);
    expect(value(samples, 'parley_conferences_active')).toBe(2);
    expect(value(samples, 'parley_webhook_queue_depth')).toBe(queued);
    // No conference, passcode or caller in any label or value.
    for (const secret of [first.id, first.conferenceId, '918273', '14255550123', 'm-1']) expect(text).not.toContain(secret);

    // Sent: the queue is empty.
    expect(await webhooks.deliverDue()).toBe(queued);
    expect(await pending()).toBe(0);
    expect(value((await scrape()).samples, 'parley_webhook_queue_depth')).toBe(0);

    // A caller leaves: one fewer in the bridge, one conference fewer, and new deliveries wait.
    await pool.query(`update participants set state = 'disconnected' where channel_id = 'm-5'`);
    expect(await webhooks.fanOut()).toBeGreaterThan(0);
    samples = (await scrape()).samples;
    expect(value(samples, 'parley_participants_connected')).toBe(2);
    expect(value(samples, 'parley_conferences_active')).toBe(1);
    expect(value(samples, 'parley_webhook_queue_depth')).toBe(await pending());
    expect(value(samples, 'parley_webhook_queue_depth')).toBeGreaterThan(0);
  });

  it('keeps every label to the fixed lists: stage, cause, operation and bucket bounds only', async () => {
    const { samples } = await scrape();
    for (const sample of samples.filter((s) => s.name.startsWith('parley_'))) {
      for (const [label, v] of Object.entries(sample.labels)) {
        expect(['stage', 'cause', 'operation', 'le']).toContain(label);
        if (label === 'stage') expect(CALL_STAGES).toContain(v);
        if (label === 'cause') expect(JOIN_FAILURES).toContain(v);
      }
    }
  });
});
