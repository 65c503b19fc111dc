// The live conference API on real PostgreSQL: who may read and act, the ordered event stream with resume,
// the audit log and the call records. (What actions do to real calls is proven end to end.)
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { pgRefusalLog } from '../../src/adapters/pg/refusal-log.js';
import { END_REASONS } from '../../src/domain/participant.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgParticipantStore } from '../../src/adapters/pg/participant-store.js';
import { apiOnFreshDatabase, type TestApi } from '../support/api-app.js';
import { openSse } from '../support/sse.js';

const ADMIN = 'service-token-live-0123456789';
let api: TestApi;
let pool: pg.Pool;
let base: string;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const as = (token: string) => (method: Method, url: string, payload?: unknown) =>
  api.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
const admin = as(ADMIN);

let n = 0;
async function user(name: string) {
  n++;
  const password = 'correct horse battery';
  const created = (await admin('POST', '/api/v1/users', { displayName: name, email: `${name.toLowerCase()}${n}@example.com`, sipUri: `sip:${name.toLowerCase()}${n}@example.com`, region: 'US', password })).json();
  const session = await api.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: created.email, password } });
  return { ...created, token: session.json().token as string, call: as(session.json().token) } as { id: string; email: string; token: string; call: ReturnType<typeof as> };
}

beforeAll(async () => {
  api = await apiOnFreshDatabase(ADMIN, { signInLimit: { max: 1000, timeWindow: '1 minute' } });
  pool = api.pool;
  base = await api.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await api?.close();
});

async function setUp() {
  const [org, lead, guest, stranger] = await Promise.all([user('Org'), user('Lead'), user('Guest'), user('Stranger')]);
  const meeting = (await org.call('POST', '/api/v1/conferences', { subject: 'Live', leaders: [lead.email], invitees: [guest.email] })).json();
  const store = pgParticipantStore(pool);
  const caller = async (fields: { userId?: string; name: string }) => {
    const p = await store.insert({ id: randomUUID(), conferenceId: meeting.id, channelId: `chan-${randomUUID()}`, displayName: fields.name, callerNumber: '+14255550100' });
    if (fields.userId) await store.identify(p.id, { userId: fields.userId, displayName: fields.name, role: 'participant' });
    await store.connect(p.id, { overrideLock: false });
    return p.id;
  };
  return { org, lead, guest, stranger, meeting, store, caller };
}

describe('who may read and act', () => {
  it('leaders act; participants only read their own conference; strangers get 403; every refusal has a stable code', async () => {
    const { org, lead, guest, stranger, meeting, caller } = await setUp();
    const guestLine = await caller({ userId: guest.id, name: 'Guest' });
    const url = `/api/v1/conferences/${meeting.id}`;

    const seen = await guest.call('GET', `${url}/live`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({ access: 'participant', participants: [{ id: guestLine, displayName: 'Guest', state: 'connected' }] });
    expect((await lead.call('GET', `${url}/live`)).json().access).toBe('leader');

    for (const [method, path, body] of [
      ['PATCH', `${url}/participants/${guestLine}`, { muted: true }],
      ['DELETE', `${url}/participants/${guestLine}`],
      ['DELETE', `${url}/participants`],
      ['PATCH', url, { locked: true }],
      ['POST', `${url}/lobby/admit`, {}],
      ['POST', `${url}/lobby/deny`, { participantId: guestLine }],
      ['GET', `${url}/audit`],
      ['GET', `${url}/history`],
      ['PUT', `${url}/recording`],
      ['DELETE', `${url}/recording`],
      ['GET', `${url}/recordings`],
    ] as const) {
      const refused = await guest.call(method, path, body);
      expect(refused.statusCode, `${method} ${path}`).toBe(403);
      expect(refused.json().error.code).toBe('not-a-leader');
    }
    const outsider = await stranger.call('GET', `${url}/participants`);
    expect(outsider.statusCode).toBe(403);
    expect(outsider.json().error.code).toBe('not-in-conference');

    // A leader named on the meeting (not its organiser) locks it; the organiser still may.
    expect((await lead.call('PATCH', url, { locked: true })).json()).toMatchObject({ locked: true });
    expect((await org.call('PATCH', url, { locked: false })).json()).toMatchObject({ locked: false });
  });

  it('a leader promotes a participant, who may then act and is a leader again on their next call; the audit log says who did it', async () => {
    const { lead, guest, meeting, caller } = await setUp();
    const guestLine = await caller({ userId: guest.id, name: 'Guest' });
    const url = `/api/v1/conferences/${meeting.id}`;

    const promoted = await lead.call('PATCH', `${url}/participants/${guestLine}`, { role: 'leader' });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json()).toMatchObject({ role: 'leader' });
    expect((await guest.call('GET', `${url}/live`)).json().access).toBe('leader');
    const { rows } = await pool.query('select promoted_user_ids from conferences where id = $1', [meeting.id]);
    expect(rows[0].promoted_user_ids).toEqual([guest.id]);

    expect((await guest.call('PATCH', `${url}/participants/${guestLine}`, { role: 'participant' })).json()).toMatchObject({ role: 'participant' });
    const audit = (await lead.call('GET', `${url}/audit`)).json();
    expect(audit.map((e: { actor: string; action: string }) => [e.actor, e.action])).toEqual([
      [lead.email, 'promote'],
      [guest.email, 'demote'],
    ]);
  });

  it('acting on a participant who left, or who never was, is a clear 409 or 404, never a 5xx', async () => {
    const { lead, meeting, caller, store } = await setUp();
    const url = `/api/v1/conferences/${meeting.id}`;
    const gone = await caller({ name: 'Gone' });
    await store.setState(gone, 'disconnected', 'hangup');
    for (const [method, body] of [['PATCH', { muted: true }], ['PATCH', { role: 'leader' }], ['DELETE', undefined]] as const) {
      const response = await lead.call(method, `${url}/participants/${gone}`, body);
      expect(response.statusCode, `${method} ${JSON.stringify(body)}`).toBe(409);
      expect(response.json().error.code).toBe('participant-not-connected');
    }
    expect((await lead.call('DELETE', `${url}/recording`)).json().error.code).toBe('recording-not-running');
    const noAudio = await lead.call('GET', `${url}/recordings/${randomUUID()}/audio`);
    expect([noAudio.statusCode, noAudio.json().error.code]).toEqual([404, 'recording-not-found']);
    const unknown = await lead.call('PATCH', `${url}/participants/${randomUUID()}`, { muted: true });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('participant-not-found');
    expect((await lead.call('PATCH', `${url}/participants/${gone}`, {})).statusCode).toBe(400);
    // Turning away someone who is not waiting in the lobby (gone, or never there): 409, and a bad body 400.
    for (const participantId of [gone, randomUUID()]) {
      const denied = await lead.call('POST', `${url}/lobby/deny`, { participantId });
      expect([denied.statusCode, denied.json().error.code]).toEqual([409, 'participant-not-waiting']);
    }
    expect((await lead.call('POST', `${url}/lobby/deny`, {})).statusCode).toBe(400);
  });
});

describe('the event stream', () => {
  it('starts with a snapshot, carries every change in order, and resumes after Last-Event-ID without a gap', async () => {
    const { lead, meeting, caller, store } = await setUp();
    const url = `${base}/api/v1/conferences/${meeting.id}/events`;
    const first = await caller({ name: 'Ann' });

    const stream = await openSse(url, lead.token);
    expect(stream.status).toBe(200);
    const snapshot = await stream.next();
    expect(snapshot.event).toBe('snapshot');
    expect(snapshot.data.participants).toMatchObject([{ id: first, state: 'connected' }]);
    const start = Number(snapshot.id);

    await store.setTalking([{ id: first, talking: true }]);
    const talking = await stream.until((e) => e.event === 'participant');
    expect(talking.at(-1)!.data).toMatchObject({ seq: start + 1, participant: { id: first, talking: true } });
    stream.close();

    // While the client is away: a second caller arrives, the first stops talking, the meeting is locked.
    const second = await caller({ name: 'Bo' });
    await store.setTalking([{ id: first, talking: false }]);
    expect((await lead.call('PATCH', `/api/v1/conferences/${meeting.id}`, { locked: true })).statusCode).toBe(200);

    const resumed = await openSse(url, lead.token, String(start + 1));
    const missed = await resumed.until((e) => e.event === 'conference' && e.data.conference.locked === true);
    expect(missed.map((e) => e.event)).not.toContain('snapshot');
    expect(missed.map((e) => Number(e.id))).toEqual(missed.map((_, i) => start + 2 + i));
    expect(missed.filter((e) => e.event === 'participant').map((e) => [e.data.participant.id, e.data.participant.state, e.data.participant.talking])).toEqual([
      [second, 'connecting', false],
      [second, 'connected', false],
      [first, 'connected', false],
    ]);
    resumed.close();
  });

  it('sends a fresh snapshot when the events asked for were purged', async () => {
    const { lead, meeting, caller, store } = await setUp();
    const ann = await caller({ name: 'Ann' });
    await store.setTalking([{ id: ann, talking: true }]);
    await pool.query('delete from conference_events where conference_id = $1', [meeting.id]);
    const stream = await openSse(`${base}/api/v1/conferences/${meeting.id}/events`, lead.token, '1');
    const first = await stream.next();
    expect(first.event).toBe('snapshot');
    expect(first.data.participants).toMatchObject([{ id: ann, talking: true }]);
    stream.close();
  });
});

describe('call records', () => {
  it('records each gathering with its peak, and each caller with how they got in and how the call ended', async () => {
    const { lead, guest, meeting, caller, store } = await setUp();
    const ann = await caller({ name: 'Ann' });
    const bo = await caller({ userId: guest.id, name: 'Guest' });
    await store.annotate(ann, { authMethod: 'passcode', language: 'fr-CA' });
    await store.setState(bo, 'disconnected', 'ejected');
    await store.setState(ann, 'disconnected', 'hangup');

    const history = (await lead.call('GET', `/api/v1/conferences/${meeting.id}/history`)).json();
    expect(history.sessions).toMatchObject([{ peakParticipants: 2, endedBy: 'last-left' }]);
    expect(history.sessions[0].endedAt).not.toBeNull();
    expect(history.participants).toMatchObject([
      { id: ann, authMethod: 'passcode', language: 'fr-CA', endReason: 'hangup' },
      { id: bo, authMethod: 'pin', endReason: 'ejected' },
    ]);
    expect(history.participants[0].durationSeconds).toBeGreaterThanOrEqual(0);
    expect(history.refused).toEqual([]);
  });

  it('lists callers turned away before the roster, newest first, with the number masked; every end reason is storable', async () => {
    const { lead, meeting, caller, store } = await setUp();
    const refusals = pgRefusalLog(pool);
    await refusals.record({ conferenceId: meeting.id, at: new Date('2026-12-01T17:02:00Z'), caller: '+1206555••••', reason: 'wrong-passcode', language: 'en-US' });
    await refusals.record({ conferenceId: meeting.id, at: new Date('2026-12-01T17:05:00Z'), caller: 'Caller', reason: 'sign-in-failed', language: null });
    const history = (await lead.call('GET', `/api/v1/conferences/${meeting.id}/history`)).json();
    expect(history.refused).toEqual([
      { at: '2026-12-01T17:05:00.000Z', caller: 'Caller', reason: 'sign-in-failed', language: null },
      { at: '2026-12-01T17:02:00.000Z', caller: '+1206555••••', reason: 'wrong-passcode', language: 'en-US' },
    ]);
    for (const reason of END_REASONS) {
      const id = await caller({ name: reason });
      expect((await store.disconnect(id, reason))?.participant.endReason).toBe(reason);
    }
    await expect(pool.query(`update participants set end_reason = 'vanished' where conference_id = $1`, [meeting.id])).rejects.toThrow(/end_reason_check/);
  });
});
