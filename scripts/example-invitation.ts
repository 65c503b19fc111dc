// `npx tsx scripts/example-invitation.ts`: prints the example invitation the README shows, made by the
// code that makes every invitation (test/unit/meetings/readme-invitation.test.ts keeps the README true).
import { fileURLToPath } from 'node:url';
import type { Conference } from '../src/domain/conference.js';
import { calendarInvitationBodies, calendarInvitationIcs, conferenceSipUri, type InvitationLinks } from '../src/meetings/calendar-invitation.js';
import type { Meeting } from '../src/meetings/meetings.js';

const conference: Conference = {
  id: '5c625575319c6bbefee153b959866d81',
  conferenceId: '4711042',
  subject: 'Design review',
  accessType: 'anonymous',
  passcode: '246810',
  locked: false,
  status: 'scheduled',
  startsAt: new Date('2027-03-01T08:00:00Z'),
  endsAt: new Date('2027-03-01T09:00:00Z'),
  createdAt: new Date('2027-02-20T10:00:00Z'),
  organizerId: 'ann',
  usesPersonalId: false,
  timeZone: 'Europe/Berlin',
  recurrence: 'FREQ=WEEKLY;BYDAY=MO;COUNT=4',
  joinBeforeLeader: true,
  lobbyBypass: true,
  announceEntryExit: false,
  announceWith: 'names',
  audienceMuted: false,
  activeSpeakerId: null,
  audienceMayUnmute: true,
  maxParticipants: 250,
  invitees: ['bo@example.com'],
  leaders: ['lee@example.com'],
  promotedUserIds: [],
  sequence: 0,
  cancelledAt: null,
  opensAt: new Date('2027-03-01T07:45:00Z'),
  expiresAt: new Date('2027-03-22T10:00:00Z'),
};

export const EXAMPLE_MEETING: Meeting = {
  conference,
  dialIn: [
    { number: '14255550100', display: '+1 (425) 555-0100', region: 'US', languages: ['en-US', 'es-MX'] },
    { number: '4930555010', display: '+49 30 555010', region: 'DE', languages: ['de-DE'] },
  ],
  organizer: { displayName: 'Ann Lee', email: 'ann@example.com' },
};

const BASE = 'https://meet.example.com';
export const EXAMPLE_LINKS: InvitationLinks = {
  settingsUrl: `${BASE}/dialin`,
  panelUrl: (id) => `${BASE}/panel/${id}`,
  joinUrl: (id) => `${BASE}/join/${id}`,
  fallbackOrganizer: 'conferencing@meet.example.com',
  sipUri: (id) => conferenceSipUri('sip:pbx.example.com', id),
};

export const EXAMPLE_STAMP = new Date('2027-02-20T10:00:00Z');

/** The .ics with LF line ends, as a Markdown block shows it. */
export function exampleIcs(): string {
  return calendarInvitationIcs(EXAMPLE_MEETING, EXAMPLE_LINKS, EXAMPLE_STAMP).replace(/\r\n/g, '\n');
}

export function exampleText(): string {
  return calendarInvitationBodies(EXAMPLE_MEETING, EXAMPLE_LINKS).text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${exampleText()}\n\n${exampleIcs()}`);
}
