// The live panel of one conference: a snapshot, then the event stream, rendered as the lobby and the roster
// with the actions a leader may take. Three pages: sign-in, "not in this meeting" and the panel itself.
import { $, announce, el, elapsed, tickDurations } from './dom.js';
import { act, api, auth, base, problem, sentence } from './api.js';
import { stream } from './stream.js';
import { change, matches, OUTCOME_LABEL, row, sortRoster } from './roster.js';

/** From this many lines on, the roster gets a filter box (rooms hold up to 250 and more). */
const FILTER_FROM = 12;

const state = { seq: 0, access: 'participant', conference: null, dialIn: [], participants: new Map(), you: new Set(), ended: false };

function show(page) {
  for (const id of ['sign-in', 'stranger', 'panel']) $(id).hidden = id !== page;
}

function signedOut(message = '') {
  auth.token = null;
  sessionStorage.removeItem('parley-token');
  show('sign-in');
  $('page-status').textContent = message;
}
auth.onSignedOut = () => signedOut('Your session ended; sign in again.');

async function signOut() {
  await api('DELETE', '/api/v1/sessions/current');
  signedOut('You are signed out.');
  $('email').focus();
}

function stranger(reason) {
  show('stranger');
  $('stranger-reason').textContent = reason;
  $('stranger-heading').focus();
}

// --- state from the API and the stream ---

function applySnapshot(view) {
  state.seq = view.seq;
  state.access = view.access;
  state.conference = view.conference;
  state.dialIn = view.dialIn;
  state.you = new Set(view.you);
  state.participants = new Map(view.participants.map((p) => [p.id, p]));
}

function apply(type, data) {
  if (type === 'revoked') return stranger('You no longer have access to this meeting.');
  if (type === 'snapshot') return applySnapshot(data);
  if (data.seq <= state.seq) return; // already in the snapshot
  state.seq = data.seq;
  if (type === 'participant') {
    const before = state.participants.get(data.participant.id);
    state.participants.set(data.participant.id, data.participant);
    const said = change(before, data.participant);
    if (said) announce(said);
    // Promoted or demoted on our own line: what we may do changed; the server says what it is now.
    if (state.you.has(data.participant.id) && before && before.role !== data.participant.role) void refreshAccess();
  }
  if (type === 'conference') {
    const c = state.conference;
    if (c.locked !== data.conference.locked) announce(data.conference.locked ? 'Conference locked' : 'Conference unlocked');
    if (c.audienceMuted !== data.conference.audienceMuted) announce(data.conference.audienceMuted ? 'Audience muted' : 'Audience unmuted');
    Object.assign(c, data.conference);
  }
  if (type === 'session') state.ended = Boolean(data.session.ended);
  if (type === 'recording') {
    state.conference.recording = data.recording.recording;
    state.conference.recordingSince = data.recording.recording ? data.at : null;
    announce(data.recording.recording ? 'Recording started' : 'Recording stopped');
  }
}

// --- rendering ---

let renderQueued = false;
function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    render();
  });
}

function render() {
  const c = state.conference;
  if (!c) return;
  const leader = state.access === 'leader';
  document.title = `${c.subject} · conference control`;
  $('subject').textContent = c.subject;
  $('conference-id').textContent = c.conferenceId;
  $('dial-in').replaceChildren(...state.dialIn.map((n) => el('li', { textContent: `${n.display} (${n.region}; ${n.languages.join(', ')})` })));
  $('passcode-line').hidden = !leader || !c.passcode;
  $('passcode').textContent = c.passcode ?? '';

  const since = el('span', { className: 'duration', textContent: c.recordingSince ? elapsed(c.recordingSince) : '' });
  if (c.recordingSince) since.dataset.since = c.recordingSince;
  const flags = [c.recording && ['● Recording ', since], c.locked && ['Locked'], c.audienceMuted && ['Audience muted'], state.ended && ['Ended']].filter(Boolean);
  $('flags').replaceChildren(...flags.map((f) => el('span', {}, ...f)));
  $('leader-bar').hidden = !leader;
  // "Call me" for a leader not on the call (nor being called): parley dials their own number.
  $('call-me').hidden = !leader || [...state.participants.values()].some((p) => state.you.has(p.id) && p.state !== 'disconnected');
  $('call-form').hidden = !leader;
  setPressed($('lock'), c.locked, c.locked ? 'Unlock' : 'Lock');
  setPressed($('audience'), c.audienceMuted, c.audienceMuted ? 'Unmute audience' : 'Mute audience');
  setPressed($('record'), c.recording, c.recording ? 'Stop recording' : 'Record');

  // Calls parley placed that did not bring someone in stay listed with how they ended.
  const live = sortRoster([...state.participants.values()].filter((p) => p.state !== 'disconnected' || (p.endReason in OUTCOME_LABEL && !p.joinedAt)));
  const waiting = live.filter((p) => p.state === 'lobby');
  const others = live.filter((p) => p.state !== 'lobby');
  const options = (p) => ({ leader, you: state.you.has(p.id), speaking: c.activeSpeakerId === p.id, onLeave: leave });
  $('lobby').hidden = waiting.length === 0;
  $('lobby-count').textContent = String(waiting.length);
  $('admit-all').hidden = !leader;
  $('lobby-list').replaceChildren(...waiting.map((p) => row(p, options(p))));

  $('filter-box').hidden = others.length < FILTER_FROM;
  const text = $('filter-box').hidden ? '' : $('filter').value;
  const shown = others.filter((p) => matches(p, text));
  $('count').textContent = String(live.filter((p) => p.state === 'connected' || p.state === 'on-hold').length);
  $('filter-count').textContent = text.trim() ? `${shown.length} of ${others.length} shown` : '';
  $('roster').replaceChildren(...shown.map((p) => row(p, options(p))));
}

function setPressed(btn, pressed, label) {
  btn.setAttribute('aria-pressed', String(pressed));
  btn.textContent = label;
}

/** The seed's rule: the last leader leaving while others remain is asked to promote someone first. */
async function leave(me) {
  const others = [...state.participants.values()].filter((p) => p.id !== me.id && p.state === 'connected');
  const leaders = others.filter((p) => p.role === 'leader');
  if (others.length > 0 && leaders.length === 0) {
    const dialog = $('promote-dialog');
    $('promote-choice').replaceChildren(...others.map((p) => el('option', { value: p.id, textContent: p.displayName })));
    dialog.showModal();
    const choice = await new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue), { once: true }));
    if (choice === 'cancel' || choice === '') return;
    if (choice === 'promote') await act('PATCH', `${base}/participants/${$('promote-choice').value}`, { role: 'leader' });
  }
  await act('DELETE', `${base}/participants/${me.id}`);
}

async function refreshAccess() {
  const result = await api('GET', `${base}/live`);
  if (!result.ok) return;
  state.access = result.json.access;
  state.conference.passcode = result.json.conference.passcode;
  scheduleRender();
}

// --- start ---

async function load() {
  const result = await api('GET', `${base}/live`);
  if (result.status === 401) return;
  if (result.status === 403 || result.status === 404) {
    return stranger(`${result.status === 404 ? 'There is no such meeting, or' : 'You are signed in, but'} you are not a leader or participant of this meeting, so its roster cannot be shown to you.`);
  }
  if (!result.ok) return stranger(sentence(result.json?.error?.message) ?? 'This conference cannot be shown now; try again later.');
  applySnapshot(result.json);
  show('panel');
  render();
  void stream(state, (type, data) => {
    apply(type, data);
    scheduleRender();
  });
}

void import('/browser-audio.js').then(({ attachBrowserAudio }) =>
  attachBrowserAudio(async () => {
    const result = await api('POST', `${base}/browser-audio`);
    if (!result.ok) throw new Error(result.json?.error?.message ?? 'parley refused');
    return result.json;
  }),
);
$('lock').addEventListener('click', () => act('PATCH', base, { locked: !state.conference.locked }));
$('audience').addEventListener('click', () => act('PATCH', base, { audienceMuted: !state.conference.audienceMuted }));
$('record').addEventListener('click', () => act(state.conference.recording ? 'DELETE' : 'PUT', `${base}/recording`));
$('call-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const result = await act('POST', `${base}/participants`, { phone: $('call-number').value });
  if (result.ok) $('call-number').value = '';
});
$('admit-all').addEventListener('click', () => act('POST', `${base}/lobby/admit`, {}));
$('call-me').addEventListener('click', async () => {
  const result = await act('POST', `${base}/call-me`, {});
  if (!result.ok) return;
  state.you.add(result.json.id);
  announce('Calling you now. Answer your phone to join.');
  scheduleRender();
});
$('end').addEventListener('click', () => {
  if (confirm('End the conference for everyone? Every caller is told and hung up.')) void act('DELETE', `${base}/participants`);
});
$('show-passcode').addEventListener('click', () => {
  const open = $('show-passcode').getAttribute('aria-expanded') !== 'true';
  $('show-passcode').setAttribute('aria-expanded', String(open));
  $('show-passcode').textContent = open ? 'Hide passcode' : 'Show passcode';
  $('passcode').hidden = !open;
});
$('filter').addEventListener('input', () => scheduleRender());
$('sign-out').addEventListener('click', () => void signOut());
$('switch-user').addEventListener('click', () => void signOut());
$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const response = await fetch('/api/v1/sessions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: $('email').value, password: $('password').value }),
  });
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    $('sign-in-problem').textContent = sentence(json?.error?.message) ?? 'Could not sign in.';
    return;
  }
  $('sign-in-problem').textContent = '';
  auth.token = json.token;
  sessionStorage.setItem('parley-token', auth.token);
  void load();
});
setInterval(tickDurations, 1000);

if (auth.token) void load();
else signedOut();
