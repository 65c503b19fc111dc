// An open event stream is no pass: it ends when its session ends or its user leaves the meeting, and one
// user cannot hold streams without bound. Real PostgreSQL, the real API listening on a port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOnFreshDatabase, type TestApi } from '../support/api-app.js';
import { openSse, type SseStream } from '../support/sse.js';

const ADMIN = 'service-token-streams-0123456789';
const RECHECK_MS = 300;
/** The stream must end within this after access is gone: the re-check period plus slack for a busy machine. */
const CLOSE_WITHIN_MS = 3000;
let api: TestApi;
let base: string;

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const as = (token: string) => (method: Method, url: string, payload?: unknown) =>
  api.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });

let n = 0;
async function user(name: string) {
  n++;
  const password = 'correct horse battery';
  const created = (await as(ADMIN)('POST', '/api/v1/users', { displayName: name, email: `${name.toLowerCase()}${n}@example.com`, sipUri: `sip:${name.toLowerCase()}${n}@example.com`, region: 'US', password })).json();
  const session = await api.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: created.email, password } });
  return { id: created.id as string, email: created.email as string, token: session.json().token as string, call: as(session.json().token) };
}

async function meetingWith(invitees: string[]) {
  const org = await user('Org');
  const meeting = (await org.call('POST', '/api/v1/conferences', { subject: 'Streams', invitees })).json();
  return { org, meeting, url: `${base}/api/v1/conferences/${meeting.id}/events` };
}

/** Resolves true if the server ended the stream within `ms`. */
async function endsWithin(stream: SseStream, ms: number): Promise<boolean> {
  return Promise.race([stream.closed.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);
}

beforeAll(async () => {
  api = await apiOnFreshDatabase(ADMIN, { signInLimit: { max: 1000, timeWindow: '1 minute' }, streams: { maxPerUser: 3, recheckMs: RECHECK_MS } });
  base = await api.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await api?.close();
});

describe('an open event stream follows access', () => {
  it('ends soon after its session signs out', async () => {
    const guest = await user('Guest');
    const { url } = await meetingWith([guest.email]);
    const stream = await openSse(url, guest.token);
    expect(stream.status).toBe(200);
    expect((await stream.next()).event).toBe('snapshot');
    expect(await endsWithin(stream, RECHECK_MS * 3)).toBe(false);

    expect((await guest.call('DELETE', '/api/v1/sessions/current')).statusCode).toBe(204);
    const started = Date.now();
    expect(await endsWithin(stream, CLOSE_WITHIN_MS)).toBe(true);
    expect(Date.now() - started).toBeLessThan(CLOSE_WITHIN_MS);
    expect(await stream.next(100)).toMatchObject({ event: 'revoked', data: { code: 'access-revoked' } });
    stream.close();
  });

  it('ends when its session expires', async () => {
    const guest = await user('Guest');
    const { url } = await meetingWith([guest.email]);
    const stream = await openSse(url, guest.token);
    expect((await stream.next()).event).toBe('snapshot');
    await api.pool.query(`update api_tokens set expires_at = now() - interval '1 second' where user_id = $1`, [guest.id]);
    expect(await endsWithin(stream, CLOSE_WITHIN_MS)).toBe(true);
    stream.close();
  });

  it('ends when the organiser removes the user from the meeting; a leader watching it keeps theirs', async () => {
    const [guest, other] = await Promise.all([user('Guest'), user('Other')]);
    const { org, meeting, url } = await meetingWith([guest.email, other.email]);
    const guestStream = await openSse(url, guest.token);
    const orgStream = await openSse(url, org.token);
    expect((await guestStream.next()).event).toBe('snapshot');
    expect((await orgStream.next()).event).toBe('snapshot');

    const changed = await org.call('PATCH', `/api/v1/conferences/${meeting.id}`, { invitees: [other.email] });
    expect(changed.statusCode).toBe(200);
    expect(await endsWithin(guestStream, CLOSE_WITHIN_MS)).toBe(true);
    // The organiser's stream goes on delivering.
    await org.call('PATCH', `/api/v1/conferences/${meeting.id}`, { locked: true });
    await orgStream.until((e) => e.event === 'conference' && e.data.conference.locked === true);
    expect(await endsWithin(orgStream, 0)).toBe(false);
    guestStream.close();
    orgStream.close();
  });

  it('a user may hold only so many streams at once: the next one is 429 too-many-streams until one closes', async () => {
    const guest = await user('Guest');
    const { url } = await meetingWith([guest.email]);
    const open = await Promise.all([1, 2, 3].map(() => openSse(url, guest.token)));
    expect(open.map((s) => s.status)).toEqual([200, 200, 200]);
    await Promise.all(open.map((s) => s.next()));

    const refused = await fetch(url, { headers: { authorization: `Bearer ${guest.token}` } });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('too-many-streams');
    // Another user is not counted against this one.
    const other = await user('Other');
    const theirs = await meetingWith([other.email]);
    const otherStream = await openSse(theirs.url, other.token);
    expect(otherStream.status).toBe(200);
    otherStream.close();

    open[0]!.close();
    await open[0]!.closed;
    let again: SseStream & { status: number } | undefined;
    for (let i = 0; i < 50; i++) {
      again = await openSse(url, guest.token);
      if (again.status === 200) break;
      again.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(again!.status).toBe(200);
    for (const s of [...open, again!]) s.close();
  });
});
