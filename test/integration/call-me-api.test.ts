// "Call me" through the API on real PostgreSQL: parley dials a leader's own number and joins them as
// leader. The phone side is the fake telephony; a real call is proven in test/e2e/panel.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from '../../src/adapters/http/app.js';
import { apiOnFreshDatabase, signedInUsers, type TestApi } from '../support/api-app.js';
import { FakeTelephony } from '../support/fake-telephony.js';

const ADMIN = 'call-me-admin-token-0123456';
const telephony = new FakeTelephony();
let api: TestApi;
let app: HttpApp;
const people: Record<string, { id: string; auth: Record<string, string> }> = {};
const admin = { authorization: `Bearer ${ADMIN}` };
const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH', url: string, auth: Record<string, string>, payload?: object) =>
  app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });

beforeAll(async () => {
  api = await apiOnFreshDatabase(ADMIN, { telephony });
  ({ app } = api);
  const users = {
    ann: { displayName: 'Ann Lee', phones: { work: '+14255550211', mobile: '+14255550212' } },
    bo: { displayName: 'Bo Chen', phones: {} },
    cy: { displayName: 'Cy Diaz', phones: { mobile: '+19005550123' } },
    di: { displayName: 'Di Wu', phones: { mobile: '+14255550411' } },
    fay: { displayName: 'Fay Ng', phones: { mobile: '+14255550413' } },
  };
  Object.assign(people, await signedInUsers(app, ADMIN, users));
}, 30_000);
afterAll(async () => {
  await api?.close();
});

const placedTo = (number: string) => telephony.placed.filter((p) => 'phone' in p.request.to && p.request.to.phone === number);

describe('Call me', () => {
  it("dials a leader's own number (mobile first, or the one named) and puts them on the roster as leader; never twice at once", async () => {
    const made = await call('POST', '/api/v1/conferences', admin, { subject: 'Call me', passcode: '24680', leaders: ['ann@example.com', 'bo@example.com', 'cy@example.com'], invitees: ['di@example.com'] });
    expect(made.statusCode, made.body).toBe(201);
    const url = `/api/v1/conferences/${made.json().id}`;

    const calling = await call('POST', `${url}/call-me`, people.ann!.auth, {});
    expect(calling.statusCode, calling.body).toBe(201);
    expect(calling.json()).toMatchObject({ displayName: 'Ann Lee', role: 'leader', state: 'inviting', via: 'dial-out' });
    expect(placedTo('+14255550212')).toHaveLength(1);
    expect(placedTo('+14255550211')).toHaveLength(0);

    // Already being called: a second press places nothing.
    const again = await call('POST', `${url}/call-me`, people.ann!.auth, { phone: 'work' });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'already-on-call']);
    expect(placedTo('+14255550211')).toHaveLength(0);

    // No number in the directory; a premium-rate number the policy blocks; not a leader; not a user.
    const none = await call('POST', `${url}/call-me`, people.bo!.auth, {});
    expect([none.statusCode, none.json().error.code]).toEqual([409, 'no-phone-number']);
    const blocked = await call('POST', `${url}/call-me`, people.cy!.auth, {});
    expect(blocked.statusCode).toBe(403);
    expect(placedTo('+19005550123')).toHaveLength(0);
    const participant = await call('POST', `${url}/call-me`, people.di!.auth, {});
    expect([participant.statusCode, participant.json().error.code]).toEqual([403, 'not-a-leader']);
    const service = await call('POST', `${url}/call-me`, admin, {});
    expect([service.statusCode, service.json().error.code]).toEqual([403, 'forbidden']);
    const bad = await call('POST', `${url}/call-me`, people.ann!.auth, { phone: 'pager' });
    expect(bad.statusCode).toBe(400);

    const audit = (await call('GET', `${url}/audit`, people.ann!.auth)).json() as Array<{ actor: string; action: string }>;
    expect(audit.map((e) => `${e.actor} ${e.action}`)).toEqual(['ann@example.com dial-out']);
  });

  it('places one call when a leader presses Call me in eight tabs at once', async () => {
    const made = await call('POST', '/api/v1/conferences', admin, { subject: 'Call me at once', passcode: '24681', leaders: ['fay@example.com'] });
    const url = `/api/v1/conferences/${made.json().id}`;
    const presses = await Promise.all(Array.from({ length: 8 }, () => call('POST', `${url}/call-me`, people.fay!.auth, {})));
    const outcomes = presses.map((r) => (r.statusCode === 201 ? 201 : `${r.statusCode} ${r.json().error.code}`));
    expect(outcomes.filter((o) => o === 201)).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 201)).toEqual(Array(7).fill('409 already-on-call'));
    expect(placedTo('+14255550413')).toHaveLength(1);
    const roster = (await call('GET', `${url}/participants`, people.fay!.auth)).json() as Array<{ userId?: string }>;
    expect(roster).toHaveLength(1);
  });
});
