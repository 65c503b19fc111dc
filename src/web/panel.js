// The leader's live panel: a snapshot, then the conference's event stream (resumed by sequence number
// after any blip), rendered as a roster with the actions a leader may take. Plain DOM, no framework.
'use strict';

const $ = (id) => document.getElementById(id);
const conferenceId = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() ?? '');
const base = `/api/v1/conferences/${encodeURIComponent(conferenceId)}`;
let token = sessionStorage.getItem('parley-token');

const state = { seq: 0, access: 'participant', conference: null, dialIn: [], participants: new Map(), you: new Set(), ended: false };

/** How an invitation ended, when parley's call did not bring the person in. */
const OUTCOME_LABEL = { busy: 'Busy', 'no-answer': 'No answer', declined: 'Declined', failed: 'Call failed', cancelled: 'Cancelled', 'not-accepted': 'Did not join' };

const STATE_LABEL = {
  inviting: 'Inviting', ringing: 'Ringing', connecting: 'Joining', lobby: 'In the lobby', connected: 'Connected',
  'on-hold': 'On hold', disconnecting: 'Leaving', disconnected: 'Left',
};

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.status === 401) signedOut();
  return { ok: response.ok, status: response.status, json };
}

function problem(text) {
  $('problem').textContent = text ?? '';
}

async function act(method, path, body) {
  problem('');
  const result = await api(method, path, body);
  if (!result.ok) problem(result.json?.error?.message ?? 'That did not work; try again.');
  return result;
}

function signedOut() {
  token = null;
  sessionStorage.removeItem('parley-token');
  $('panel').hidden = true;
  $('sign-in').hidden = false;
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
  if (type === 'snapshot') return applySnapshot(data);
  if (data.seq <= state.seq) return; // already in the snapshot
  state.seq = data.seq;
  if (type === 'participant') {
    const before = state.participants.get(data.participant.id);
    state.participants.set(data.participant.id, data.participant);
    // Promoted or demoted on our own line: what we may do changed; the server says what it is now.
    if (state.you.has(data.participant.id) && before && before.role !== data.participant.role) void refreshAccess();
  }
  if (type === 'conference') Object.assign(state.conference, data.conference);
  if (type === 'session') state.ended = Boolean(data.session.ended);
  if (type === 'recording') state.conference.recording = data.recording.recording;
}

async function stream() {
  let delay = 1000;
  for (;;) {
    try {
      const response = await fetch(`${base}/events`, {
        headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', 'last-event-id': String(state.seq) },
      });
      if (response.status === 401) return signedOut();
      if (!response.ok || !response.body) throw new Error(`stream ${response.status}`);
      connection(true);
      delay = 1000;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (type && data) {
            apply(type, JSON.parse(data));
            scheduleRender();
          }
        }
      }
    } catch {
      // A network blip: reconnect below and resume after state.seq.
    }
    connection(false);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 10_000);
  }
}

function connection(up) {
  const el = $('connection');
  el.textContent = up ? 'Live' : 'Reconnecting…';
  el.classList.toggle('down', !up);
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

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

function button(label, onClick, extra = {}) {
  return el('button', { type: 'button', textContent: label, onclick: onClick, ...extra });
}

function render() {
  const c = state.conference;
  if (!c) return;
  const leader = state.access === 'leader';
  document.title = `${c.subject} · conference control`;
  $('subject').textContent = c.subject;
  $('conference-id').textContent = c.conferenceId;
  $('dial-in').replaceChildren(...state.dialIn.map((n) => el('li', { textContent: `${n.display} (${n.region}; ${n.languages.join(', ')})` })));

  const flags = [c.recording && '● Recording', c.locked && 'Locked', c.audienceMuted && 'Audience muted', state.ended && 'Ended'].filter(Boolean);
  $('flags').replaceChildren(...flags.map((f) => el('span', { textContent: f })));
  $('leader-bar').hidden = !leader;
  $('call-form').hidden = !leader;
  setPressed($('lock'), c.locked, c.locked ? 'Unlock' : 'Lock');
  setPressed($('audience'), c.audienceMuted, c.audienceMuted ? 'Unmute audience' : 'Mute audience');
  setPressed($('record'), c.recording, c.recording ? 'Stop recording' : 'Record');

  // Calls parley placed that did not bring someone in stay listed with how they ended.
  const live = [...state.participants.values()].filter((p) => p.state !== 'disconnected' || (p.endReason in OUTCOME_LABEL && !p.joinedAt));
  const waiting = live.filter((p) => p.state === 'lobby');
  $('admit-all').hidden = !leader || waiting.length === 0;
  $('admit-all').textContent = `Admit everyone waiting (${waiting.length})`;
  $('count').textContent = String(live.filter((p) => p.state === 'connected' || p.state === 'on-hold').length);
  $('roster').replaceChildren(...live.map((p) => row(p, leader, c.activeSpeakerId === p.id)));
}

function setPressed(btn, pressed, label) {
  btn.setAttribute('aria-pressed', String(pressed));
  btn.textContent = label;
}

function row(p, leader, speaking) {
  const you = state.you.has(p.id);
  const talk = el('span', {
    className: `talk${p.talking ? ' on' : ''}${speaking ? ' star' : ''}`,
    textContent: speaking ? '✺' : '●',
    title: speaking ? 'Speaking now' : p.talking ? 'Sound on this line' : 'Quiet',
  });
  talk.setAttribute('aria-label', speaking ? 'speaking now' : p.talking ? (p.muted ? 'talking while muted' : 'sound') : 'quiet');
  const who = el(
    'div',
    { className: 'who' },
    el('span', { className: 'name', textContent: p.displayName + (you ? ' (you)' : '') }),
    ' ',
    el('span', { className: `badge${p.role === 'leader' ? ' leader' : ''}`, textContent: p.role === 'leader' ? 'Leader' : 'Participant' }),
    ' ',
    el('span', {
      className: `badge state-${p.state}`,
      textContent: p.state === 'disconnected' ? (OUTCOME_LABEL[p.endReason] ?? STATE_LABEL.disconnected) : (STATE_LABEL[p.state] ?? p.state),
    }),
    p.muted ? el('span', { className: 'badge muted', textContent: p.talking ? 'Muted, talking' : `Muted${p.mutedBy === 'self' ? ' (self)' : ''}` }) : null,
    p.noisy ? el('span', { className: 'badge noisy', textContent: 'Background noise' }) : null,
  );
  const li = el('li', { className: speaking ? 'speaking' : '' }, talk, who);
  li.dataset.participant = p.id;
  li.dataset.state = p.state;
  if (leader) li.append(actions(p, you));
  return li;
}

function actions(p, you) {
  const path = `${base}/participants/${p.id}`;
  const name = p.displayName;
  const box = el('div', { className: 'actions' });
  if (p.state === 'inviting' || p.state === 'ringing') {
    box.append(button('Cancel call', () => act('DELETE', path), { ariaLabel: `Cancel the call to ${name}` }));
  }
  if (p.state === 'lobby') box.append(button('Admit', () => act('POST', `${base}/lobby/admit`, { participantId: p.id }), { ariaLabel: `Admit ${name}` }));
  if (p.state === 'connected' || p.state === 'on-hold') {
    box.append(button(p.muted ? 'Unmute' : 'Mute', () => act('PATCH', path, { muted: !p.muted }), { ariaLabel: `${p.muted ? 'Unmute' : 'Mute'} ${name}` }));
  }
  if (p.state === 'connected' || p.state === 'on-hold' || p.state === 'lobby') {
    const promote = p.role !== 'leader';
    box.append(button(promote ? 'Make leader' : 'Make participant', () => act('PATCH', path, { role: promote ? 'leader' : 'participant' }), { ariaLabel: `${promote ? 'Promote' : 'Demote'} ${name}` }));
    box.append(
      you
        ? button('Leave', () => leave(p), { className: 'danger', ariaLabel: 'Leave the conference' })
        : button('Remove', () => act('DELETE', path), { className: 'danger', ariaLabel: `Remove ${name}` }),
    );
  }
  return box;
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
  scheduleRender();
}

// --- start ---

async function load() {
  const result = await api('GET', `${base}/live`);
  if (result.status === 401) return;
  $('sign-in').hidden = true;
  $('panel').hidden = false;
  if (!result.ok) return problem(result.json?.error?.message ?? 'This conference cannot be shown.');
  applySnapshot(result.json);
  render();
  void stream();
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
$('end').addEventListener('click', () => {
  if (confirm('End the conference for everyone? Every caller is told and hung up.')) void act('DELETE', `${base}/participants`);
});
$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const response = await fetch('/api/v1/sessions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: $('email').value, password: $('password').value }),
  });
  const json = await response.json();
  if (!response.ok) {
    $('sign-in-problem').textContent = json?.error?.message ?? 'Could not sign in.';
    return;
  }
  token = json.token;
  sessionStorage.setItem('parley-token', token);
  void load();
});

if (token) void load();
else signedOut();
