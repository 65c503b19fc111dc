import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalAttendeeRole, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import type { AccessNumber } from '../ports/store.js';
import type { Meeting } from './meetings.js';

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

export interface CalendarInvitationBodies {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const ONE_HOUR_MS = 60 * 60_000;

/** One-tap dialling: the number, a pause, the conference ID and #, then the passcode and #. */
export function oneTapUri(accessNumber: AccessNumber, conferenceId: string, passcode: string | null): string {
  return `tel:+${accessNumber.number},,${conferenceId}%23${passcode ? `,,${passcode}%23` : ''}`;
}

/** `sip:pbx.example.com:5060` (where users' phones register) and 4711042 make `sip:4711042@pbx.example.com:5060`. */
export function conferenceSipUri(registrarUri: string, conferenceId: string): string {
  const [, scheme, host] = /^(sips?):(.*)$/i.exec(registrarUri.trim()) ?? [undefined, 'sip', registrarUri.trim()];
  return `${scheme}:${conferenceId}@${host}`;
}

/** The dial-in block of an invitation, grouped by region in the meeting's order. */
function dialInLines({ conference, dialIn }: Meeting, links: InvitationLinks): string[] {
  const lines: string[] = ['Join by phone'];
  const regions = [...new Set(dialIn.map((n) => n.region))];
  for (const region of regions) {
    lines.push(`  ${region}`);
    for (const n of dialIn.filter((d) => d.region === region)) {
      lines.push(`    ${n.display} (${n.languages.join(', ')})  one-tap: ${oneTapUri(n, conference.conferenceId, conference.passcode)}`);
    }
  }
  lines.push(`Conference ID: ${conference.conferenceId}`);
  if (conference.passcode) lines.push(`Passcode: ${conference.passcode}`);
  lines.push(`Join from your SIP phone (registered as you, no PIN): ${links.sipUri(conference.conferenceId)}`);
  return lines;
}

export function calendarInvitationBodies(meeting: Meeting, links: InvitationLinks): CalendarInvitationBodies {
  const { conference } = meeting;
  const cancelled = conference.cancelledAt !== null;
  const subject = `${cancelled ? 'Cancelled: ' : ''}${conference.subject}`;
  // A cancellation carries no way in: no numbers, no conference ID, no passcode.
  if (cancelled) {
    return {
      subject,
      text: `This meeting has been cancelled: ${conference.subject}`,
      html: `<p><strong>This meeting has been cancelled:</strong> ${escape(conference.subject)}</p>`,
    };
  }
  const text = [
    `${conference.subject}`,
    '',
    ...dialInLines(meeting, links),
    '',
    `Conference control (who is on, mute, lock): ${links.panelUrl(conference.id)}`,
    `Forgot your dial-in PIN or first time joining with your phone? ${links.settingsUrl}`,
  ].join('\n');
  const rows = meeting.dialIn
    .map(
      (n) =>
        `<tr><td>${escape(n.region)}</td><td><a href="${escape(oneTapUri(n, conference.conferenceId, conference.passcode))}">${escape(n.display)}</a></td><td>${escape(n.languages.join(', '))}</td></tr>`,
    )
    .join('');
  const html = [
    `<p>${escape(conference.subject)}</p>`,
    '<p><strong>Join by phone</strong></p>',
    `<table><thead><tr><th>Region</th><th>Number</th><th>Languages</th></tr></thead><tbody>${rows}</tbody></table>`,
    `<p>Conference ID: <strong>${escape(conference.conferenceId)}</strong>${conference.passcode ? `<br>Passcode: <strong>${escape(conference.passcode)}</strong>` : ''}</p>`,
    `<p>Join from your SIP phone (registered as you, no PIN): <a href="${escape(links.sipUri(conference.conferenceId))}">${escape(links.sipUri(conference.conferenceId))}</a></p>`,
    `<p><a href="${escape(links.panelUrl(conference.id))}">Conference control</a> (who is on, mute, lock)</p>`,
    `<p><a href="${escape(links.settingsUrl)}">Forgot your dial-in PIN or first time joining with your phone?</a></p>`,
  ].join('\n');
  return { subject, text, html };
}

/** RFC 5545 METHOD:REQUEST (or CANCEL once cancelled) that Outlook and other calendars accept. */
export function calendarInvitationIcs(meeting: Meeting, links: InvitationLinks): string {
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
  calendar.createEvent({
    id: `${conference.id}@parley`,
    sequence: conference.sequence,
    stamp: new Date(),
    start: DateTime.fromJSDate(start, { zone }),
    end: DateTime.fromJSDate(end, { zone }),
    ...(conference.timeZone ? { timezone: zone } : {}),
    ...(conference.recurrence ? { repeating: `RRULE:${conference.recurrence}` } : {}),
    summary: conference.subject,
    location: cancelled ? undefined : primary ? `${primary.display}, conference ID ${conference.conferenceId}` : `Conference ID ${conference.conferenceId}`,
    description: calendarInvitationBodies(meeting, links).text,
    url: links.settingsUrl,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: organizer ? { name: organizer.displayName, email: organizer.email } : { name: 'parley', email: links.fallbackOrganizer },
    attendees: attendeesOf(conference.leaders, conference.invitees, organizer?.email).map(({ address, leader }) => ({
      email: address,
      role: leader ? ICalAttendeeRole.CHAIR : ICalAttendeeRole.REQ,
      rsvp: !cancelled,
    })),
  });
  return calendar.toString();
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

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
