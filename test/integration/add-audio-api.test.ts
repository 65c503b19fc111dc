// "Add audio to a conversation" through the API on real PostgreSQL. The phone side is the fake
// telephony (what the called phones do end to end is proven in test/e2e/add-audio.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from '../../src/adapters/http/app.js';
import { apiOnFreshDatabase, signedInUsers, type TestApi } from '../support/api-app.js';
import { eventually } from '../support/eventually.js';
import { FakeTelephony } from '../support/fake-telephony.js';

const ADMIN = 'add-audio-admin-token-0123';
const telephony = new FakeTelephony();
let api: TestApi;
let app: HttpApp;
const people: Record<string, { id: string; auth: Record<string, string> }> = {};

const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, auth: Record<string, string>, payload?: object) =>
  app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });
const admin = { authorization: `Bearer ${ADMIN}` };

beforeAll(async () => {
  // Invitations expire after 4 s: long enough for the answers the first tests give on a loaded machine
  // (1 s was not, at the start of a full run), short enough to wait for an expiry.
  api = await apiOnFreshDatabase(ADMIN, { telephony, invitationSeconds: 4 });
  ({ app } = api);
  const users = {
    ann: { displayName: 'Ann Lee', phones: { mobile: '+14255550201' } },
    bo: { displayName: 'Bo Chen', phones: { work: '+14255550301' } },
    cy: { displayName: 'Cy Diaz', phones: { work: '+14255550401', mobile: '+14255550402' } },
    di: { displayName: 'Di Wu', phones: {} },
  };
  Object.assign(people, await signedInUsers(app, ADMIN, users));
}, 30_000);
afterAll(async () => {
  await api?.close();
});

const placedTo = (number: string) => telephony.placed.filter((p) => 'phone' in p.request.to && p.request.to.phone === number);

describe('add audio to a conversation', () => {
  it('calls the requester, invites the others, and takes their answers: accept, decline, redirect', async () => {
    const made = await call('POST', '/api/v1/audio-conferences', people.ann!.auth, {
      conversationId: 'im-1',
      callMe: { published: 'mobile' },
      participants: [{ userId: people.bo!.id }, { email: 'cy@example.com' }, { email: 'pat@contoso.example', displayName: 'Pat' }, { phone: '+14255550999' }],
    });
    expect(made.statusCode, made.body).toBe(201);
    const body = made.json();
    expect(body.conference).toMatchObject({ accessType: 'anonymous', leaders: ['ann@example.com'], passcode: expect.stringMatching(/^\d+$/) });
    expect(body.requester).toMatchObject({ displayName: 'Ann Lee', role: 'leader', state: 'inviting' });
    // A number with no name is shown masked to everyone in the meeting, as a caller's is.
    expect(body.called).toMatchObject([{ displayName: '+1 425 •••• 0999', number: null, state: 'inviting' }]);
    expect(placedTo('+14255550201')).toHaveLength(1);
    expect(placedTo('+14255550999')).toHaveLength(1);
    const [bo, cy, pat] = body.invitations;
    expect(bo).toMatchObject({ displayName: 'Bo Chen', state: 'pending', guest: false, conversationId: 'im-1', inviteeUserId: people.bo!.id });
    expect(cy).toMatchObject({ displayName: 'Cy Diaz', state: 'pending' });
    expect(pat).toMatchObject({ displayName: 'Pat', state: 'sent', guest: true, inviteeUserId: null, joinUrl: `http://127.0.0.1:8080/join/${pat.id}` });

    // Each invitee sees theirs; nobody else's.
    expect((await call('GET', '/api/v1/invitations', people.bo!.auth)).json().map((i: { id: string }) => i.id)).toEqual([bo.id]);
    expect((await call('GET', `/api/v1/invitations?userId=${people.bo!.id}`, people.cy!.auth)).json().error.code).toBe('forbidden');
    expect((await call('PUT', `/api/v1/invitations/${bo.id}/response`, people.cy!.auth, { answer: 'decline' })).statusCode).toBe(403);

    // Bo declines: his phone never rings. Cy redirects to a number she types.
    const declined = await call('PUT', `/api/v1/invitations/${bo.id}/response`, people.bo!.auth, { answer: 'decline' });
    expect(declined.json()).toMatchObject({ state: 'declined', participantId: null });
    expect(placedTo('+14255550301')).toHaveLength(0);
    const redirected = await call('PUT', `/api/v1/invitations/${cy.id}/response`, people.cy!.auth, { answer: 'redirect', phone: '(425) 555-0777' });
    expect(redirected.json()).toMatchObject({ state: 'redirected', participantId: expect.any(String) });
    expect(placedTo('+14255550777')).toHaveLength(1);
    expect(placedTo('+14255550401')).toHaveLength(0);
    // Answered once is answered.
    expect((await call('PUT', `/api/v1/invitations/${cy.id}/response`, people.cy!.auth, { answer: 'accept' })).json().error.code).toBe('invitation-answered');

    // The requester answers: they are in as the leader, with no "press 1".
    const annLeg = placedTo('+14255550201')[0]!;
    annLeg.answer();
    const meetingId = body.conference.id;
    await eventually(async () => {
      const roster = (await call('GET', `/api/v1/conferences/${meetingId}/participants`, people.ann!.auth)).json();
      expect(roster.find((p: { displayName: string }) => p.displayName === 'Ann Lee')).toMatchObject({ state: 'connected', role: 'leader' });
    });

    const listed = (await call('GET', `/api/v1/conferences/${meetingId}/invitations`, people.ann!.auth)).json();
    expect(listed.map((i: { state: string }) => i.state)).toEqual(['declined', 'redirected', 'sent']);
    const events = await api.pool.query(`select data from conference_events where conference_id = $1 and type = 'invitation' order by seq`, [meetingId]);
    expect(events.rows.map((r) => r.data.state)).toEqual(['pending', 'pending', 'sent', 'declined', 'redirected', 'redirected']);
    expect(JSON.stringify(events.rows)).not.toContain('pat@contoso.example');

    // The guest's link needs no sign-in and shows how to dial in.
    const join = await app.inject({ method: 'GET', url: `/api/v1/join/${pat.id}` });
    expect(join.json()).toMatchObject({ conferenceId: body.conference.conferenceId, passcode: body.conference.passcode, sipUri: `sip:${body.conference.conferenceId}@127.0.0.1:5060`, organizer: 'Ann Lee', startsAt: null });
    expect((await app.inject({ method: 'GET', url: `/join/${pat.id}` })).headers['content-type']).toContain('text/html');
  });

  it('lets the invitee accept at a published number, and expires an invitation nobody answers', async () => {
    const made = (await call('POST', '/api/v1/audio-conferences', people.ann!.auth, { participants: [{ userId: people.cy!.id }, { userId: people.bo!.id }] })).json();
    const [cy, bo] = made.invitations;
    const accepted = await call('PUT', `/api/v1/invitations/${cy.id}/response`, people.cy!.auth, { answer: 'accept', number: { published: 'mobile' } });
    expect(accepted.json()).toMatchObject({ state: 'accepted' });
    expect(placedTo('+14255550402')).toHaveLength(1);
    // Bo never answers: after the timeout (4 s here) it ends by itself.
    await eventually(async () => expect((await call('GET', `/api/v1/invitations/${bo.id}`, people.bo!.auth)).json().state).toBe('expired'), 10_000);
    expect((await call('PUT', `/api/v1/invitations/${bo.id}/response`, people.bo!.auth, { answer: 'accept' })).json().error.code).toBe('invitation-expired');
    expect(placedTo('+14255550301')).toHaveLength(0);
  }, 15_000);

  it('refuses before anything is made: unknown users, bad numbers, the dial-out policy, no published number', async () => {
    const before = (await api.pool.query('select count(*)::int as n from conferences')).rows[0].n;
    const placed = telephony.placed.length;
    const refusals: Array<[object, number, string]> = [
      [{ participants: [{ userId: '00000000-0000-4000-8000-000000000000' }] }, 404, 'user-not-found'],
      [{ callMe: { phone: '+1 12' }, participants: [] }, 400, 'invalid-phone-number'],
      [{ participants: [{ phone: '+442079460000' }] }, 403, 'dial-out-not-allowed'],
      [{ callMe: { phone: '+19005550100' }, participants: [] }, 403, 'number-blocked'],
      [{ callMe: { published: 'home' }, participants: [] }, 400, 'no-published-number'],
      [{ participants: [{ fax: '+14255550100' }] }, 400, 'validation-failed'],
    ];
    for (const [payload, status, code] of refusals) {
      const response = await call('POST', '/api/v1/audio-conferences', people.ann!.auth, payload);
      expect([response.statusCode, response.json().error?.code], JSON.stringify(payload)).toEqual([status, code]);
    }
    expect((await call('POST', '/api/v1/audio-conferences', people.di!.auth, { participants: [] })).json().error.code).toBe('no-published-number');
    expect((await call('POST', '/api/v1/audio-conferences', admin, { participants: [] })).json().error.code).toBe('validation-failed');
    expect((await api.pool.query('select count(*)::int as n from conferences')).rows[0].n).toBe(before);
    expect(telephony.placed.length).toBe(placed);
  });

  it('withdraws pending invitations and the join link when a leader ends the conference', async () => {
    const made = (await call('POST', '/api/v1/audio-conferences', admin, {
      requesterUserId: people.ann!.id,
      participants: [{ userId: people.bo!.id }, { email: 'lee@elsewhere.example' }],
    })).json();
    const [bo, guest] = made.invitations;
    expect(made.requester.displayName).toBe('Ann Lee');
    // A leader invites more people later; someone still pending keeps the invitation they have.
    const more = await call('POST', `/api/v1/conferences/${made.conference.id}/invitations`, people.ann!.auth, { participants: [{ userId: people.bo!.id }] });
    expect(more.json().invitations.map((i: { id: string }) => i.id)).toEqual([bo.id]);
    expect((await call('POST', `/api/v1/conferences/${made.conference.id}/invitations`, people.bo!.auth, { participants: [{ userId: people.cy!.id }] })).statusCode).toBe(403);

    expect((await call('DELETE', `/api/v1/conferences/${made.conference.id}/participants`, people.ann!.auth)).statusCode).toBe(200);
    expect((await call('GET', `/api/v1/invitations/${bo.id}`, people.bo!.auth)).json().state).toBe('cancelled');
    expect((await call('PUT', `/api/v1/invitations/${bo.id}/response`, people.bo!.auth, { answer: 'accept' })).json().error.code).toBe('invitation-expired');
    expect((await app.inject({ method: 'GET', url: `/api/v1/join/${guest.id}` })).statusCode).toBe(200);
    await call('DELETE', `/api/v1/conferences/${made.conference.id}`, people.ann!.auth);
    expect((await app.inject({ method: 'GET', url: `/api/v1/join/${guest.id}` })).json().error.code).toBe('invitation-not-found');
    expect((await app.inject({ method: 'GET', url: '/api/v1/join/00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
  });

  it('applies a user’s own dial-out scope, which only administrators set', async () => {
    const scope = (userId: string) => `/api/v1/users/${userId}/dial-out`;
    expect((await call('GET', scope(people.ann!.id), people.ann!.auth)).json()).toEqual({ scope: null, effective: 'national' });
    expect((await call('PUT', scope(people.ann!.id), people.ann!.auth, { scope: 'international' })).json().error.code).toBe('forbidden');
    expect((await call('GET', scope(people.ann!.id), people.bo!.auth)).statusCode).toBe(403);

    // No calls at all for Ann: refused before anything is made.
    expect((await call('PUT', scope(people.ann!.id), admin, { scope: 'none' })).json()).toEqual({ scope: 'none', effective: 'none' });
    const refused = await call('POST', '/api/v1/audio-conferences', people.ann!.auth, { participants: [{ phone: '+14255550123' }] });
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'dial-out-not-allowed']);
    // Anywhere for Ann: a number abroad is called.
    await call('PUT', scope(people.ann!.id), admin, { scope: 'international' });
    expect((await call('POST', '/api/v1/audio-conferences', people.ann!.auth, { participants: [{ phone: '+442079460000' }] })).statusCode).toBe(201);
    expect(placedTo('+442079460000')).toHaveLength(1);
    expect((await call('PUT', scope(people.ann!.id), admin, { scope: null })).json()).toEqual({ scope: null, effective: 'national' });
    expect((await call('PUT', scope(people.ann!.id), admin, { scope: 'galactic' })).json().error.code).toBe('validation-failed');
    expect((await call('PUT', scope('00000000-0000-4000-8000-000000000000'), admin, { scope: 'none' })).json().error.code).toBe('user-not-found');
  });
});
