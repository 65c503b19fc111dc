import { afterAll, beforeAll, expect, it } from 'vitest';
import type { HttpApp } from '../../src/adapters/http/app.js';
import { apiOnFreshDatabase, type TestApi } from '../support/api-app.js';

const ADMIN = 'unlock-admin-token-012345';
const MINUTE = 60_000;
let api: TestApi;
let app: HttpApp;
let now = new Date('2027-02-01T09:00:00Z');
let organizerId: string;
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  api = await apiOnFreshDatabase(ADMIN, {
    clock: { now: () => now },
    pinPolicy: { minLength: 4, historySize: 5, failureWindowMinutes: 30, lockoutMinutes: 60, expiryDays: 0 },
  });
  ({ app } = api);
  const body = { displayName: 'Ot', email: 'ot@example.com', sipUri: 'sip:ot@example.com', region: 'US', password: PASSWORD };
  organizerId = (await admin('POST', '/api/v1/users', body)).json().id;
});

afterAll(async () => {
  await api?.close();
});

function admin(method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
  return app.inject({ method, url, headers: { authorization: `Bearer ${ADMIN}` }, ...(payload ? { payload } : {}) });
}
/** Signs in afresh: the tests move the clock by more than a session lasts. */
async function asOrganizer(url: string) {
  const { token } = (await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: 'ot@example.com', password: PASSWORD } })).json();
  return app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` } });
}
const keypad = (extension: string, pin: string) => app.services.pins.verifyAtKeypad(extension, pin);
const wrongTries = (extension: string, n: number) =>
  Promise.all(Array.from({ length: n }, (_, i) => keypad(extension, String(1000 + i)).then((r) => r.verdict)));

async function userWithPin(extension: string, pin: string): Promise<string> {
  const user = (await admin('POST', '/api/v1/users', { displayName: `U${extension}`, email: `u${extension}@example.com`, sipUri: `sip:u${extension}@example.com`, extension, region: 'US' })).json();
  expect((await admin('PUT', `/api/v1/users/${user.id}/pin`, { pin })).statusCode).toBe(200);
  return user.id;
}

it('keeps a PIN locked after 100 wrong tries in all until an administrator unlocks it through the API', async () => {
  const id = await userWithPin('6100', '8041');
  // 91 wrong PINs in all already, spread over days; nine more close together do not lock it locally.
  await api.pool.query('update users set pin_global_failures = 91 where id = $1', [id]);
  expect((await wrongTries('6100', 8)).every((v) => v === 'wrong')).toBe(true);
  expect((await admin('GET', `/api/v1/users/${id}`)).json()).toMatchObject({ pinLockedOut: false, pinLockedUntil: null });
  expect(await keypad('6100', '1111')).toEqual({ verdict: 'locked' });
  expect((await admin('GET', `/api/v1/users/${id}`)).json()).toMatchObject({ pinLockedOut: true, pinLockedUntil: null });

  now = new Date(now.getTime() + 30 * 24 * 60 * MINUTE);
  expect(await keypad('6100', '8041')).toEqual({ verdict: 'locked' });

  for (const url of [`/api/v1/users/${id}/pin/unlock`, `/api/v1/users/${organizerId}/pin/unlock`]) {
    const refused = await asOrganizer(url);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('forbidden');
  }
  expect(await keypad('6100', '8041')).toEqual({ verdict: 'locked' });

  const unlocked = await admin('POST', `/api/v1/users/${id}/pin/unlock`);
  expect(unlocked.statusCode).toBe(200);
  expect(unlocked.json()).toMatchObject({ id, hasPin: true, pinLockedOut: false, pinLockedUntil: null });
  expect((await api.pool.query('select pin_local_failures, pin_global_failures from users where id = $1', [id])).rows[0]).toEqual({
    pin_local_failures: 0,
    pin_global_failures: 0,
  });
  expect(await keypad('6100', '8041')).toMatchObject({ verdict: 'ok' });
}, 60_000);

it('lets an administrator lift a temporary lock at once', async () => {
  const id = await userWithPin('6101', '8042');
  expect(await wrongTries('6101', 9)).toEqual(Array(9).fill('wrong'));
  expect(await keypad('6101', '1111')).toEqual({ verdict: 'locked' });
  expect(new Date((await admin('GET', `/api/v1/users/${id}`)).json().pinLockedUntil).getTime()).toBe(now.getTime() + 60 * MINUTE);

  expect((await admin('POST', `/api/v1/users/${id}/pin/unlock`)).json()).toMatchObject({ pinLockedUntil: null, pinLockedOut: false });
  expect(await keypad('6101', '8042')).toMatchObject({ verdict: 'ok' });
}, 60_000);

it('answers 404 for an unknown user and 400 for a malformed id', async () => {
  const unknown = await admin('POST', '/api/v1/users/7d3f1a2b-4c5d-4e6f-8a9b-0c1d2e3f4a5b/pin/unlock');
  expect(unknown.statusCode).toBe(404);
  expect(unknown.json().error.code).toBe('user-not-found');
  expect((await admin('POST', '/api/v1/users/nobody/pin/unlock')).statusCode).toBe(400);
});

it('shows the lockout settings in the policies, and refuses the retired attempt count', async () => {
  expect((await admin('GET', '/api/v1/pin-policy')).json()).toMatchObject({ failureWindowMinutes: 30, lockoutMinutes: 60 });
  const changed = await app.inject({
    method: 'PATCH',
    url: '/api/v1/policies',
    headers: { authorization: `Bearer ${ADMIN}` },
    payload: { pin: { failureWindowMinutes: 15, lockoutMinutes: 120 } },
  });
  expect(changed.json().pin).toMatchObject({ failureWindowMinutes: 15, lockoutMinutes: 120 });
  const retired = await app.inject({ method: 'PATCH', url: '/api/v1/policies', headers: { authorization: `Bearer ${ADMIN}` }, payload: { pin: { maxFailedAttempts: 5 } } });
  expect(retired.statusCode).toBe(400);

  const id = await userWithPin('6102', '8043');
  expect(await wrongTries('6102', 9)).toEqual(Array(9).fill('wrong'));
  expect(await keypad('6102', '1111')).toEqual({ verdict: 'locked' });
  expect(new Date((await admin('GET', `/api/v1/users/${id}`)).json().pinLockedUntil).getTime()).toBe(now.getTime() + 120 * MINUTE);
}, 60_000);
