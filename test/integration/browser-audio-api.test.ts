// "Join audio from this browser" through the API on real PostgreSQL: who gets one-time SIP credentials
// for which conference, and clear refusals for everyone else. The call itself: test/e2e/browser-audio*.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from '../../src/adapters/http/app.js';
import { apiOnFreshDatabase, signedInUsers, type TestApi } from '../support/api-app.js';
import { FakeTelephony } from '../support/fake-telephony.js';

const ADMIN = 'browser-audio-admin-token-0123';
let api: TestApi;
let app: HttpApp;
const people: Record<string, { id: string; auth: Record<string, string> }> = {};
const admin = { authorization: `Bearer ${ADMIN}` };
const call = (method: 'GET' | 'POST', url: string, auth: Record<string, string>, payload?: object) =>
  app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });

beforeAll(async () => {
  // Add audio calls the requester: a telephony that is up, so the guest's invitation is made.
  api = await apiOnFreshDatabase(ADMIN, { telephony: new FakeTelephony() });
  ({ app } = api);
  const mobile = { phones: { mobile: '+14255550201' } };
  Object.assign(people, await signedInUsers(app, ADMIN, { ann: mobile, bo: mobile, stranger: mobile }));
}, 30_000);
afterAll(async () => {
  await api?.close();
});

describe('browser audio credentials', () => {
  it('gives a leader and an invitee their own one-time credentials, eight at once all different; refuses strangers and the service token', async () => {
    const meeting = (await call('POST', '/api/v1/conferences', people.ann!.auth, { subject: 'Browser', invitees: ['bo@example.com'] })).json();
    const url = `/api/v1/conferences/${meeting.id}/browser-audio`;
    const grants = await Promise.all(Array.from({ length: 8 }, (_, i) => call('POST', url, (i % 2 ? people.bo : people.ann)!.auth)));
    for (const grant of grants) expect(grant.statusCode, grant.body).toBe(201);
    const bodies = grants.map((g) => g.json());
    expect(new Set(bodies.map((b) => b.username)).size).toBe(8);
    expect(new Set(bodies.map((b) => b.password)).size).toBe(8);
    expect(bodies[0]).toMatchObject({ sipUri: `sip:${meeting.conferenceId}@127.0.0.1:5060`, websocketPath: '/sip-ws', displayName: 'ann' });
    expect(grants[0]!.headers['cache-control']).toBe('no-store');

    const stranger = await call('POST', url, people.stranger!.auth);
    expect([stranger.statusCode, stranger.json().error.code]).toEqual([403, 'not-in-conference']);
    const service = await call('POST', url, admin);
    expect([service.statusCode, service.json().error.code]).toEqual([403, 'forbidden']);
    expect((await call('POST', url, {})).statusCode).toBe(401);
    expect((await call('POST', '/api/v1/conferences/00000000000000000000000000000000/browser-audio', people.ann!.auth)).statusCode).toBe(404);
  });

  it('gives a guest on a join page credentials under the name typed; an empty name, no body or a dead link get a clear 4xx', async () => {
    const made = await call('POST', '/api/v1/audio-conferences', people.ann!.auth, { callMe: { published: 'mobile' }, participants: [{ email: 'pat@contoso.example', displayName: 'Pat' }] });
    expect(made.statusCode, made.body).toBe(201);
    const invitation = made.json().invitations[0].id as string;
    const url = `/api/v1/join/${invitation}/browser-audio`;
    const ok = await call('POST', url, {}, { displayName: '  Pat   from Contoso ' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ displayName: 'Pat from Contoso', websocketPath: '/sip-ws' });

    const blank = await call('POST', url, {}, { displayName: '   ' });
    expect([blank.statusCode, blank.json().error.code]).toEqual([400, 'validation-failed']);
    expect((await call('POST', url, {}, {})).statusCode).toBe(400);
    expect((await call('POST', url, {}, { displayName: 'x'.repeat(61) })).statusCode).toBe(400);
    const dead = await call('POST', '/api/v1/join/00000000-0000-4000-8000-000000000000/browser-audio', {}, { displayName: 'Pat' });
    expect([dead.statusCode, dead.json().error.code]).toEqual([404, 'invitation-not-found']);
  });
});
