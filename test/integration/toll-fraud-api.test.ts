// Toll fraud through the API on real PostgreSQL: every number parley may call passes one dial-out
// guard when it is saved (forwarding) or asked for (dial-out, add-audio), blocked number types are
// refused in every region, and the dial-out limits are counted in the database. The phone side is the
// fake telephony; the refusal at call time on the real Asterisk is in test/e2e/toll-fraud.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from '../../src/adapters/http/app.js';
import { ringUser } from '../../src/calls/ring-user.js';
import { createServices } from '../../src/services.js';
import { apiOnFreshDatabase, silentLog, TEST_HASH_COST, type TestApi } from '../support/api-app.js';
import { FakeTelephony } from '../support/fake-telephony.js';
import { eventually } from '../support/eventually.js';

const ADMIN = 'toll-fraud-admin-token-0123';
const telephony = new FakeTelephony();
const LIMITS = { userPerMinute: 3, userAtOnce: 50, perMinute: 50, atOnce: 50 };
let api: TestApi;
let app: HttpApp;

type Method = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
const as = (token: string) => (method: Method, url: string, payload?: object) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
const admin = as(ADMIN);

let seq = 0;
async function signedIn(fields: object = {}) {
  seq++;
  const password = 'correct horse battery';
  const created = await admin('POST', '/api/v1/users', {
    displayName: `Toll ${seq}`,
    email: `toll${seq}@example.com`,
    sipUri: `sip:toll${seq}@example.com`,
    region: 'US',
    password,
    ...fields,
  });
  expect(created.statusCode, created.body).toBe(201);
  const session = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: `toll${seq}@example.com`, password } });
  return { id: created.json().id as string, call: as(session.json().token) };
}
const forwarding = (id: string) => `/api/v1/users/${id}/call-forwarding`;

beforeAll(async () => {
  api = await apiOnFreshDatabase(ADMIN, { telephony, dialOutLimits: LIMITS, signInLimit: { max: 1000, timeWindow: '1 minute' } });
  ({ app } = api);
}, 30_000);
afterAll(async () => {
  await api?.close();
});

describe('forwarding is judged as a dial-out when it is saved', () => {
  it.each([
    ['a UK premium-rate number (+44 909)', { mode: 'forward-all', forwardTo: { kind: 'phone', number: '+44 909 090 1234' } }, 'forwardTo.number'],
    ['a US premium-rate number (+1 900)', { mode: 'forward-all', forwardTo: { kind: 'phone', number: '+1 900 555 0123' } }, 'forwardTo.number'],
    ['a French premium-rate number (+33 89)', { mode: 'simultaneous-ring', alsoRing: { kind: 'phone', number: '+33 8 91 00 00 00' } }, 'alsoRing.number'],
    ['a satellite number (+881)', { mode: 'off', noAnswer: { then: { kind: 'phone', number: '+881631234567' } } }, 'noAnswer.then.number'],
    ['an Inmarsat number (+870)', { mode: 'forward-all', forwardTo: { kind: 'phone', number: '+870773123456' } }, 'forwardTo.number'],
  ])('refuses %s even for a user who may call anywhere (403 number-blocked)', async (_name, settings, field) => {
    const ann = await signedIn();
    expect((await admin('PUT', `/api/v1/users/${ann.id}/dial-out`, { scope: 'international' })).statusCode).toBe(200);
    const response = await ann.call('PUT', forwarding(ann.id), settings);
    expect(response.statusCode, response.body).toBe(403);
    expect(response.json().error).toMatchObject({ code: 'number-blocked', problems: [{ field, code: 'number-blocked' }] });
    expect((await ann.call('GET', forwarding(ann.id))).json()).toMatchObject({ mode: 'off', noAnswer: { then: { kind: 'voicemail' } } });
  });

  it("applies the user's own dial-out scope, also when an administrator saves it for them", async () => {
    const bo = await signedIn();
    const abroad = { mode: 'forward-all', forwardTo: { kind: 'phone', number: '+44 20 7946 0018' } };
    const refused = await bo.call('PUT', forwarding(bo.id), abroad);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'dial-out-not-allowed', problems: [{ field: 'forwardTo.number' }] });
    expect((await admin('PUT', forwarding(bo.id), abroad)).statusCode).toBe(403);
    // At home it is fine; a user kept to the directory may not forward to a stranger at all.
    expect((await bo.call('PUT', forwarding(bo.id), { mode: 'forward-all', forwardTo: { kind: 'phone', number: '+1 425 555 0177' } })).statusCode).toBe(200);
    await admin('PUT', `/api/v1/users/${bo.id}/dial-out`, { scope: 'internal' });
    const internal = await bo.call('PUT', forwarding(bo.id), { mode: 'simultaneous-ring', alsoRing: { kind: 'phone', number: '+1 425 555 0177' } });
    expect(internal.json().error.code).toBe('dial-out-not-allowed');
  });

  it('blocks the types the policy lists: an administrator may allow premium rate again', async () => {
    const cy = await signedIn();
    await admin('PUT', `/api/v1/users/${cy.id}/dial-out`, { scope: 'international' });
    const policy = (await admin('GET', '/api/v1/policies')).json().dialOut;
    expect(policy.blockedTypes).toEqual(['premium-rate', 'shared-cost', 'satellite']);
    const premium = { mode: 'forward-all', forwardTo: { kind: 'phone', number: '+44 909 090 1234' } };
    expect((await cy.call('PUT', forwarding(cy.id), premium)).statusCode).toBe(403);
    expect((await admin('PATCH', '/api/v1/policies', { dialOut: { blockedTypes: ['shared-cost', 'satellite'] } })).statusCode).toBe(200);
    try {
      expect((await cy.call('PUT', forwarding(cy.id), premium)).statusCode).toBe(200);
    } finally {
      await admin('PATCH', '/api/v1/policies', { dialOut: { blockedTypes: policy.blockedTypes } });
    }
    expect((await admin('PATCH', '/api/v1/policies', { dialOut: { blockedTypes: ['expensive'] } })).statusCode).toBe(400);
  });
});

describe('an existing rule is judged again when a call comes in', () => {
  it('never places a forwarded leg to a premium number saved before the policy (written straight into the table)', async () => {
    const di = await signedIn({ phones: { work: '+14255550611' } });
    await api.pool.query('insert into call_forwarding (user_id, settings) values ($1, $2)', [
      di.id,
      JSON.stringify({ mode: 'forward-all', forwardTo: { kind: 'phone', number: '+19005550123' }, noAnswer: { afterSeconds: 20, then: { kind: 'none' } }, teamMembers: [], delegates: [] }),
    ]);
    const services = createServices({ pool: api.pool, telephony, log: silentLog, serviceToken: ADMIN, hashCost: TEST_HASH_COST, dialOutLimits: LIMITS });
    const user = (await services.callForwarding.userById(di.id))!;
    const caller = telephony.newCall({ dialed: '14255550611', caller: { number: '+15035550100' } });
    const deps = {
      telephony,
      calls: services.userCalls,
      registrar: { contacts: async () => [] },
      forwarding: services.callForwarding,
      devices: services.sipDevices,
      guard: services.dialOutGuard,
      forwardRingSeconds: 5,
      log: silentLog,
    };
    const before = telephony.placed.length;
    await ringUser(caller, user, deps);
    expect(telephony.placed.length).toBe(before);
    expect(caller.hungUp).toBeTruthy();
    const refusals = await api.pool.query('select number, purpose, code from dial_out_refusals where user_id = $1', [di.id]);
    expect(refusals.rows).toEqual([{ number: '+19005550123', purpose: 'forward', code: 'number-blocked' }]);
  });
});

describe('dial-out', () => {
  it('refuses premium and satellite numbers to leaders (403 number-blocked), and stops a flood with 429 dial-out-limit', async () => {
    const ed = await signedIn({ phones: { mobile: '+14255550622' } });
    await admin('PUT', `/api/v1/users/${ed.id}/dial-out`, { scope: 'international' });
    const made = await ed.call('POST', '/api/v1/audio-conferences', { callMe: { published: 'mobile' }, participants: [] });
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().conference.id as string;
    const invite = (phone: string) => ed.call('POST', `/api/v1/conferences/${id}/participants`, { phone });
    for (const phone of ['+449090901234', '+881631234567', '+19005550123']) {
      const refused = await invite(phone);
      expect(refused.statusCode, `${phone} ${refused.body}`).toBe(403);
      expect(refused.json().error.code).toBe('number-blocked');
    }
    // The call to Ed counted; three a minute for one user.
    expect((await invite('+14255550701')).statusCode).toBe(201);
    expect((await invite('+14255550702')).statusCode).toBe(201);
    const flood = await invite('+14255550703');
    expect(flood.statusCode, flood.body).toBe(429);
    expect(flood.json().error.code).toBe('dial-out-limit');
    const placed = telephony.placed.filter((p) => 'phone' in p.request.to && p.request.to.phone.startsWith('+1425555070'));
    expect(placed.map((p) => ('phone' in p.request.to ? p.request.to.phone : ''))).toEqual(['+14255550701', '+14255550702']);
    const counted = await api.pool.query<{ n: string }>('select count(*) as n from dial_out_legs where user_id = $1', [ed.id]);
    expect(Number(counted.rows[0]!.n)).toBe(3);
    // Another user is not held by Ed's limit.
    const fay = await signedIn();
    const theirs = await fay.call('POST', '/api/v1/audio-conferences', { callMe: { phone: '+1 425 555 0633' }, participants: [] });
    expect(theirs.statusCode, theirs.body).toBe(201);
  });

  it('counts a call as up until it ends', async () => {
    const gus = await signedIn();
    const made = await gus.call('POST', '/api/v1/audio-conferences', { callMe: { phone: '+1 425 555 0644' }, participants: [] });
    expect(made.statusCode, made.body).toBe(201);
    const leg = telephony.placed.at(-1)!;
    const open = () => api.pool.query('select ended_at from dial_out_legs where id = $1', [leg.request.id]);
    expect((await open()).rows[0].ended_at).toBeNull();
    leg.fail('busy');
    await eventually(async () => expect((await open()).rows[0].ended_at).not.toBeNull());
  });
});
