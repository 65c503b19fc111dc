// The Dial-in Conferencing Settings page: plain DOM and fetch against parley's API, no framework.
'use strict';

const $ = (id) => document.getElementById(id);
let token = sessionStorage.getItem('parley-token');

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = response.status === 204 ? null : await response.json();
  if (response.status === 401 && path !== '/api/v1/sessions') signedOut();
  return { ok: response.ok, json };
}

function list(element, items) {
  element.replaceChildren(...items.map((text) => Object.assign(document.createElement('li'), { textContent: text })));
}

function problemsOf(json) {
  const problems = json?.error?.problems;
  return problems?.length ? problems.map((p) => p.message) : [json?.error?.message ?? 'Something went wrong; try again.'];
}

function signedOut() {
  token = null;
  sessionStorage.removeItem('parley-token');
  $('settings').hidden = true;
  $('sign-in').hidden = false;
}

function showPinStatus(user) {
  const status = $('pin-status');
  if (user.pinLockedOut) {
    status.textContent = 'Your PIN is locked after too many wrong tries: ask an administrator to unlock it, or set a new PIN.';
  } else if (user.pinLockedUntil && new Date(user.pinLockedUntil) > new Date()) {
    status.textContent = `Your PIN is locked out after too many wrong tries, until ${new Date(user.pinLockedUntil).toLocaleString()}. Set a new PIN to unlock it.`;
  } else if (user.hasPin) {
    status.textContent = `Your PIN is set (since ${new Date(user.pinSetAt).toLocaleDateString()}).`;
  } else {
    status.textContent = 'You have no PIN yet. Set one to join as yourself by phone.';
  }
}

async function load() {
  const [me, numbers, policy] = await Promise.all([api('GET', '/api/v1/me'), api('GET', '/api/v1/access-numbers'), api('GET', '/api/v1/pin-policy')]);
  if (!me.ok) return signedOut();
  $('sign-in').hidden = true;
  $('settings').hidden = false;
  $('who').textContent = `${me.json.displayName} (${me.json.email})`;
  $('conference-id').textContent = me.json.assignedConferenceId;
  showPinStatus(me.json);
  if (policy.ok) list($('pin-rules'), policy.json.rules);
  $('numbers').replaceChildren(
    ...(numbers.ok ? numbers.json : []).map((n) => {
      const row = document.createElement('tr');
      for (const text of [n.region, n.display, n.languages.map(languageName).join(', ')]) row.append(Object.assign(document.createElement('td'), { textContent: text }));
      return row;
    }),
  );
  window.parleyUser = me.json;
}

$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const { ok, json } = await api('POST', '/api/v1/sessions', { email: $('email').value, password: $('password').value });
  if (!ok) return list($('sign-in-problems'), problemsOf(json));
  list($('sign-in-problems'), []);
  token = json.token;
  sessionStorage.setItem('parley-token', token);
  await load();
});

$('sign-out').addEventListener('click', async () => {
  await api('DELETE', '/api/v1/sessions/current');
  signedOut();
});

/** "English (United States)" for en-US; the code itself where the browser has no name for it. */
function languageName(code) {
  try {
    return new Intl.DisplayNames([document.documentElement.lang || 'en'], { type: 'language', languageDisplay: 'standard' }).of(code) ?? code;
  } catch {
    return code;
  }
}

$('reset-id').addEventListener('click', async () => {
  const old = $('conference-id').textContent;
  const sure = window.confirm(`Reset your conference ID? ${old} stops working at once: people with invitations that give it will not get into your meetings until you send new ones.`);
  if (!sure) return;
  const { ok, json } = await api('POST', `/api/v1/users/${window.parleyUser.id}/assigned-conference-id`);
  if (!ok) return ($('reset-id-done').textContent = problemsOf(json).join(' '));
  $('conference-id').textContent = json.assignedConferenceId;
  $('reset-id-done').textContent = 'Your new conference ID is ready. Meetings you schedule from now on use it.';
});

$('pin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('pin-done').textContent = '';
  if ($('pin').value !== $('pin-again').value) return list($('pin-problems'), ['The two PINs differ.']);
  const { ok, json } = await api('PUT', `/api/v1/users/${window.parleyUser.id}/pin`, { pin: $('pin').value });
  if (!ok) return list($('pin-problems'), problemsOf(json));
  list($('pin-problems'), []);
  $('pin').value = $('pin-again').value = '';
  $('pin-done').textContent = 'Your PIN is set.';
  showPinStatus(json);
});

if (token) load();
