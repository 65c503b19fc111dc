import { DateTime } from 'luxon';
import rrule from 'rrule';
import type { AccessNumber } from '../ports/store.js';
import type { Meeting } from './meetings.js';

export interface EmailLinks {
  /** The Dial-in Conferencing Settings page (PINs, personal conference ID, numbers). */
  readonly settingsUrl: string;
  /** The live panel, `<base>/panel/<meeting id>`. */
  readonly panelUrl: (meetingId: string) => string;
  /** The conference's SIP address, `sip:<conference ID>@<parley's SIP domain>`. */
  readonly sipUri: (conferenceId: string) => string;
}

export interface CalendarInvitationBodies {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Plain-text mail is read at this width (RFC 5322 2.1.1 recommends 78); longer lines are only URLs. */
export const TEXT_WIDTH = 78;

/** One-tap dialling: the number, a pause, the conference ID and #, then the passcode and #. */
export function oneTapUri(accessNumber: AccessNumber, conferenceId: string, passcode: string | null): string {
  return `tel:+${accessNumber.number},,${conferenceId}%23${passcode ? `,,${passcode}%23` : ''}`;
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

function languageName(locale: string): string {
  try {
    return languageNames.of(locale) ?? locale;
  } catch {
    return locale;
  }
}

function regionName(region: string): string {
  if (!/^[A-Z]{2}$/.test(region)) return region;
  try {
    return regionNames.of(region) ?? region;
  } catch {
    return region;
  }
}

/** "Tuesday, December 1, 2026, 9:00 AM – 10:30 AM (America/Los Angeles time)" and, when it recurs, "every week for 4 times". */
export function whenLines({ conference }: Meeting): string[] {
  if (!conference.startsAt) return ['Any time: the meeting has no scheduled start'];
  const zone = conference.timeZone ?? 'UTC';
  const start = DateTime.fromJSDate(conference.startsAt, { zone });
  const end = conference.endsAt ? DateTime.fromJSDate(conference.endsAt, { zone }) : undefined;
  const sameDay = end && end.hasSame(start, 'day');
  const until = end ? ` – ${end.toFormat(sameDay ? 'h:mm a' : 'cccc, LLLL d, yyyy, h:mm a')}` : '';
  const lines = [`${start.toFormat('cccc, LLLL d, yyyy, h:mm a')}${until} (${zone.replace(/_/g, ' ')} time)`];
  if (conference.recurrence) {
    const text = rrule.RRule.fromString(`RRULE:${conference.recurrence}`).toText();
    lines.push(`Repeats ${text}`);
  }
  return lines;
}

/**
 * The invitation e-mail: subject, a plain-text body that reads at 78 columns (each URL on its own line,
 * where clients make it a link) and an HTML body with inline styles only (mail clients drop <style>).
 */
export function calendarInvitationBodies(meeting: Meeting, links: EmailLinks): CalendarInvitationBodies {
  const { conference } = meeting;
  const cancelled = conference.cancelledAt !== null;
  const subject = `${cancelled ? 'Cancelled: ' : ''}${conference.subject}`;
  // A cancellation carries no way in: no numbers, no conference ID, no passcode.
  if (cancelled) {
    const when = whenLines(meeting);
    return {
      subject,
      text: [`This meeting has been cancelled: ${conference.subject}`, '', 'It was planned for:', ...when.map((w) => `  ${w}`)].join('\n'),
      html: htmlDocument(subject, [
        `<p style="${P}"><strong>This meeting has been cancelled:</strong> ${escape(conference.subject)}</p>`,
        `<p style="${P};color:#57606a">It was planned for:<br>${when.map(escape).join('<br>')}</p>`,
      ]),
    };
  }
  return { subject, text: textBody(meeting, links), html: htmlBody(meeting, links) };
}

function textBody(meeting: Meeting, links: EmailLinks): string {
  const { conference, dialIn } = meeting;
  const lines: string[] = [conference.subject, ...whenLines(meeting), '', 'Join by phone'];
  for (const n of dialIn) {
    lines.push(`  ${n.display}  ${regionName(n.region)}, ${n.languages.map(languageName).join(', ')}`);
    lines.push(`    One tap: ${oneTapUri(n, conference.conferenceId, conference.passcode)}`);
  }
  lines.push('', `  Conference ID: ${conference.conferenceId} #`);
  if (conference.passcode) lines.push(`  Passcode: ${conference.passcode} #`);
  lines.push(
    '',
    'Join from your SIP phone (registered as you, no PIN):',
    `  ${links.sipUri(conference.conferenceId)}`,
    '',
    'Conference control (who is on, mute, lock):',
    `  ${links.panelUrl(conference.id)}`,
    '',
    'Forgot your dial-in PIN, or joining from your phone for the first time?',
    `  ${links.settingsUrl}`,
  );
  return lines.join('\n');
}

const FONT = 'font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.45;color:#1f2328';
const P = 'margin:0 0 12px 0';
const CELL = 'padding:4px 16px 4px 0;text-align:left;vertical-align:top';
const LINK = 'color:#0b57d0';

function htmlBody(meeting: Meeting, links: EmailLinks): string {
  const { conference, dialIn } = meeting;
  const rows = dialIn
    .map(
      (n) =>
        `<tr><td style="${CELL}"><a style="${LINK};white-space:nowrap" href="${escape(oneTapUri(n, conference.conferenceId, conference.passcode))}">${escape(n.display)}</a></td>` +
        `<td style="${CELL}">${escape(regionName(n.region))}</td><td style="${CELL}">${escape(n.languages.map(languageName).join(', '))}</td></tr>`,
    )
    .join('\n');
  const sip = links.sipUri(conference.conferenceId);
  return htmlDocument(conference.subject, [
    `<h1 style="font-size:20px;margin:0 0 4px 0">${escape(conference.subject)}</h1>`,
    `<p style="${P};color:#57606a">${whenLines(meeting).map(escape).join('<br>')}</p>`,
    `<h2 style="font-size:16px;margin:16px 0 4px 0">Join by phone</h2>`,
    `<p style="${P}">Tap a number to dial it with the conference ID and passcode.</p>`,
    `<table role="presentation" style="border-collapse:collapse;margin:0 0 12px 0"><thead><tr><th style="${CELL}">Number</th><th style="${CELL}">Region</th><th style="${CELL}">Languages</th></tr></thead><tbody>\n${rows}\n</tbody></table>`,
    `<p style="${P}">Conference ID: <strong style="font-size:17px;letter-spacing:1px">${escape(conference.conferenceId)}</strong> #` +
      (conference.passcode ? `<br>Passcode: <strong style="font-size:17px;letter-spacing:1px">${escape(conference.passcode)}</strong> #` : '') +
      '</p>',
    `<p style="${P}">Join from your SIP phone (registered as you, no PIN): <a style="${LINK}" href="${escape(sip)}">${escape(sip)}</a></p>`,
    `<p style="${P}"><a style="${LINK}" href="${escape(links.panelUrl(conference.id))}">Conference control</a> (who is on, mute, lock)</p>`,
    `<p style="${P}"><a style="${LINK}" href="${escape(links.settingsUrl)}">Forgot your dial-in PIN, or joining from your phone for the first time?</a></p>`,
  ]);
}

function htmlDocument(title: string, body: readonly string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escape(title)}</title></head>`,
    `<body style="margin:0;padding:16px;${FONT}">`,
    ...body,
    '</body></html>',
  ].join('\n');
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
