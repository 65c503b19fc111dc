import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from '../../src/adapters/http/app.js';
import { apiOnFreshDatabase, type TestApi } from '../support/api-app.js';

const TOKEN = 'test-token-0123456789';
/** No calls are up in these tests: the API's answers about calls are proven end to end. */

let pool: pg.Pool;
let app: HttpApp;

let api: TestApi;

beforeAll(async () => {
  api = await apiOnFreshDatabase(TOKEN);
  ({ pool, app } = api);
});

afterAll(async () => {
  await api?.close();
});

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers = {}) =>
  app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${TOKEN}`, ...headers },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

const create = async (body: object = { subject: 'Planning' }) => (await call('POST', '/api/v1/conferences', body)).json();

describe('creating a conference', () => {
  it('returns the meeting ID, a numeric conference ID, a generated passcode and the dial-in numbers', async () => {
    const response = await call('POST', '/api/v1/conferences', {
      subject: 'Quarterly review',
      accessType: 'anonymous',
      passcode: true,
      startsAt: '2026-12-01T15:00:00Z',
      endsAt: '2026-12-01T16:00:00Z',
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.id).toMatch(/^[0-9a-f]{32}$/);
    expect(body.conferenceId).toMatch(/^[1-9][0-9]{6}$/);
    expect(body.passcode).toMatch(/^[0-9]{6}$/);
    expect(body).toMatchObject({
      subject: 'Quarterly review',
      locked: false,
      status: 'scheduled',
      startsAt: '2026-12-01T15:00:00.000Z',
      dialIn: [{ number: '14255550100', region: 'US', languages: ['en-US'] }],
    });
    expect((await call('GET', `/api/v1/conferences/${body.id}`)).json()).toEqual(body);
  });

  it('keeps a chosen passcode and leaves it out when none is asked for', async () => {
    expect(await create({ subject: 'A', passcode: '90210' })).toMatchObject({ passcode: '90210' });
    expect(await create({ subject: 'B' })).not.toHaveProperty('passcode');
  });

  it.each([
    [{}, 'validation-failed'],
    [{ subject: '' }, 'validation-failed'],
    [{ subject: 'x', passcode: '12' }, 'validation-failed'],
    [{ subject: 'x', passcode: false }, 'validation-failed'],
    [{ subject: 'x', accessType: 'public' }, 'validation-failed'],
    [{ subject: 'x', startsAt: 'tomorrow' }, 'validation-failed'],
    [{ subject: 'x', startsAt: '2026-12-01T16:00:00Z', endsAt: '2026-12-01T15:00:00Z' }, 'validation-failed'],
    [{ subject: 'x', color: 'red' }, 'validation-failed'],
  ])('refuses %j with 400 %s', async (body, code) => {
    const response = await call('POST', '/api/v1/conferences', body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code } });
    expect(response.json().error.message).toEqual(expect.any(String));
  });

  it('answers malformed JSON, a wrong content type and an oversized body with a 4xx code', async () => {
    const bad = await call('POST', '/api/v1/conferences', '{"subject":', { 'content-type': 'application/json' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid-json');
    const text = await call('POST', '/api/v1/conferences', 'subject=x', { 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('unsupported-media-type');
    const huge = await call('POST', '/api/v1/conferences', { subject: 'x'.repeat(100_000) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('body-too-large');
  });

  it('writes nothing when it refuses', async () => {
    const before = (await pool.query('select count(*)::int as n from conferences')).rows[0].n;
    await call('POST', '/api/v1/conferences', { subject: 'x', passcode: 'abcd' });
    expect((await pool.query('select count(*)::int as n from conferences')).rows[0].n).toBe(before);
  });
});

describe('authorisation', () => {
  it('refuses a missing or wrong token with 401 and lets /health and /docs through', async () => {
    const none = await app.inject({ method: 'GET', url: '/api/v1/conferences/' + 'a'.repeat(32) });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ error: { code: 'unauthorized' } });
    const wrong = await call('GET', '/api/v1/conferences/' + 'a'.repeat(32), undefined, { authorization: 'Bearer nope' });
    expect(wrong.statusCode).toBe(401);
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.json()).toEqual({ status: 'ok', asterisk: 'down', database: 'up' });
    const openapi = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(Object.keys(openapi.json().paths)).toEqual(
      expect.arrayContaining(['/api/v1/conferences', '/api/v1/conferences/{id}/participants/{participantId}']),
    );
  });
});

describe('the OpenAPI document at /docs', () => {
  it('describes every route and shows an example for every request body', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops as Record<string, { description?: string; requestBody?: { content: Record<string, { schema?: { examples?: unknown[] }; examples?: unknown; example?: unknown }> } }>).map(
        ([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op }),
      ),
    );
    expect(operations.length).toBeGreaterThan(30);
    for (const { route, op } of operations) {
      expect(op.description, route).toEqual(expect.any(String));
      const body = op.requestBody?.content['application/json'];
      if (body) expect(body.schema?.examples ?? body.examples ?? body.example, `${route} body example`).toBeDefined();
    }
  });
});

describe('live conference resources', () => {
  it('answers unknown or malformed ids with 404 or 400, never 5xx', async () => {
    const unknown = 'f'.repeat(32);
    expect((await call('GET', `/api/v1/conferences/${unknown}`)).json()).toMatchObject({
      error: { code: 'conference-not-found' },
    });
    expect((await call('GET', `/api/v1/conferences/${unknown}/participants`)).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/conferences/123')).statusCode).toBe(400);
    expect((await call('PATCH', `/api/v1/conferences/${unknown}`, { locked: true })).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v1/conferences/${unknown}`, { locked: 'yes' })).statusCode).toBe(400);
    const conference = await create();
    const participant = `/api/v1/conferences/${conference.id}/participants/${randomUUID()}`;
    expect((await call('PATCH', participant, { muted: true })).json()).toMatchObject({
      error: { code: 'participant-not-found' },
    });
    expect((await call('PATCH', participant, {})).statusCode).toBe(400);
    expect((await call('DELETE', participant)).statusCode).toBe(404);
    expect((await call('DELETE', `/api/v1/conferences/${conference.id}/participants/not-a-uuid`)).statusCode).toBe(400);
    expect((await call('GET', '/api/v1/nothing')).json()).toMatchObject({ error: { code: 'route-not-found' } });
  });

  it('refuses to mute or eject a participant who has left, with 409', async () => {
    const conference = await create();
    const id = randomUUID();
    await pool.query(
      `insert into participants (id, conference_id, channel_id, display_name, caller_number, state)
       values ($1, $2, 'gone', 'Ann', '1', 'disconnected')`,
      [id, conference.id],
    );
    const path = `/api/v1/conferences/${conference.id}/participants/${id}`;
    const mute = await call('PATCH', path, { muted: true });
    expect(mute.statusCode).toBe(409);
    expect(mute.json()).toMatchObject({ error: { code: 'participant-not-connected' } });
    expect((await call('DELETE', path)).statusCode).toBe(409);
    expect((await call('GET', `/api/v1/conferences/${conference.id}/participants`)).json()).toMatchObject([
      { id, state: 'disconnected', muted: false },
    ]);
    // A participant of another conference is not found through this one.
    const other = await create();
    expect((await call('PATCH', `/api/v1/conferences/${other.id}/participants/${id}`, { muted: true })).statusCode).toBe(404);
  });

  it('locks and unlocks', async () => {
    const conference = await create();
    expect((await call('PATCH', `/api/v1/conferences/${conference.id}`, { locked: true })).json()).toMatchObject({ locked: true });
    expect((await call('PATCH', `/api/v1/conferences/${conference.id}`, { locked: false })).json()).toMatchObject({ locked: false });
  });
});
