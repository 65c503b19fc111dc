import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import { calendarInvitationBodies } from './invitation-email.js';
import type { Meeting } from './meetings.js';

export { calendarInvitationBodies, oneTapUri, type CalendarInvitationBodies } from './invitation-email.js';

export interface InvitationLinks {
  /** The Dial-in Conferencing Settings page (PINs, personal conference ID, numbers). */
  readonly settingsUrl: string;
  /** The live panel, `<base>/panel/<meeting id>`: leaders control the meeting there; participants watch. */
  readonly panelUrl: (meetingId: string) => string;
  /** A guest's join link (add audio): the dial-in numbers, conference ID and passcode. */
  readonly joinUrl: (invitationId: string) => string;
  /** Who sends invitations for meetings scheduled by the service token (mailto: address). */
  readonly fallbackOrganizer: string;
  /** The conference's SIP address, `sip:<conference ID>@<parley's SIP domain>`: users' registered phones dial it. */
  readonly sipUri: (conferenceId: string) => string;
}

const ONE_HOUR_MS = 60 * 60_000;

/** `sip:pbx.example.com:5060` (where users' phones register) and 4711042 make `sip:4711042@pbx.example.com:5060`. */
export function conferenceSipUri(registrarUri: string, conferenceId: string): string {
  const [, scheme, host] = /^(sips?):(.*)$/i.exec(registrarUri.trim()) ?? [undefined, 'sip', registrarUri.trim()];
  return `${scheme}:${conferenceId}@${host}`;
}

/** RFC 5545 METHOD:REQUEST (or CANCEL once cancelled) that Outlook and other calendars accept. */
/** `stamp`: when this copy was made (DTSTAMP); the README's example fixes it. */
export function calendarInvitationIcs(meeting: Meeting, links: InvitationLinks, stamp: Date = new Date()): string {
  const { conference, dialIn, organizer } = meeting;
  const cancelled = conference.cancelledAt !== null;
  const zone = conference.timeZone ?? 'UTC';
  const calendar = ical({ prodId: { company: 'parley', product: 'dial-in conferencing' }, method: cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST });
  // The zone's VTIMEZONE only: a named calendar zone would add a non-standard TIMEZONE-ID and write
  // DTSTAMP in local time, where RFC 5545 wants UTC.
  if (conference.timeZone) calendar.timezone({ name: null, generator: getVtimezoneComponent });
  const start = conference.startsAt ?? conference.createdAt;
  const end = conference.endsAt ?? new Date(start.getTime() + ONE_HOUR_MS);
  const primary = dialIn[0];
  const sender = organizer ? { name: organizer.displayName, email: organizer.email } : { name: 'parley', email: links.fallbackOrganizer };
  const others = attendeesOf(conference.leaders, conference.invitees, sender.email).map(({ address, leader }) => ({
    email: address,
    role: leader ? ICalAttendeeRole.CHAIR : ICalAttendeeRole.REQ,
    rsvp: !cancelled,
  }));
  // RFC 5546 wants at least one ATTENDEE in a REQUEST or CANCEL: with nobody invited, the organiser
  // attends their own meeting, as its chair.
  const attendees = others.length > 0 ? others : [{ email: sender.email, name: sender.name, role: ICalAttendeeRole.CHAIR, status: ICalAttendeeStatus.ACCEPTED }];
  calendar.createEvent({
    id: `${conference.id}@parley`,
    sequence: conference.sequence,
    stamp,
    start: DateTime.fromJSDate(start, { zone }),
    end: DateTime.fromJSDate(end, { zone }),
    ...(conference.timeZone ? { timezone: zone } : {}),
    ...(conference.recurrence ? { repeating: `RRULE:${conference.recurrence}` } : {}),
    summary: conference.subject,
    location: cancelled ? undefined : primary ? `${primary.display}, conference ID ${conference.conferenceId}` : `Conference ID ${conference.conferenceId}`,
    description: calendarInvitationBodies(meeting, links).text,
    url: links.settingsUrl,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: sender,
    attendees,
  });
  // RFC 5545 3.1: every content line ends with CRLF, the last one too (the generator leaves it off).
  const text = calendar.toString();
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}

/** Leaders (CHAIR) and invitees, each address once, e-mail or SIP URI alike; the organiser is the ORGANIZER. */
function attendeesOf(leaders: readonly string[], invitees: readonly string[], organizer: string | undefined): Array<{ address: string; leader: boolean }> {
  const key = (entry: string) => entry.trim().replace(/^sips?:/i, '').toLowerCase();
  const seen = new Set(organizer ? [key(organizer)] : []);
  const attendees: Array<{ address: string; leader: boolean }> = [];
  for (const [list, leader] of [[leaders, true], [invitees, false]] as const) {
    for (const entry of list) {
      if (seen.has(key(entry))) continue;
      seen.add(key(entry));
      attendees.push({ address: entry.trim().replace(/^sips?:/i, ''), leader });
    }
  }
  return attendees;
}

