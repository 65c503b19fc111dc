import ical, { type VEvent } from 'node-ical';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from '../../src/adapters/http/app.js';
import { apiOnFreshDatabase, type TestApi } from '../support/api-app.js';

const ADMIN = 'meetings-admin-token-0123';

let pool: pg.Pool;
let app: HttpApp;

let api: TestApi;

beforeAll(async () => {
  api = await apiOnFreshDatabase(ADMIN, { publicUrl: 'https://meet.example.com' });
  ({ pool, app } = api);
});

afterAll(async () => {
  await api?.close();
});

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const as = (token: string) => (method: Method, url: string, payload?: unknown) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
const admin = as(ADMIN);

let seq = 0;
async function organizer() {
  seq++;
  const password = 'correct horse battery';
  const user = (await admin('POST', '/api/v1/users', { displayName: `Org ${seq}`, email: `org${seq}@example.com`, sipUri: `sip:org${seq}@example.com`, region: 'US', password })).json();
  const token = (await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: user.email, password } })).json().token;
  return { user, call: as(token) };
}

const inDays = (days: number, hour = 17) => {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
};

function onlyEvent(ics: string): VEvent {
  const events = Object.values(ical.sync.parseICS(ics)).filter((c): c is VEvent => c?.type === 'VEVENT');
  expect(events).toHaveLength(1);
  return events[0]!;
}

describe('scheduling a meeting', () => {
  it('uses a new conference ID by default and the organiser’s personal one on request', async () => {
    const { user, call } = await organizer();
    const fresh = (await call('POST', '/api/v1/conferences', { subject: 'New ID', startsAt: inDays(1), endsAt: inDays(1, 18) })).json();
    expect(fresh).toMatchObject({ usesPersonalId: false, sequence: 0 });
    expect(fresh.conferenceId).not.toBe(user.assignedConferenceId);

    const personal = await call('POST', '/api/v1/conferences', { subject: 'Mine', conferenceId: 'personal', startsAt: inDays(2), endsAt: inDays(2, 18) });
    expect(personal.statusCode).toBe(201);
    expect(personal.json()).toMatchObject({ usesPersonalId: true, conferenceId: user.assignedConferenceId });
    expect(personal.json().joinWindow.opensAt).toBe(new Date(Date.parse(inDays(2)) - 15 * 60_000).toISOString());
    expect(personal.json().joinWindow.expiresAt).toBe(new Date(Date.parse(inDays(2, 18)) + 60 * 60_000).toISOString());
  });

  it('refuses a personal meeting that overlaps another one, and allows it at another time', async () => {
    const { call } = await organizer();
    const first = { subject: 'A', conferenceId: 'personal', startsAt: inDays(3), endsAt: inDays(3, 18) };
    expect((await call('POST', '/api/v1/conferences', first)).statusCode).toBe(201);
    const clash = await call('POST', '/api/v1/conferences', { ...first, subject: 'B', startsAt: inDays(3, 18) , endsAt: inDays(3, 19) });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.code).toBe('overlapping-personal-meeting');
    const weekly = await call('POST', '/api/v1/conferences', { ...first, subject: 'C', startsAt: inDays(1, 9), endsAt: inDays(1, 10), recurrence: 'FREQ=DAILY;COUNT=5' });
    expect(weekly.statusCode).toBe(201);
    expect(weekly.json().conferenceId).toBe((await call('GET', '/api/v1/conferences/' + weekly.json().id)).json().conferenceId);
    const later = await call('POST', '/api/v1/conferences', { ...first, subject: 'D', startsAt: inDays(9), endsAt: inDays(9, 18) });
    expect(later.statusCode).toBe(201);
    // A service-token meeting cannot use a personal ID.
    expect((await admin('POST', '/api/v1/conferences', { subject: 'x', conferenceId: 'personal' })).statusCode).toBe(400);
  });

  it.each([
    [{ timeZone: 'Mars/Olympus' }, 'invalid-time-zone'],
    [{ recurrence: 'FREQ=SOMETIMES' }, 'invalid-recurrence'],
    [{ recurrence: 'FREQ=WEEKLY', startsAt: null }, 'invalid-recurrence'],
    [{ endsAt: '2026-12-01T16:00:00Z', startsAt: '2026-12-01T17:00:00Z' }, 'validation-failed'],
    [{ maxParticipants: 1 }, 'validation-failed'],
    [{ passcode: 'abcd' }, 'validation-failed'],
    [{ conferenceId: '1234567' }, 'validation-failed'],
  ])('refuses %j with 400 %s and stores nothing', async (fields, code) => {
    const before = (await pool.query('select count(*)::int as n from conferences')).rows[0].n;
    const response = await admin('POST', '/api/v1/conferences', { subject: 'Bad', startsAt: '2026-12-01T17:00:00Z', ...fields });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe(code);
    expect((await pool.query('select count(*)::int as n from conferences')).rows[0].n).toBe(before);
  });

  it('answers a rule that would take minutes to enumerate with 400 invalid-recurrence in under 100 ms', async () => {
    await admin('POST', '/api/v1/conferences', { subject: 'Warm-up', startsAt: inDays(1), recurrence: 'FREQ=WEEKLY;COUNT=2' });
    const started = performance.now();
    const response = await admin('POST', '/api/v1/conferences', { subject: 'Flood', startsAt: inDays(1), recurrence: 'FREQ=SECONDLY;COUNT=100000000' });
    const elapsed = performance.now() - started;
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid-recurrence');
    expect(elapsed).toBeLessThan(100);
  });

  it.each([
    'FREQ=HOURLY;COUNT=3',
    'FREQ=MINUTELY',
    'FREQ=DAILY;COUNT=1001',
    'FREQ=DAILY;BYHOUR=9,10',
    'FREQ=DAILY;BYSECOND=0,1,2',
    'FREQ=DAILY;INTERVAL=100',
    'FREQ=YEARLY;UNTIL=20400101T000000Z',
    'DTSTART:19000101T000000Z;FREQ=DAILY',
  ])('refuses %s, which no calendar schedules', async (recurrence) => {
    const response = await admin('POST', '/api/v1/conferences', { subject: 'Odd', startsAt: '2026-12-01T17:00:00Z', recurrence });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid-recurrence');
  });

  it('refuses a recurring meeting whose first occurrence is decades back (every join would count from it)', async () => {
    const response = await admin('POST', '/api/v1/conferences', { subject: 'Old', startsAt: '1900-01-01T09:00:00Z', recurrence: 'FREQ=DAILY' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid-recurrence');
    const fine = await admin('POST', '/api/v1/conferences', { subject: 'Bounded', startsAt: '2026-12-01T17:00:00Z', recurrence: 'FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1;UNTIL=20311101T000000Z' });
    expect(fine.statusCode).toBe(201);
  });
});

describe('the invitation', () => {
  it('is an iCalendar REQUEST another parser reads: organiser, attendees, zone, recurrence, dial-in block', async () => {
    const { user, call } = await organizer();
    const meeting = (
      await call('POST', '/api/v1/conferences', {
        subject: 'Design review',
        startsAt: '2026-12-01T17:00:00Z',
        endsAt: '2026-12-01T18:30:00Z',
        timeZone: 'America/Los_Angeles',
        recurrence: 'FREQ=WEEKLY;COUNT=4',
        passcode: '246810',
        invitees: ['bo@example.com', 'sip:cy@example.com'],
        leaders: ['lee@example.com', 'bo@example.com'],
      })
    ).json();
    const response = await call('GET', `/api/v1/conferences/${meeting.id}/invitation.ics`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/calendar');
    const ics = response.body;
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain('BEGIN:VTIMEZONE');
    expect(ics).toMatch(/DTSTART;TZID=America\/Los_Angeles:20261201T090000/);

    // RFC 5545: DTSTAMP in UTC; no non-standard calendar properties beside the zone's VTIMEZONE.
    expect(ics).toMatch(/^DTSTAMP:\d{8}T\d{6}Z\r?$/m);
    expect(ics).not.toMatch(/^TIMEZONE-ID:/m);
    // Leaders are attendees too (CHAIR), even when not also invited; nobody twice.
    expect(ics).toMatch(/^ATTENDEE;ROLE=CHAIR[^\r\n]*:MAILTO:lee@example\.com\r?$/m);
    expect(ics.match(/^ATTENDEE[^\r\n]*bo@example\.com/gim)).toHaveLength(1);

    const event = onlyEvent(ics);
    expect(event.uid).toBe(`${meeting.id}@parley`);
    expect(event.summary).toBe('Design review');
    expect(event.start.toISOString()).toBe('2026-12-01T17:00:00.000Z');
    expect(event.end!.toISOString()).toBe('2026-12-01T18:30:00.000Z');
    expect(event.rrule?.toString()).toContain('FREQ=WEEKLY;COUNT=4');
    expect(String(event.location)).toContain('+1 (425) 555-0100');
    expect(JSON.stringify(event.organizer)).toContain(user.email);
    expect(JSON.stringify(event.attendee)).toContain('bo@example.com');
    const description = String(event.description);
    expect(description).toContain(`Conference ID: ${meeting.conferenceId}`);
    expect(description).toContain('Passcode: 246810');
    expect(description).toContain(`tel:+14255550100,,${meeting.conferenceId}%23,,246810%23`);
    expect(description).toContain('United States, American English');
    expect(description).toContain('https://meet.example.com/dialin');
    // Users' registered SIP phones dial the conference itself (issue 15); the test app's registrar is the default one.
    expect(description).toContain(`sip:${meeting.conferenceId}@127.0.0.1:5060`);

    const mail = (await call('GET', `/api/v1/conferences/${meeting.id}/invitation`)).json();
    expect(mail.subject).toBe('Design review');
    expect(mail.text).toContain(`Conference ID: ${meeting.conferenceId}`);
    expect(mail.html).toContain(`href="tel:+14255550100,,${meeting.conferenceId}%23,,246810%23"`);
    expect(mail.html).toContain(`href="sip:${meeting.conferenceId}@127.0.0.1:5060"`);
  });

  it('becomes an update with a higher SEQUENCE, then a CANCEL', async () => {
    const { call } = await organizer();
    const meeting = (await call('POST', '/api/v1/conferences', { subject: 'Standup', startsAt: inDays(4), timeZone: 'Europe/Paris' })).json();
    expect(onlyEvent((await call('GET', `/api/v1/conferences/${meeting.id}/invitation.ics`)).body).sequence).toBe(0);

    const moved = await call('PATCH', `/api/v1/conferences/${meeting.id}`, { startsAt: inDays(5), endsAt: inDays(5, 18) });
    expect(moved.json()).toMatchObject({ sequence: 1, startsAt: inDays(5) });
    expect(onlyEvent((await call('GET', `/api/v1/conferences/${meeting.id}/invitation.ics`)).body).sequence).toBe(1);
    // Locking is not news for the calendar.
    expect((await call('PATCH', `/api/v1/conferences/${meeting.id}`, { locked: true })).json()).toMatchObject({ sequence: 1, locked: true });

    const cancelled = await call('DELETE', `/api/v1/conferences/${meeting.id}`);
    expect(cancelled.json()).toMatchObject({ sequence: 2, status: 'cancelled' });
    expect((await call('GET', `/api/v1/conferences/${meeting.id}`)).json().status).toBe('cancelled');
    // The live view and the event stream (and so webhooks) say so too, not 'ended'.
    expect((await call('GET', `/api/v1/conferences/${meeting.id}/live`)).json().conference.status).toBe('cancelled');
    const streamed = await pool.query(`select data->>'status' as status from conference_events where conference_id = $1 and type = 'conference' order by seq desc limit 1`, [meeting.id]);
    expect(streamed.rows[0]?.status).toBe('cancelled');
    const ics = (await call('GET', `/api/v1/conferences/${meeting.id}/invitation.ics`)).body;
    expect(ics).toContain('METHOD:CANCEL');
    expect(onlyEvent(ics)).toMatchObject({ sequence: 2, status: 'CANCELLED' });
    // A cancellation is no way in: no conference ID, passcode, numbers or SIP address in it.
    for (const secret of [meeting.conferenceId, meeting.passcode, 'tel:', 'sip:']) if (secret) expect(ics).not.toContain(secret);
    const mail = (await call('GET', `/api/v1/conferences/${meeting.id}/invitation`)).json();
    for (const secret of [meeting.conferenceId, meeting.passcode]) if (secret) expect(mail.text + mail.html).not.toContain(secret);
    expect(mail.subject).toBe('Cancelled: Standup');
    expect((await call('DELETE', `/api/v1/conferences/${meeting.id}`)).json().error.code).toBe('conference-cancelled');
    expect((await call('PATCH', `/api/v1/conferences/${meeting.id}`, { subject: 'x' })).statusCode).toBe(409);
  });

  it('is only for the organiser and administrators', async () => {
    const { call } = await organizer();
    const other = await organizer();
    const meeting = (await call('POST', '/api/v1/conferences', { subject: 'Private' })).json();
    expect((await other.call('GET', `/api/v1/conferences/${meeting.id}/invitation.ics`)).statusCode).toBe(404);
    expect((await other.call('DELETE', `/api/v1/conferences/${meeting.id}`)).statusCode).toBe(404);
    expect((await admin('GET', `/api/v1/conferences/${meeting.id}/invitation.ics`)).statusCode).toBe(200);
  });
});

describe('the passcode for anonymous meetings', () => {
  it('is generated by the policy unless the organiser sends passcode null, which the API accepts', async () => {
    expect((await admin('PATCH', '/api/v1/policies', { meetings: { passcodeForAnonymous: true } })).statusCode).toBe(200);
    try {
      const guarded = await admin('POST', '/api/v1/conferences', { subject: 'Guarded' });
      expect(guarded.statusCode).toBe(201);
      expect(guarded.json().passcode).toMatch(/^\d{6}$/);
      const open = await admin('POST', '/api/v1/conferences', { subject: 'Open door', passcode: null });
      expect(open.statusCode, open.body).toBe(201);
      expect(open.json().passcode ?? null).toBeNull();
    } finally {
      await admin('PATCH', '/api/v1/policies', { meetings: { passcodeForAnonymous: false } });
    }
  });
});
