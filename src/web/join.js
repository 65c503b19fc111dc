// A guest's join link: /join/<invitation id> shows the dial-in numbers, conference ID and passcode.
const $ = (id) => document.getElementById(id);
const invitationId = location.pathname.split('/').pop();

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

/** "Tuesday, 1 December 2026, 09:00–10:30 (America/Los_Angeles)", or "Now" for a conference already open. */
function when({ startsAt, endsAt, timeZone }) {
  if (!startsAt) return 'Now';
  const zone = timeZone ?? undefined;
  const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeZone: zone }).format(new Date(startsAt));
  const time = (iso) => new Intl.DateTimeFormat(undefined, { timeStyle: 'short', timeZone: zone }).format(new Date(iso));
  return `${day}, ${time(startsAt)}${endsAt ? `–${time(endsAt)}` : ''}${zone ? ` (${zone})` : ''}`;
}

async function load() {
  const response = await fetch(`/api/v1/join/${encodeURIComponent(invitationId)}`);
  if (!response.ok) {
    $('problem').textContent = response.status === 404 ? 'This link is no longer valid: the conference has ended or the invitation was withdrawn.' : 'The details could not be loaded; try again in a moment.';
    $('problem').hidden = false;
    return;
  }
  const join = await response.json();
  document.title = `Join: ${join.subject}`;
  $('subject').textContent = join.subject;
  $('conference-id').textContent = join.conferenceId;
  $('when').textContent = when(join);
  $('organizer').textContent = join.organizer ?? '';
  $('organizer').hidden = $('organizer-label').hidden = !join.organizer;
  $('sip-uri').textContent = join.sipUri;
  $('sip-uri').href = join.sipUri;
  const hasPasscode = Boolean(join.passcode);
  $('passcode').textContent = join.passcode ?? '';
  for (const id of ['passcode', 'passcode-label', 'passcode-hint']) $(id).hidden = !hasPasscode;
  const rows = join.dialIn.map((n) => {
    const tr = document.createElement('tr');
    tr.append(cell(n.display), cell(n.region), cell(n.languages.join(', ')));
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
    if (!name) throw new Error('type your name first');
    const response = await fetch(`/api/v1/join/${encodeURIComponent(invitationId)}/browser-audio`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: name }),
    });
    const json = await response.json().catch(() => null);
    if (!response.ok) throw new Error(json?.error?.message ?? 'parley refused');
    return json;
  }),
);
