import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from '../../src/adapters/http/app.js';
import { apiOnFreshDatabase, type TestApi } from '../support/api-app.js';

const ADMIN = 'service-token-0123456789';

let app: HttpApp;
let api: TestApi;

beforeAll(async () => {
  // Every test signs in fresh users: more sign-ins than the production limit allows.
  api = await apiOnFreshDatabase(ADMIN, { signInLimit: { max: 1000, timeWindow: '1 minute' } });
  ({ app } = api);
});

afterAll(async () => {
  await api?.close();
});

type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';
const as = (token: string) => (method: Method, url: string, payload?: unknown) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
const admin = as(ADMIN);

let seq = 0;
async function signedIn(fields: object = {}) {
  seq++;
  const password = 'correct horse battery';
  const created = await admin('POST', '/api/v1/users', {
    displayName: `Person ${seq}`,
    email: `cf${seq}@example.com`,
    sipUri: `sip:cf${seq}@example.com`,
    region: 'US',
    password,
    ...fields,
  });
  expect(created.statusCode).toBe(201);
  const user = created.json();
  const session = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: user.email, password } });
  return { id: user.id as string, call: as(session.json().token) };
}

const forwarding = (id: string) => `/api/v1/users/${id}/call-forwarding`;
const presence = (id: string) => `/api/v1/users/${id}/presence`;

describe('call forwarding settings', () => {
  it('are off, with voicemail after 20 s, until set', async () => {
    const ann = await signedIn();
    const response = await ann.call('GET', forwarding(ann.id));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ mode: 'off', noAnswer: { afterSeconds: 20, then: { kind: 'voicemail' } }, teamMembers: [], delegates: [] });
  });

  it('are set by the user, phone numbers normalised to E.164, and read back', async () => {
    const [ann, bo, cy] = [await signedIn(), await signedIn(), await signedIn()];
    const settings = {
      mode: 'simultaneous-ring',
      alsoRing: { kind: 'phone', number: '(425) 555-0199' },
      noAnswer: { afterSeconds: 18, then: { kind: 'user', userId: bo.id } },
      teamMembers: [bo.id],
      delegates: [cy.id],
    };
    const put = await ann.call('PUT', forwarding(ann.id), settings);
    expect(put.statusCode).toBe(200);
    const expected = { ...settings, alsoRing: { kind: 'phone', number: '+14255550199' } };
    expect(put.json()).toEqual(expected);
    expect((await ann.call('GET', forwarding(ann.id))).json()).toEqual(expected);

    // Abroad: only for a user whose dial-out scope is international (forwarding is judged as a dial-out).
    await admin('PUT', `/api/v1/users/${ann.id}/dial-out`, { scope: 'international' });
    expect((await ann.call('PUT', forwarding(ann.id), { mode: 'forward-all', forwardTo: { kind: 'phone', number: '+44 20 7946 0018' } })).statusCode).toBe(200);
    expect((await ann.call('GET', forwarding(ann.id))).json()).toMatchObject({ mode: 'forward-all', forwardTo: { number: '+442079460018' }, teamMembers: [] });
  });

  it.each([
    [{ mode: 'forward-all', forwardTo: { kind: 'phone', number: '12' } }, 400, 'invalid-forwarding', 'forwardTo.number', 'invalid-phone-number'],
    [{ mode: 'forward-all', forwardTo: { kind: 'user', userId: '00000000-0000-4000-8000-000000000000' } }, 400, 'invalid-forwarding', 'forwardTo.userId', 'user-not-found'],
    [{ mode: 'forward-all' }, 400, 'invalid-forwarding', 'forwardTo', 'invalid-forwarding'],
    [{ mode: 'off', alsoRing: { kind: 'team' } }, 400, 'invalid-forwarding', 'alsoRing', 'invalid-forwarding'],
    [{ mode: 'simultaneous-ring', alsoRing: { kind: 'team' } }, 400, 'invalid-forwarding', 'alsoRing', 'invalid-forwarding'],
    [{ mode: 'off', noAnswer: { afterSeconds: 90 } }, 400, 'invalid-forwarding', 'noAnswer.afterSeconds', 'invalid-forwarding'],
    [{ mode: 'off', teamMembers: ['00000000-0000-4000-8000-000000000001'] }, 400, 'invalid-forwarding', 'teamMembers[0]', 'user-not-found'],
  ])('refuse %j with %i %s, naming %s', async (body, status, code, field, problemCode) => {
    const ann = await signedIn();
    const response = await ann.call('PUT', forwarding(ann.id), body);
    expect(response.statusCode).toBe(status);
    expect(response.json().error).toMatchObject({ code, problems: [expect.objectContaining({ field, code: problemCode })] });
    expect((await ann.call('GET', forwarding(ann.id))).json().mode).toBe('off');
  });

  it('refuse unknown fields and kinds at the schema', async () => {
    const ann = await signedIn();
    expect((await ann.call('PUT', forwarding(ann.id), { mode: 'sometimes' })).json().error.code).toBe('validation-failed');
    expect((await ann.call('PUT', forwarding(ann.id), { mode: 'off', colour: 'red' })).statusCode).toBe(400);
  });

  it('refuse forwarding to oneself, to one’s own work number, and a loop through colleagues', async () => {
    const ann = await signedIn({ phones: { work: '(425) 555-0123' } });
    const bo = await signedIn();
    const self = await ann.call('PUT', forwarding(ann.id), { mode: 'forward-all', forwardTo: { kind: 'user', userId: ann.id } });
    expect(self.statusCode).toBe(409);
    expect(self.json().error).toMatchObject({ code: 'forwarding-loop', problems: [{ field: 'forwardTo.userId', code: 'forwarding-loop' }] });
    const ownNumber = await ann.call('PUT', forwarding(ann.id), { mode: 'forward-all', forwardTo: { kind: 'phone', number: '425-555-0123' } });
    expect(ownNumber.json().error).toMatchObject({ code: 'forwarding-loop', problems: [{ field: 'forwardTo.number' }] });

    expect((await bo.call('PUT', forwarding(bo.id), { mode: 'off', noAnswer: { then: { kind: 'user', userId: ann.id } } })).statusCode).toBe(200);
    const loop = await ann.call('PUT', forwarding(ann.id), { mode: 'forward-all', forwardTo: { kind: 'user', userId: bo.id } });
    expect(loop.statusCode).toBe(409);
    expect(loop.json().error.message).toContain(`${ann.id} → ${bo.id} → ${ann.id}`);
  });

  it('are the user’s own: another user gets 403; an administrator reads and changes anyone’s', async () => {
    const [ann, bo] = [await signedIn(), await signedIn()];
    for (const response of [await bo.call('GET', forwarding(ann.id)), await bo.call('PUT', forwarding(ann.id), { mode: 'off' }), await bo.call('GET', presence(ann.id))]) {
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('forbidden');
    }
    const put = await admin('PUT', forwarding(ann.id), { mode: 'forward-all', forwardTo: { kind: 'user', userId: bo.id } });
    expect(put.statusCode).toBe(200);
    expect((await admin('GET', forwarding(ann.id))).json().forwardTo).toEqual({ kind: 'user', userId: bo.id });
    expect((await admin('GET', forwarding('00000000-0000-4000-8000-000000000002'))).statusCode).toBe(404);
  });

  it('drop a colleague removed from the directory', async () => {
    const [ann, bo, cy] = [await signedIn(), await signedIn(), await signedIn()];
    await ann.call('PUT', forwarding(ann.id), { mode: 'simultaneous-ring', alsoRing: { kind: 'team' }, teamMembers: [bo.id, cy.id] });
    expect((await admin('DELETE', `/api/v1/users/${cy.id}`)).statusCode).toBe(204);
    expect((await ann.call('GET', forwarding(ann.id))).json()).toMatchObject({ mode: 'simultaneous-ring', teamMembers: [bo.id] });
  });
});

describe('presence', () => {
  it('is available until set; Do Not Disturb round-trips, with an end', async () => {
    const ann = await signedIn();
    expect((await ann.call('GET', presence(ann.id))).json()).toEqual({ state: 'available', since: null, until: null });
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const put = await ann.call('PUT', presence(ann.id), { state: 'do-not-disturb', until });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ state: 'do-not-disturb', until });
    expect((await ann.call('GET', presence(ann.id))).json()).toEqual(put.json());
    expect((await admin('PUT', presence(ann.id), { state: 'busy' })).json()).toMatchObject({ state: 'busy', until: null });
  });

  it('refuses an end in the past and an unknown state', async () => {
    const ann = await signedIn();
    const past = await ann.call('PUT', presence(ann.id), { state: 'away', until: '2020-01-01T00:00:00Z' });
    expect(past.statusCode).toBe(400);
    expect(past.json().error).toMatchObject({ code: 'validation-failed', problems: [{ field: 'until' }] });
    expect((await ann.call('PUT', presence(ann.id), { state: 'asleep' })).statusCode).toBe(400);
  });
});

describe('what telephony asks', () => {
  it('plans a call: Do Not Disturb sends outsiders on, lets the Team ring through', async () => {
    const [ann, bo, cy] = [await signedIn(), await signedIn(), await signedIn()];
    await ann.call('PUT', forwarding(ann.id), { mode: 'simultaneous-ring', alsoRing: { kind: 'phone', number: '4255550199' }, noAnswer: { afterSeconds: 18 }, teamMembers: [bo.id] });
    await ann.call('PUT', presence(ann.id), { state: 'do-not-disturb' });
    const { callForwarding } = app.services;
    const contacts = ['sip:ann@10.0.0.5:5060'];
    expect(await callForwarding.planFor(ann.id, cy.id, contacts)).toEqual({ legs: [], ringSeconds: 0, then: { kind: 'voicemail' }, reason: 'do-not-disturb' });
    expect(await callForwarding.planFor(ann.id, bo.id, contacts)).toEqual({
      legs: [{ kind: 'endpoint', contact: contacts[0] }, { kind: 'phone', number: '+14255550199' }],
      ringSeconds: 18,
      then: { kind: 'voicemail' },
      reason: 'simultaneous-ring',
    });
  });

  it('finds the user a dialled extension or work number reaches, not a mobile', async () => {
    const ann = await signedIn({ extension: '4711', phones: { work: '(425) 555-0142', mobile: '(425) 555-0143' } });
    const { callForwarding } = app.services;
    expect((await callForwarding.userForNumber('4711'))?.id).toBe(ann.id);
    expect((await callForwarding.userForNumber('+1 425 555 0142'))?.id).toBe(ann.id);
    expect(await callForwarding.userForNumber('14255550143')).toBeUndefined();
    expect(await callForwarding.userForNumber('9999')).toBeUndefined();
  });
});

describe('SIP device credentials', () => {
  const device = (id: string) => `/api/v1/users/${id}/sip-device`;

  it('are issued to the user with a password shown once, kept only as a digest, and reset with a new password', async () => {
    const ann = await signedIn();
    expect((await ann.call('GET', device(ann.id))).json().error.code).toBe('sip-device-not-found');
    const issued = await ann.call('PUT', device(ann.id));
    expect(issued.statusCode).toBe(200);
    const { username, password } = issued.json();
    expect(issued.json()).toMatchObject({ username: expect.stringMatching(/^cf\d+$/), registrar: 'sip:127.0.0.1:5060', realm: 'parley' });
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect((await ann.call('GET', device(ann.id))).json()).toEqual({ username, registrar: 'sip:127.0.0.1:5060', realm: 'parley' });
    const stored = (await api.pool.query('select ha1 from sip_devices where user_id = $1', [ann.id])).rows[0].ha1;
    expect(stored).toBe(createHash('md5').update(`${username}:parley:${password}`).digest('hex'));
    expect(JSON.stringify((await api.pool.query('select * from sip_devices')).rows)).not.toContain(password);

    const reset = (await ann.call('PUT', device(ann.id))).json();
    expect(reset.username).toBe(username);
    expect(reset.password).not.toBe(password);
  });

  it('take another name when the SIP URI’s is taken, or is numeric; others may not see or change them', async () => {
    const first = await signedIn({ sipUri: 'sip:sam@example.com', email: 'sam@example.com' });
    const second = await signedIn({ sipUri: 'sip:sam@elsewhere.example', email: 'sam@elsewhere.example' });
    const numeric = await signedIn({ sipUri: 'sip:+14255550123@example.com', email: 'numeric@example.com' });
    expect((await first.call('PUT', device(first.id))).json().username).toBe('sam');
    expect((await second.call('PUT', device(second.id))).json().username).toBe(`sam-${second.id.slice(0, 8)}`);
    // A carrier's numeric caller must never be taken for someone's phone.
    expect((await numeric.call('PUT', device(numeric.id))).json().username).toMatch(/^u-[0-9a-f]{12}$/);

    expect((await second.call('GET', device(first.id))).json().error.code).toBe('forbidden');
    expect((await second.call('PUT', device(first.id))).statusCode).toBe(403);
    expect((await admin('GET', device(first.id))).statusCode).toBe(200);
    expect((await first.call('DELETE', device(first.id))).statusCode).toBe(204);
    expect((await first.call('DELETE', device(first.id))).json().error.code).toBe('sip-device-not-found');
    expect((await admin('PUT', device('00000000-0000-4000-8000-000000000000'))).json().error.code).toBe('user-not-found');
  });
});

describe('voicemail', () => {
  it('is listed to its user and administrators only; a message without audio, or someone else’s, is a clear 404', async () => {
    const [ann, bo] = [await signedIn(), await signedIn()];
    const id = '5b0c3c2e-8f4d-4b1a-9c77-0e2f6a1d9b31';
    await api.pool.query(`insert into voicemails (id, user_id, caller_number, caller_name, recording, seconds) values ($1, $2, '+14255550199', 'Cy', 'voicemail-x', 12.4)`, [id, ann.id]);
    const mine = await ann.call('GET', `/api/v1/users/${ann.id}/voicemails`);
    expect(mine.json()).toEqual([{ id, callerNumber: '+14255550199', callerName: 'Cy', seconds: 12.4, createdAt: expect.any(String) }]);
    expect((await bo.call('GET', `/api/v1/users/${ann.id}/voicemails`)).json().error.code).toBe('forbidden');
    expect((await bo.call('DELETE', `/api/v1/users/${ann.id}/voicemails/${id}`)).statusCode).toBe(403);
    expect((await admin('GET', `/api/v1/users/${ann.id}/voicemails`)).json()).toHaveLength(1);
    // This API has no recording directory: the audio is gone.
    expect((await ann.call('GET', `/api/v1/users/${ann.id}/voicemails/${id}/audio`)).json().error.code).toBe('voicemail-not-found');
    expect((await bo.call('GET', `/api/v1/users/${bo.id}/voicemails/${id}/audio`)).json().error.code).toBe('voicemail-not-found');
    expect((await ann.call('DELETE', `/api/v1/users/${ann.id}/voicemails/${id}`)).statusCode).toBe(204);
    expect((await ann.call('GET', `/api/v1/users/${ann.id}/voicemails`)).json()).toEqual([]);
  });
});
