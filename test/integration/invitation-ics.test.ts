// Every kind of invitation the API produces, read by three independent parsers (node-ical, ical.js and
// Debian's python3-icalendar, which the reporter used) and checked against the RFC 5545 rules
// that Outlook, Google and Apple calendars are strict about (test/support/ics-rules.ts).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import ICAL from 'ical.js';
import ical, { type VEvent } from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from '../../src/adapters/http/app.js';
import { apiOnFreshDatabase, type TestApi } from '../support/api-app.js';
import { icsViolations, unfold, type IcsExpectations } from '../support/ics-rules.js';

const ADMIN = 'invitation-ics-admin-token';
let api: TestApi;
let app: HttpApp;

beforeAll(async () => {
  api = await apiOnFreshDatabase(ADMIN, { publicUrl: 'https://meet.example.com' });
  ({ app } = api);
});
afterAll(async () => {
  await api?.close();
});

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const as = (token: string) => (method: Method, url: string, payload?: object) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
const admin = as(ADMIN);

async function organizer(name: string) {
  const password = 'correct horse battery';
  const user = (await admin('POST', '/api/v1/users', { displayName: name, email: `${name.toLowerCase()}@example.com`, sipUri: `sip:${name.toLowerCase()}@example.com`, region: 'US', password })).json();
  const token = (await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: user.email, password } })).json().token as string;
  return { user, call: as(token) };
}

const icsOf = async (call: ReturnType<typeof as>, id: string) => {
  const response = await call('GET', `/api/v1/conferences/${id}/invitation.ics`);
  expect(response.statusCode).toBe(200);
  return response.body;
};

interface Parsed {
  readonly uid: string;
  readonly sequence: number;
  readonly status: string;
  readonly start: string;
  readonly end: string;
  readonly attendees: string[];
  readonly description: string;
}

function byNodeIcal(ics: string): Parsed & { rrule: string | undefined } {
  const events = Object.values(ical.sync.parseICS(ics)).filter((c): c is VEvent => c?.type === 'VEVENT');
  expect(events).toHaveLength(1);
  const e = events[0]!;
  const attendees = ([] as unknown[]).concat(e.attendee ?? []).map((a) => String(typeof a === 'object' && a && 'val' in a ? a.val : a).replace(/^mailto:/i, '').toLowerCase());
  return {
    uid: e.uid,
    sequence: Number(e.sequence),
    status: String(e.status),
    start: e.start.toISOString(),
    end: e.end!.toISOString(),
    attendees: attendees.sort(),
    description: String(e.description ?? ''),
    rrule: e.rrule?.toString(),
  };
}

/** ical.js, strict: throws on a malformed line; zones are registered from the file's own VTIMEZONEs. */
function byIcalJs(ics: string): Parsed & { method: string; rrule: string | undefined } {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const vevents = calendar.getAllSubcomponents('vevent');
  expect(vevents).toHaveLength(1);
  const event = new ICAL.Event(vevents[0]!);
  const rrule = vevents[0]!.getFirstPropertyValue('rrule');
  return {
    method: String(calendar.getFirstPropertyValue('method')),
    uid: event.uid,
    sequence: event.sequence,
    status: String(vevents[0]!.getFirstPropertyValue('status')),
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    attendees: event.attendees.map((a) => String(a.getFirstValue()).replace(/^mailto:/i, '').toLowerCase()).sort(),
    description: event.description ?? '',
    rrule: rrule ? String(rrule) : undefined,
  };
}

interface PythonView {
  method: string;
  timezones: string[];
  errors: string[];
  events: Array<{
    uid: string;
    sequence: number;
    status: string;
    description: string | null;
    dtstamp: { iso: string };
    start: { iso: string; tzid: string | null };
    end: { iso: string; tzid: string | null };
    rrule: string | null;
    attendees: Array<{ address: string; role: string }>;
  }>;
}

const PYTHON_SCRIPT = fileURLToPath(new URL('../support/ics-python.py', import.meta.url));

/** Debian's python3-icalendar (scripts/host-deps.sh installs it), through test/support/ics-python.py. */
function byPython(ics: string): PythonView {
  return JSON.parse(execFileSync('/usr/bin/python3', [PYTHON_SCRIPT], { input: ics, encoding: 'utf8' })) as PythonView;
}

/** All three parsers agree with each other and with what the API said; the RFC rules hold. */
function readEverywhere(ics: string, rules: IcsExpectations) {
  expect(icsViolations(ics, rules)).toEqual([]);
  const node = byNodeIcal(ics);
  const js = byIcalJs(ics);
  const py = byPython(ics);
  expect(py.errors).toEqual([]);
  expect(py.method).toBe(rules.method);
  expect(js.method).toBe(rules.method);
  expect(py.events).toHaveLength(1);
  const pe = py.events[0]!;
  for (const other of [js, { ...pe, start: new Date(pe.start.iso).toISOString(), end: new Date(pe.end.iso).toISOString(), attendees: pe.attendees.map((a) => a.address.replace(/^mailto:/i, '').toLowerCase()).sort(), description: pe.description ?? '' }]) {
    expect({ uid: other.uid, sequence: other.sequence, status: other.status, start: other.start, end: other.end, attendees: other.attendees }).toEqual({
      uid: node.uid,
      sequence: node.sequence,
      status: node.status,
      start: node.start,
      end: node.end,
      attendees: node.attendees,
    });
    expect(other.description.replace(/\r\n/g, '\n')).toBe(node.description.replace(/\r\n/g, '\n'));
  }
  return { node, js, py: pe, pyTimezones: py.timezones };
}

describe('every invitation the API produces', () => {
  it('a single meeting in UTC with nobody invited: the organiser is its one ATTENDEE (RFC 5546 wants one)', async () => {
    const { user, call } = await organizer('Una');
    const meeting = (await call('POST', '/api/v1/conferences', { subject: 'Quick sync', startsAt: '2027-03-02T15:00:00Z', passcode: '135790' })).json();
    const ics = await icsOf(call, meeting.id);
    const { node, py, pyTimezones } = readEverywhere(ics, { method: 'REQUEST', chairs: [user.email] });
    expect(node).toMatchObject({ uid: `${meeting.id}@parley`, sequence: 0, status: 'CONFIRMED', start: '2027-03-02T15:00:00.000Z', end: '2027-03-02T16:00:00.000Z' });
    expect(node.attendees).toEqual([user.email]);
    expect(pyTimezones).toEqual([]);
    expect(py.start.iso).toBe('2027-03-02T15:00:00+00:00');
    expect(node.description).toContain('Passcode: 135790');
  });

  it('a recurring meeting in a time zone, leaders CHAIR, invitees REQ-PARTICIPANT, a long non-ASCII subject folded at character boundaries', async () => {
    const { user, call } = await organizer('Rita');
    const subject = 'Überprüfung der Quartalszahlen – 東京・大阪チーム合同レビュー, with everyone from sales and support';
    const meeting = (
      await call('POST', '/api/v1/conferences', {
        subject,
        startsAt: '2027-03-01T08:00:00Z',
        endsAt: '2027-03-01T09:15:00Z',
        timeZone: 'Europe/Berlin',
        recurrence: 'FREQ=WEEKLY;BYDAY=MO;COUNT=10',
        passcode: '864202',
        leaders: ['lee@example.com', 'bo@example.com'],
        invitees: ['bo@example.com', 'cy@example.com', 'sip:dee@example.com', user.email],
      })
    ).json();
    const ics = await icsOf(call, meeting.id);
    const { node, js, py, pyTimezones } = readEverywhere(ics, {
      method: 'REQUEST',
      chairs: ['lee@example.com', 'bo@example.com'],
      participants: ['cy@example.com', 'dee@example.com'],
    });
    // The organiser is the ORGANIZER, not also an attendee when others are invited; bo (leader and invitee) once, as CHAIR.
    expect(node.attendees).toEqual(['bo@example.com', 'cy@example.com', 'dee@example.com', 'lee@example.com']);
    expect(pyTimezones).toEqual(['Europe/Berlin']);
    expect(py.start).toEqual({ iso: '2027-03-01T09:00:00+01:00', tzid: 'Europe/Berlin' });
    expect(unfold(ics).find((l) => l.name === 'DTSTART' && l.params.TZID)).toMatchObject({ params: { TZID: 'Europe/Berlin' }, value: '20270301T090000' });
    expect(node.start).toBe('2027-03-01T08:00:00.000Z');
    expect(js.end).toBe('2027-03-01T09:15:00.000Z');
    for (const rule of [node.rrule, js.rrule, py.rrule]) expect(rule).toMatch(/FREQ=WEEKLY/);
    expect(py.rrule).toContain('COUNT=10');
    // After the summer-time change the meeting stays at 09:00 in Berlin (07:00 UTC): the VTIMEZONE is right.
    const occurrences = new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!;
    const expand = new ICAL.Event(occurrences).iterator();
    const starts: string[] = [];
    for (let next = expand.next(); next && starts.length < 6; next = expand.next()) starts.push(next.toJSDate().toISOString());
    expect(starts.at(-1)).toBe('2027-04-05T07:00:00.000Z');
    expect(String(js.description)).toContain(subject.slice(0, 20));
    expect(unfold(ics).find((l) => l.name === 'SUMMARY')?.value).toBe(subject.replace(/,/g, '\\,'));
  });

  it('an update keeps the UID and raises SEQUENCE; the cancellation keeps both rising and carries no way in', async () => {
    const { user, call } = await organizer('Uwe');
    const meeting = (
      await call('POST', '/api/v1/conferences', { subject: 'Planning', startsAt: '2027-05-10T14:00:00Z', timeZone: 'America/New_York', passcode: '975310', invitees: ['ann@example.com'], leaders: ['lee@example.com'] })
    ).json();
    const first = readEverywhere(await icsOf(call, meeting.id), { method: 'REQUEST', chairs: ['lee@example.com'], participants: ['ann@example.com'] });
    expect(first.node.sequence).toBe(0);

    expect((await call('PATCH', `/api/v1/conferences/${meeting.id}`, { startsAt: '2027-05-11T15:00:00Z', endsAt: '2027-05-11T16:00:00Z' })).statusCode).toBe(200);
    const moved = readEverywhere(await icsOf(call, meeting.id), { method: 'REQUEST', chairs: ['lee@example.com'], participants: ['ann@example.com'] });
    expect(moved.node).toMatchObject({ uid: first.node.uid, sequence: 1, start: '2027-05-11T15:00:00.000Z' });
    expect(moved.py.start).toEqual({ iso: '2027-05-11T11:00:00-04:00', tzid: 'America/New_York' });

    const cancelled = await call('DELETE', `/api/v1/conferences/${meeting.id}`);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', sequence: 2 });
    expect((await call('GET', `/api/v1/conferences/${meeting.id}`)).json().status).toBe('cancelled');
    const listed = (await call('GET', '/api/v1/conferences')).json() as Array<{ id: string; status: string }> | { conferences?: Array<{ id: string; status: string }> };
    const rows = Array.isArray(listed) ? listed : (listed.conferences ?? []);
    for (const row of rows.filter((r) => r.id === meeting.id)) expect(row.status).toBe('cancelled');

    const ics = await icsOf(call, meeting.id);
    const secrets = [meeting.conferenceId, '975310', 'tel:', 'sip:', 'Passcode', 'Conference ID', '/panel/', '/join/'];
    const gone = readEverywhere(ics, { method: 'CANCEL', chairs: ['lee@example.com'], participants: ['ann@example.com'], secrets });
    expect(gone.node).toMatchObject({ uid: first.node.uid, sequence: 2, status: 'CANCELLED' });
    expect(gone.py.status).toBe('CANCELLED');
    expect(user.email).toBeTruthy();
  });

  it('a meeting scheduled by the service token is sent by the fallback organiser', async () => {
    const meeting = (await admin('POST', '/api/v1/conferences', { subject: 'Service', startsAt: '2027-06-01T10:00:00Z', invitees: ['eve@example.com'] })).json();
    const ics = await icsOf(admin, meeting.id);
    readEverywhere(ics, { method: 'REQUEST', participants: ['eve@example.com'] });
    expect(unfold(ics).find((l) => l.name === 'ORGANIZER')?.value).toMatch(/^mailto:/i);
  });
});

describe('the validator itself', () => {
  const good = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//t//EN', 'METHOD:REQUEST', 'BEGIN:VEVENT', 'UID:a@b', 'SEQUENCE:0', 'DTSTAMP:20270101T000000Z', 'DTSTART:20270101T100000Z', 'STATUS:CONFIRMED', 'ORGANIZER:mailto:o@x', 'ATTENDEE;ROLE=CHAIR:mailto:l@x', 'END:VEVENT', 'END:VCALENDAR'];
  const text = (lines: string[]) => lines.join('\r\n') + '\r\n';

  it('passes a minimal good invitation and names each broken rule', () => {
    expect(icsViolations(text(good), { method: 'REQUEST', chairs: ['l@x'] })).toEqual([]);
    const cases: Array<[string, string, RegExp]> = [
      ['DTSTAMP:20270101T000000Z', 'DTSTAMP:20270101T000000', /DTSTAMP .* not UTC/],
      ['METHOD:REQUEST', 'METHOD:PUBLISH', /METHOD/],
      ['DTSTART:20270101T100000Z', 'DTSTART;TZID=Europe/Paris:20270101T100000', /no VTIMEZONE/],
      ['ATTENDEE;ROLE=CHAIR:mailto:l@x', 'ATTENDEE:mailto:l@x', /ROLE=undefined/],
      ['PRODID:-//t//t//EN', 'TIMEZONE-ID:Europe/Paris', /TIMEZONE-ID/],
    ];
    for (const [from, to, complaint] of cases) {
      expect(icsViolations(text(good.map((l) => (l === from ? to : l))), { method: 'REQUEST', chairs: ['l@x'] }).join('\n')).toMatch(complaint);
    }
    expect(icsViolations(good.join('\n'), { method: 'REQUEST' }).join('\n')).toMatch(/CRLF/);
    expect(icsViolations(good.join('\r\n'), { method: 'REQUEST' }).join('\n')).toMatch(/last line/);
    expect(icsViolations(text([...good.slice(0, 5), `SUMMARY:${'x'.repeat(80)}`, ...good.slice(5)]), { method: 'REQUEST' }).join('\n')).toMatch(/octets/);
    expect(icsViolations(text(good), { method: 'CANCEL' }).join('\n')).toMatch(/STATUS:CONFIRMED/);
    expect(icsViolations(text(good.filter((l) => !l.startsWith('ATTENDEE'))), { method: 'REQUEST' }).join('\n')).toMatch(/no ATTENDEE/);
    expect(icsViolations(text(good), { method: 'REQUEST', secrets: ['o@x'] }).join('\n')).toMatch(/contains/);
  });
});
