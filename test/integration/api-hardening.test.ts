import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from '../../src/adapters/http/app.js';
import { apiOnFreshDatabase, type TestApi } from '../support/api-app.js';

const TOKEN = 'hardening-token-0123456789';

let app: HttpApp;
let api: TestApi;

beforeAll(async () => {
  api = await apiOnFreshDatabase(TOKEN);
  ({ app } = api);
});

afterAll(async () => {
  await api?.close();
});

const auth = { authorization: `Bearer ${TOKEN}` };
const json = { ...auth, 'content-type': 'application/json' };

function expectError(response: { statusCode: number; json(): unknown }, status: number, code: string): void {
  expect({ status: response.statusCode, body: response.json() }).toMatchObject({ status, body: { error: { code, message: expect.any(String) } } });
}

describe('text the database cannot store', () => {
  it('refuses a NUL character in a JSON string with 400, signed in or not', async () => {
    expectError(await app.inject({ method: 'POST', url: '/api/v1/conferences', headers: json, payload: '{"subject":"a\\u0000b"}' }), 400, 'invalid-character');
    expectError(await app.inject({ method: 'POST', url: '/api/v1/sessions', headers: { 'content-type': 'application/json' }, payload: '{"email":"a\\u0000@example.com","password":"x"}' }), 400, 'invalid-character');
    expectError(await app.inject({ method: 'POST', url: '/api/v1/users', headers: json, payload: '{"displayName":"A","email":"n@example.com","sipUri":"sip:n@example.com","region":"US","phones":{"mo\\u0000bile":"1"}}' }), 400, 'invalid-character');
  });

  it('refuses a NUL character in a path or query with 400', async () => {
    expectError(await app.inject({ method: 'GET', url: '/api/v1/users/a%00b', headers: auth }), 400, 'invalid-character');
    expectError(await app.inject({ method: 'GET', url: '/api/v1/regions/U%00', headers: auth }), 400, 'invalid-character');
  });
});

describe('paging', () => {
  it.each(['offset=1e20', 'offset=Infinity', 'limit=Infinity', 'offset=-1', 'limit=NaN', 'offset=9223372036854775808'])('refuses ?%s with 400', async (query) => {
    expectError(await app.inject({ method: 'GET', url: `/api/v1/users?${query}`, headers: auth }), 400, 'validation-failed');
  });

  it('still reads numbers from the query string', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/users?limit=5&offset=0', headers: auth })).statusCode).toBe(200);
  });
});

describe('types in bodies', () => {
  it('refuses a number for a string, a number for a boolean and a boolean for a region code instead of converting them', async () => {
    expectError(await app.inject({ method: 'POST', url: '/api/v1/conferences', headers: auth, payload: { subject: 123 } }), 400, 'validation-failed');
    const meeting = (await app.inject({ method: 'POST', url: '/api/v1/conferences', headers: auth, payload: { subject: 'Typed' } })).json();
    expectError(await app.inject({ method: 'PATCH', url: `/api/v1/conferences/${meeting.id}`, headers: auth, payload: { locked: 0 } }), 400, 'validation-failed');
    expectError(
      await app.inject({ method: 'POST', url: '/api/v1/users', headers: auth, payload: { displayName: 'T', email: 't@example.com', sipUri: 'sip:t@example.com', region: true } }),
      400,
      'validation-failed',
    );
  });
});

describe('URLs', () => {
  it('answers a path over the length limit with our error shape and 414 uri-too-long', async () => {
    expectError(await app.inject({ method: 'GET', url: `/api/v1/users/${'a'.repeat(600)}`, headers: auth }), 414, 'uri-too-long');
  });

  it('answers bad percent-encoding with 400 bad-url', async () => {
    expectError(await app.inject({ method: 'GET', url: '/api/v1/users/%E0%A4%A', headers: auth }), 400, 'bad-url');
    expectError(await app.inject({ method: 'GET', url: '/api/v1/users?offset=%zz', headers: auth }), 400, 'bad-url');
  });
});

describe('HEAD on the event stream', () => {
  it('answers at once with the stream\'s headers and no body, and 401 without a token', async () => {
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const meeting = (await app.inject({ method: 'POST', url: '/api/v1/conferences', headers: auth, payload: { subject: 'Heads' } })).json();
    const url = `${base}/api/v1/conferences/${meeting.id}/events`;
    const head = await fetch(url, { method: 'HEAD', headers: auth, signal: AbortSignal.timeout(2000) });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toContain('text/event-stream');
    expect(await head.text()).toBe('');
    expect((await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(2000) })).status).toBe(401);
    expect((await fetch(`${base}/api/v1/conferences/${'0'.repeat(32)}/events`, { method: 'HEAD', headers: auth, signal: AbortSignal.timeout(2000) })).status).toBe(404);
  });
});
