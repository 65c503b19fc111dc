// A guest's join link: /join/<invitation id> shows the dial-in numbers, conference ID and passcode.
const $ = (id) => document.getElementById(id);
const invitationId = location.pathname.split('/').pop();

function cell(text, label) {
  const td = document.createElement('td');
  td.textContent = text;
  td.dataset.label = label;
  return td;
}

/** "Tuesday, March 2, 2027, 9:00 – 10:00 AM Pacific Standard Time": the meeting's times as seen in `zone`. */
function timesIn({ startsAt, endsAt }, zone) {
  const start = new Date(startsAt);
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short', timeZone: zone });
  const span = endsAt ? format.formatRange(start, new Date(endsAt)) : format.format(start);
  const zoneName = new Intl.DateTimeFormat(undefined, { timeZone: zone, timeZoneName: 'long' }).formatToParts(start).find((p) => p.type === 'timeZoneName')?.value ?? zone;
  return `${span} ${zoneName}`;
}

/**
 * When the meeting is: in the meeting's own zone, and in the viewer's when that reads differently; "Now"
 * for a conference already open.
 */
function when(join) {
  if (!join.startsAt) return { meeting: 'Now', local: '' };
  const viewer = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  const local = timesIn(join, viewer);
  let meeting;
  try {
    meeting = join.timeZone ? timesIn(join, join.timeZone) : undefined;
  } catch {
    meeting = undefined; // a zone this browser does not know: the viewer's own time says it all
  }
  if (!meeting) return { meeting: local, local: '' };
  return { meeting, local: meeting === local ? '' : `Your time: ${local}` };
}

/** "English (United States)" for en-US; the code itself where the browser has no name for it. */
function languageName(code) {
  try {
    return new Intl.DisplayNames([document.documentElement.lang || 'en'], { type: 'language', languageDisplay: 'standard' }).of(code) ?? code;
  } catch {
    return code;
  }
}

async function load() {
  const response = await fetch(`/api/v1/join/${encodeURIComponent(invitationId)}`).catch(() => undefined);
  if (!response?.ok) {
    $('problem').textContent = response?.status === 404 ? 'This link is no longer valid: the conference has ended or the invitation was withdrawn. Ask the organiser for a new invitation.' : 'The details could not be loaded. Try again in a moment.';
    $('problem').hidden = false;
    return;
  }
  const join = await response.json();
  document.title = `Join: ${join.subject}`;
  $('subject').textContent = join.subject;
  $('conference-id').textContent = join.conferenceId;
  const times = when(join);
  $('when-meeting').textContent = times.meeting;
  $('when-local').textContent = times.local;
  $('when-local').hidden = !times.local;
  $('organizer').textContent = join.organizer ?? '';
  $('organizer').hidden = $('organizer-label').hidden = !join.organizer;
  $('sip-uri').textContent = join.sipUri;
  $('sip-uri').href = join.sipUri;
  const hasPasscode = Boolean(join.passcode);
  $('passcode').textContent = join.passcode ?? '';
  for (const id of ['passcode', 'passcode-label', 'passcode-hint']) $(id).hidden = !hasPasscode;
  const rows = join.dialIn.map((n) => {
    const tr = document.createElement('tr');
    tr.append(cell(n.display, 'Number'), cell(n.region, 'Region'), cell(n.languages.map(languageName).join(', '), 'Languages'));
    const call = document.createElement('td');
    const link = document.createElement('a');
    link.className = 'tap';
    link.href = n.tel;
    link.textContent = 'Call';
    link.setAttribute('aria-label', `Call ${n.display}`);
    call.append(link);
    tr.append(call);
    return tr;
  });
  $('numbers').replaceChildren(...rows);
  $('details').hidden = false;
}

void load();

void import('/browser-audio.js').then(({ attachBrowserAudio }) =>
  attachBrowserAudio(async () => {
    const name = $('browser-audio-name').value.trim();
    if (!name) throw new Error('Type your name first.');
    const response = await fetch(`/api/v1/join/${encodeURIComponent(invitationId)}/browser-audio`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: name }),
    });
    const json = await response.json().catch(() => null);
    if (!response.ok) throw new Error(json?.error?.message ?? 'parley refused.');
    return json;
  }),
);
