import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from '../../src/adapters/http/app.js';
import { apiOnFreshDatabase, type TestApi } from '../support/api-app.js';

const ADMIN = 'service-token-0123456789';

let pool: pg.Pool;
let app: HttpApp;

let api: TestApi;

beforeAll(async () => {
  api = await apiOnFreshDatabase(ADMIN, { signInLimit: { max: 6, timeWindow: '1 minute' } });
  ({ pool, app } = api);
});

afterAll(async () => {
  await api?.close();
});

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const as = (token: string) => (method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
const admin = as(ADMIN);
const count = async (table: string) => (await pool.query(`select count(*)::int as n from ${table}`)).rows[0].n as number;

let seq = 0;
const person = (fields: object = {}) => {
  seq++;
  return { displayName: `Person ${seq}`, email: `p${seq}@example.com`, sipUri: `sip:p${seq}@example.com`, region: 'US', ...fields };
};

async function signedIn(fields: object = {}) {
  const password = 'correct horse battery';
  const user = (await admin('POST', '/api/v1/users', person({ password, ...fields }))).json();
  const session = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: user.email, password } });
  expect(session.statusCode).toBe(201);
  return { user, token: session.json().token as string, call: as(session.json().token) };
}

describe('the directory', () => {
  it('adds a user with phone numbers normalised to E.164 and a personal conference ID', async () => {
    const response = await admin('POST', '/api/v1/users', {
      displayName: 'Ann Lee',
      email: 'Ann@Example.com',
      sipUri: 'sip:ann@example.com',
      extension: '4711',
      phones: { work: '(425) 555-0123', mobile: '+1 425 555 0199' },
      region: 'US',
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      displayName: 'Ann Lee',
      email: 'ann@example.com',
      extension: '4711',
      phones: { work: '+14255550123', mobile: '+14255550199' },
      role: 'organizer',
      hasPin: false,
    });
    expect(response.json().assignedConferenceId).toMatch(/^[1-9][0-9]{6}$/);
    expect(response.json()).not.toHaveProperty('passwordHash');
  });

  it.each([
    [{ phones: { work: '12' } }, 400, 'invalid-phone-number', 'phones.work'],
    [{ region: 'MARS' }, 400, 'unknown-region', 'region'],
    [{ email: 'not-an-address' }, 400, 'validation-failed', 'email'],
    [{ sipUri: 'ann@example.com' }, 400, 'validation-failed', 'sipUri'],
    [{ extension: '12a' }, 400, 'validation-failed', 'extension'],
    [{ password: 'short' }, 400, 'validation-failed', 'password'],
  ])('refuses %j with %i %s, naming the field', async (fields, status, code, field) => {
    const before = await count('users');
    const response = await admin('POST', '/api/v1/users', person(fields));
    expect(response.statusCode).toBe(status);
    expect(response.json().error).toMatchObject({ code, problems: [expect.objectContaining({ field, code })] });
    expect(await count('users')).toBe(before);
  });

  it('refuses unknown fields at the schema', async () => {
    const response = await admin('POST', '/api/v1/users', person({ phones: { fax: '4255550123' } }));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation-failed');
  });

  it('refuses a second user with the same e-mail, SIP URI or extension with 409', async () => {
    const first = person({ extension: '5100' });
    expect((await admin('POST', '/api/v1/users', first)).statusCode).toBe(201);
    expect((await admin('POST', '/api/v1/users', person({ email: first.email }))).json().error.code).toBe('email-taken');
    expect((await admin('POST', '/api/v1/users', person({ sipUri: first.sipUri }))).json().error.code).toBe('sip-uri-taken');
    const extension = await admin('POST', '/api/v1/users', person({ extension: '5100' }));
    expect(extension.statusCode).toBe(409);
    expect(extension.json().error.code).toBe('extension-taken');
  });

  it('updates a user, re-normalising phones in the new region', async () => {
    await admin('POST', '/api/v1/regions', { code: 'UK', name: 'United Kingdom', country: 'GB' });
    const user = (await admin('POST', '/api/v1/users', person())).json();
    const updated = await admin('PATCH', `/api/v1/users/${user.id}`, { region: 'UK', phones: { work: '020 7946 0000' } });
    expect(updated.json()).toMatchObject({ region: 'UK', phones: { work: '+442079460000' } });
    expect((await admin('PATCH', `/api/v1/users/${user.id}`, { nickname: 'x' })).statusCode).toBe(400);
  });
});

describe('signing in', () => {
  it('gives a token that authenticates as the user until signed out', async () => {
    const { user, call } = await signedIn();
    expect((await call('GET', '/api/v1/me')).json()).toMatchObject({ id: user.id, email: user.email });
    expect((await call('DELETE', '/api/v1/sessions/current')).statusCode).toBe(204);
    expect((await call('GET', '/api/v1/me')).json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('answers a wrong password and an unknown address alike, and rate-limits attempts', async () => {
    const { user } = await signedIn();
    const attempt = (email: string) =>
      app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email, password: 'wrong password!' }, remoteAddress: '10.9.8.7' });
    const wrong = await attempt(user.email);
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid-credentials');
    expect((await attempt('nobody@example.com')).json().error.code).toBe('invalid-credentials');
    let last = wrong;
    for (let i = 0; i < 6; i++) last = await attempt(user.email);
    expect(last.statusCode).toBe(429);
    expect(last.json().error.code).toBe('rate-limited');
  });
});

describe('who may do what', () => {
  it('lets an organiser read and reset only their own entry, and nothing of the directory', async () => {
    const { user, call } = await signedIn();
    const other = (await admin('POST', '/api/v1/users', person())).json();
    expect((await call('GET', '/api/v1/users')).json().error.code).toBe('forbidden');
    expect((await call('GET', `/api/v1/users/${other.id}`)).statusCode).toBe(404);
    expect((await call('POST', '/api/v1/users', person())).statusCode).toBe(403);
    expect((await call('DELETE', `/api/v1/users/${other.id}`)).statusCode).toBe(403);

    const reset = await call('POST', `/api/v1/users/${user.id}/assigned-conference-id`);
    expect(reset.statusCode).toBe(201);
    expect(reset.json().assignedConferenceId).toMatch(/^[1-9][0-9]{6}$/);
    expect(reset.json().assignedConferenceId).not.toBe(user.assignedConferenceId);
    expect((await call('POST', `/api/v1/users/${other.id}/assigned-conference-id`)).statusCode).toBe(404);
  });

  it('shows an organiser their own conferences only', async () => {
    const { call } = await signedIn();
    const mine = (await call('POST', '/api/v1/conferences', { subject: 'Mine' })).json();
    const theirs = (await admin('POST', '/api/v1/conferences', { subject: 'Theirs' })).json();
    expect((await call('GET', `/api/v1/conferences/${mine.id}`)).statusCode).toBe(200);
    // Someone else's conference: 403 with a stable code (its 32-hex ID is not guessable).
    for (const [method, path, body] of [
      ['GET', `/api/v1/conferences/${theirs.id}`],
      ['PATCH', `/api/v1/conferences/${theirs.id}`, { locked: true }],
      ['GET', `/api/v1/conferences/${theirs.id}/participants`],
      ['GET', `/api/v1/conferences/${theirs.id}/live`],
      ['GET', `/api/v1/conferences/${theirs.id}/events`],
    ] as const) {
      const response = await call(method, path, body);
      expect(response.statusCode, path).toBe(403);
      expect(response.json().error.code).toBe('not-in-conference');
    }
    expect((await call('DELETE', `/api/v1/conferences/${theirs.id}`)).statusCode).toBe(404);
    expect((await admin('GET', `/api/v1/conferences/${mine.id}`)).statusCode).toBe(200);
  });
});

describe('importing users', () => {
  it('imports nothing when any row is wrong, and reports every problem by row and field', async () => {
    const before = await count('users');
    const rows = [person(), person({ phones: { mobile: 'call me' } }), person({ region: 'XX' }), person()];
    rows[3] = { ...rows[3]!, email: rows[0]!.email };
    const response = await admin('POST', '/api/v1/users/import', rows);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('import-failed');
    expect(response.json().error.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 2, field: 'phones.mobile', code: 'invalid-phone-number' }),
        expect.objectContaining({ row: 3, field: 'region', code: 'unknown-region' }),
        expect.objectContaining({ row: 4, field: 'email', code: 'email-taken' }),
      ]),
    );
    expect(await count('users')).toBe(before);
  });

  it('imports a JSON array and a CSV file whole', async () => {
    const json = await admin('POST', '/api/v1/users/import', [person(), person({ phones: { home: '425-555-0100' } })]);
    expect(json.statusCode).toBe(201);
    expect(json.json()).toMatchObject({ imported: 2, users: [{}, { phones: { home: '+14255550100' } }] });

    const csv = ['displayName,email,sipUri,extension,region,phone_work', 'Cy Doe,cy@example.com,sip:cy@example.com,7001,US,(425) 555-0111', 'Di Ray,di@example.com,sip:di@example.com,,US,'].join('\n');
    const imported = await admin('POST', '/api/v1/users/import', csv, { 'content-type': 'text/csv' });
    expect(imported.statusCode).toBe(201);
    expect(imported.json().users).toMatchObject([
      { email: 'cy@example.com', extension: '7001', phones: { work: '+14255550111' } },
      { email: 'di@example.com', extension: null, phones: {} },
    ]);
    const ids = imported.json().users.map((u: { assignedConferenceId: string }) => u.assignedConferenceId);
    expect(new Set(ids).size).toBe(2);
  });
});

describe('regions and access numbers', () => {
  it('lists the organiser’s region first in a conference’s dial-in numbers', async () => {
    expect((await admin('POST', '/api/v1/regions', { code: 'EMEA', name: 'Europe', country: 'GB' })).statusCode).toBe(201);
    const created = await admin('POST', '/api/v1/access-numbers', {
      number: '442071230000',
      display: '+44 20 7123 0000',
      region: 'EMEA',
      primaryLanguage: 'en-GB',
      secondaryLanguages: ['fr-FR', 'de-DE'],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ primaryLanguage: 'en-GB', secondaryLanguages: ['fr-FR', 'de-DE'], languages: ['en-GB', 'fr-FR', 'de-DE'] });

    const { call } = await signedIn({ region: 'EMEA' });
    const conference = (await call('POST', '/api/v1/conferences', { subject: 'London' })).json();
    expect(conference.dialIn.map((n: { region: string }) => n.region)).toEqual(['EMEA', 'US']);
    const unowned = (await admin('POST', '/api/v1/conferences', { subject: 'Default' })).json();
    expect(unowned.dialIn.map((n: { region: string }) => n.region).sort()).toEqual(['EMEA', 'US']);
  });

  it.each([
    [{ primaryLanguage: 'xx-XX' }, 400],
    [{ secondaryLanguages: ['fr-FR', 'de-DE', 'it-IT', 'ja-JP', 'ko-KR'] }, 400],
    [{ secondaryLanguages: ['en-US'] }, 400],
    [{ region: 'NOWHERE' }, 400],
  ])('refuses an access number with %j', async (fields, status) => {
    const response = await admin('POST', '/api/v1/access-numbers', { number: '15550001111', display: 'x', region: 'US', primaryLanguage: 'en-US', ...fields });
    expect(response.statusCode).toBe(status);
    expect(response.json().error.code).toEqual(expect.any(String));
  });

  it('keeps regions in use, refuses duplicates, and lets only administrators change them', async () => {
    expect((await admin('DELETE', '/api/v1/regions/US')).json().error.code).toBe('region-in-use');
    expect((await admin('POST', '/api/v1/regions', { code: 'US', name: 'Again', country: 'US' })).statusCode).toBe(409);
    expect((await admin('POST', '/api/v1/access-numbers', { number: '14255550100', display: 'x', region: 'US', primaryLanguage: 'en-US' })).json().error.code).toBe('access-number-taken');
    const { call } = await signedIn();
    expect((await call('GET', '/api/v1/access-numbers')).statusCode).toBe(200);
    expect((await call('POST', '/api/v1/regions', { code: 'APAC', name: 'Asia', country: 'JP' })).statusCode).toBe(403);
    expect((await admin('PATCH', '/api/v1/access-numbers/14255550100', { secondaryLanguages: ['es-MX'] })).json()).toMatchObject({ languages: ['en-US', 'es-MX'] });
    expect((await admin('DELETE', '/api/v1/access-numbers/19999999999')).statusCode).toBe(404);
  });
});
