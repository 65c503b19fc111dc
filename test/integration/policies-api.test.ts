import { afterAll, beforeAll, expect, it } from 'vitest';
import type { HttpApp } from '../../src/adapters/http/app.js';
import { apiOnFreshDatabase, type TestApi } from '../support/api-app.js';

const ADMIN = 'policy-admin-token-012345';
let app: HttpApp;

let api: TestApi;

beforeAll(async () => {
  api = await apiOnFreshDatabase(ADMIN);
  ({ app } = api);
});

afterAll(async () => {
  await api?.close();
});

const admin = (method: 'GET' | 'PATCH' | 'POST' | 'PUT', url: string, payload?: object) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${ADMIN}` }, ...(payload ? { payload } : {}) });

it('lets administrators change the PIN and meeting policies, which apply at once and persist', async () => {
  expect((await admin('GET', '/api/v1/policies')).json()).toEqual({
    pin: { minLength: 5, historySize: 5, failureWindowMinutes: 30, lockoutMinutes: 60, expiryDays: 0 },
    meetings: { passcodeForAnonymous: false },
    dialOut: { scope: 'national', blockedPrefixes: ['+1900', '+1976'], blockedTypes: ['premium-rate', 'shared-cost', 'satellite'], ringSeconds: 30 },
  });
  expect((await admin('POST', '/api/v1/conferences', { subject: 'Open' })).json()).not.toHaveProperty('passcode');

  const changed = await admin('PATCH', '/api/v1/policies', { pin: { minLength: 6 }, meetings: { passcodeForAnonymous: true } });
  expect(changed.statusCode).toBe(200);
  expect(changed.json()).toMatchObject({ pin: { minLength: 6, historySize: 5 }, meetings: { passcodeForAnonymous: true } });
  expect((await admin('GET', '/api/v1/pin-policy')).json().rules).toContain('Use at least 6 digits.');
  expect((await admin('POST', '/api/v1/conferences', { subject: 'Now guarded' })).json().passcode).toMatch(/^\d{6}$/);

  const user = (await admin('POST', '/api/v1/users', { displayName: 'Di', email: 'di@example.com', sipUri: 'sip:di@example.com', region: 'US' })).json();
  const short = await admin('PUT', `/api/v1/users/${user.id}/pin`, { pin: '80417' });
  expect(short.json().error).toMatchObject({ code: 'pin-rejected', problems: [{ field: 'pin', code: 'pin-too-short' }] });
  expect((await admin('PUT', `/api/v1/users/${user.id}/pin`, { pin: '804179' })).statusCode).toBe(200);

  expect((await admin('PATCH', '/api/v1/policies', { pin: { minLength: 3 } })).statusCode).toBe(400);
  expect((await admin('PATCH', '/api/v1/policies', { pin: { colour: 'red' } })).statusCode).toBe(400);
  expect((await admin('GET', '/api/v1/policies')).json().pin.minLength).toBe(6);
});

it('keeps the dial-out policy: a scope, blocked prefixes and a ring time, validated', async () => {
  const changed = await admin('PATCH', '/api/v1/policies', { dialOut: { scope: 'internal', blockedPrefixes: ['+44909'], ringSeconds: 20 } });
  expect(changed.statusCode).toBe(200);
  expect((await admin('GET', '/api/v1/policies')).json().dialOut).toEqual({ scope: 'internal', blockedPrefixes: ['+44909'], blockedTypes: ['premium-rate', 'shared-cost', 'satellite'], ringSeconds: 20 });
  for (const dialOut of [{ scope: 'galactic' }, { blockedPrefixes: ['44909'] }, { ringSeconds: 1 }, { blockedTypes: ['mobile'] }]) {
    expect((await admin('PATCH', '/api/v1/policies', { dialOut })).json().error.code).toBe('validation-failed');
  }
});

it('refuses policy changes by organisers', async () => {
  const password = 'correct horse battery';
  await admin('POST', '/api/v1/users', { displayName: 'Ed', email: 'ed@example.com', sipUri: 'sip:ed@example.com', region: 'US', password });
  const token = (await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: 'ed@example.com', password } })).json().token;
  const response = await app.inject({ method: 'PATCH', url: '/api/v1/policies', headers: { authorization: `Bearer ${token}` }, payload: { pin: { minLength: 4 } } });
  expect(response.statusCode).toBe(403);
});
