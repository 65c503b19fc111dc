// The roster's rows and a leader's actions on each: who (name, masked number, how they joined, when),
// how long they have been on, role and state; leaders first, then by join time.
import { button, el, elapsed } from './dom.js';
import { act, base } from './api.js';

/** How an invitation ended, when parley's call did not bring the person in. */
export const OUTCOME_LABEL = { busy: 'Busy', 'no-answer': 'No answer', declined: 'Declined', failed: 'Call failed', cancelled: 'Cancelled', 'not-accepted': 'Did not join' };

const STATE_LABEL = {
  inviting: 'Inviting', ringing: 'Ringing', connecting: 'Joining', lobby: 'In the lobby', connected: 'Connected',
  'on-hold': 'On hold', disconnecting: 'Leaving', disconnected: 'Left',
};

const VIA_LABEL = { phone: 'Phone', 'dial-out': 'Phone, called by parley', voip: 'Browser or SIP device' };

const joinTime = (p) => (p.joinedAt ? Date.parse(p.joinedAt) : Number.MAX_SAFE_INTEGER);


export function sortRoster(list) {
  const rank = (p) => (p.role === 'leader' ? 0 : 1);
  // Not yet joined (lobby, ringing): kept in the order they arrived (the snapshot's order; a stable sort).
  return [...list].sort((a, b) => rank(a) - rank(b) || joinTime(a) - joinTime(b));
}

/** Rows a filter text keeps: by name or by the visible digits of the number. */
export function matches(p, text) {
  const wanted = text.trim().toLowerCase();
  if (!wanted) return true;
  if (p.displayName.toLowerCase().includes(wanted)) return true;
  // Digits alone ("0123", "+1 425") search the visible part of the number.
  return /^[0-9+\s()-]+$/.test(wanted) && (p.number ?? '').replace(/[^0-9]/g, '').includes(wanted.replace(/[^0-9]/g, ''));
}

const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

export function row(p, { leader, you, speaking, onLeave }) {
  const talk = el('span', {
    className: `talk${p.talking ? ' on' : ''}${speaking ? ' star' : ''}`,
    textContent: speaking ? '✺' : '●',
    title: speaking ? 'Speaking now' : p.talking ? 'Sound on this line' : 'Quiet',
  });
  talk.setAttribute('role', 'img');
  talk.setAttribute('aria-label', speaking ? 'speaking now' : p.talking ? (p.muted ? 'talking while muted' : 'sound') : 'quiet');
  const state = p.state === 'disconnected' ? (OUTCOME_LABEL[p.endReason] ?? STATE_LABEL.disconnected) : (STATE_LABEL[p.state] ?? p.state);
  const details = [VIA_LABEL[p.via] ?? p.via, p.number].filter(Boolean).join(' · ');
  const joined = p.joinedAt && p.state !== 'disconnected'
    ? el('span', { className: 'when' }, `joined ${clock.format(new Date(p.joinedAt))}, on for `, duration(p.joinedAt))
    : null;
  const who = el(
    'div',
    { className: 'who' },
    el('span', { className: 'name', textContent: p.displayName + (you ? ' (you)' : '') }),
    ' ',
    el('span', { className: `badge${p.role === 'leader' ? ' leader' : ''}`, textContent: p.role === 'leader' ? 'Leader' : 'Participant' }),
    ' ',
    el('span', { className: `badge state-${p.state}`, textContent: state }),
    p.muted ? el('span', { className: 'badge muted', textContent: p.talking ? 'Muted, talking' : `Muted${p.mutedBy === 'self' ? ' (self)' : ''}` }) : null,
    p.noisy ? el('span', { className: 'badge noisy', textContent: 'Background noise' }) : null,
    el('span', { className: 'details' }, details, joined ? ' · ' : '', joined),
  );
  const li = el('li', { className: speaking ? 'speaking' : '' }, talk, who);
  li.dataset.participant = p.id;
  li.dataset.state = p.state;
  if (leader) li.append(actions(p, you, onLeave));
  return li;
}

function duration(since) {
  const node = el('span', { className: 'duration', textContent: elapsed(since) });
  node.dataset.since = since;
  return node;
}

function actions(p, you, onLeave) {
  const path = `${base}/participants/${p.id}`;
  const name = p.displayName;
  const box = el('div', { className: 'actions' });
  if (p.state === 'inviting' || p.state === 'ringing') {
    box.append(button('Cancel call', () => act('DELETE', path), { ariaLabel: `Cancel call to ${name}` }));
  }
  if (p.state === 'lobby') {
    box.append(button('Admit', () => act('POST', `${base}/lobby/admit`, { participantId: p.id }), { ariaLabel: `Admit ${name}` }));
    box.append(button('Deny', () => act('POST', `${base}/lobby/deny`, { participantId: p.id }), { className: 'danger', ariaLabel: `Deny ${name}` }));
    return box;
  }
  if (p.state === 'connected' || p.state === 'on-hold') {
    box.append(button(p.muted ? 'Unmute' : 'Mute', () => act('PATCH', path, { muted: !p.muted }), { ariaLabel: `${p.muted ? 'Unmute' : 'Mute'} ${name}` }));
    const promote = p.role !== 'leader';
    box.append(button(promote ? 'Make leader' : 'Make participant', () => act('PATCH', path, { role: promote ? 'leader' : 'participant' }), { ariaLabel: `${promote ? 'Make leader' : 'Make participant'}: ${name}` }));
    box.append(
      you
        ? button('Leave', () => onLeave(p), { className: 'danger', ariaLabel: 'Leave the conference' })
        : button('Remove', () => act('DELETE', path), { className: 'danger', ariaLabel: `Remove ${name}` }),
    );
  }
  return box;
}

/** What changed on one line, in words for the live region; undefined for changes nobody needs to hear. */
export function change(before, after) {
  const name = after.displayName;
  if (!before || before.state !== after.state) {
    // Leaving is said once, when it starts (a removed caller hears a last prompt before the line ends).
    const leaving = after.state === 'disconnecting' || after.state === 'disconnected';
    if (leaving && before?.state === 'disconnecting') return undefined;
    if (before?.state === 'lobby' && !leaving && after.state !== 'lobby') return `${name} was admitted`;
    if (after.state === 'connected' && before?.state !== 'on-hold') return `${name} joined`;
    if (after.state === 'lobby') return `${name} is waiting in the lobby`;
    if (leaving) return after.endReason === 'lobby-denied' ? `${name} was turned away` : `${name} left`;
    if (after.state === 'on-hold') return `${name} is on hold`;
  }
  if (before && before.muted !== after.muted) return `${name} ${after.muted ? 'muted' : 'unmuted'}`;
  if (before && before.role !== after.role) return `${name} is now ${after.role === 'leader' ? 'a leader' : 'a participant'}`;
  return undefined;
}
