// The Dial-in Conferencing Settings page: plain DOM and fetch against parley's API, no framework.
'use strict';

const $ = (id) => document.getElementById(id);
let token = sessionStorage.getItem('parley-token');

const UNREACHABLE = 'parley could not be reached. Check your connection and try again.';

/** The API's answer; a network failure or a reply that is not JSON comes back as a problem, never a throw. */
async function api(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch {
    return { ok: false, status: 0, json: { error: { message: UNREACHABLE } } };
  }
  const json = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.status === 401 && path !== '/api/v1/sessions') {
    signedOut();
    showProblems($('sign-in-problems'), [], ['Your session has ended. Sign in again.']);
    $('email').focus();
  }
  return { ok: response.ok, status: response.status, json };
}

function list(element, items) {
  element.replaceChildren(...items.map((text) => Object.assign(document.createElement('li'), { textContent: text })));
}

/** "wrong e-mail address or password" → "Wrong e-mail address or password." */
function sentence(text) {
  const trimmed = String(text).trim();
  if (!trimmed) return trimmed;
  const capital = trimmed[0].toLocaleUpperCase('en') + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

function problemsOf(json) {
  const problems = json?.error?.problems;
  const messages = problems?.length ? problems.map((p) => p.message) : [json?.error?.message ?? 'Something went wrong. Try again.'];
  return messages.map(sentence);
}

function showProblems(element, inputs, problems) {
  list(element, problems);
  for (const input of inputs) input.setAttribute('aria-invalid', String(problems.length > 0));
}

function signedOut(message) {
  token = null;
  window.parleyUser = undefined;
  sessionStorage.removeItem('parley-token');
  $('settings').hidden = true;
  $('sign-in').hidden = false;
  $('reset-id-done').textContent = $('pin-done').textContent = '';
  if ($('reset-dialog').open) $('reset-dialog').close();
  if (message) {
    $('page-status').textContent = message;
    $('email').focus();
  }
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

/** "English (United States)" for en-US; the code itself where the browser has no name for it. */
function languageName(code) {
  try {
    return new Intl.DisplayNames([document.documentElement.lang || 'en'], { type: 'language', languageDisplay: 'standard' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function numberRow(n) {
  const row = document.createElement('tr');
  const cells = [['Region', n.region], ['Number', n.display], ['Languages', n.languages.map(languageName).join(', ')]];
  for (const [label, text] of cells) {
    const cell = Object.assign(document.createElement('td'), { textContent: text });
    cell.dataset.label = label;
    row.append(cell);
  }
  return row;
}

async function load() {
  const [me, numbers, policy] = await Promise.all([api('GET', '/api/v1/me'), api('GET', '/api/v1/access-numbers'), api('GET', '/api/v1/pin-policy')]);
  if (!me.ok) {
    if (me.status !== 401) {
      signedOut();
      showProblems($('sign-in-problems'), [], problemsOf(me.json));
    }
    return false;
  }
  $('sign-in').hidden = true;
  $('settings').hidden = false;
  $('who').textContent = `${me.json.displayName} (${me.json.email})`;
  $('conference-id').textContent = me.json.assignedConferenceId;
  showPinStatus(me.json);
  if (policy.ok) list($('pin-rules'), policy.json.rules);
  $('numbers').replaceChildren(...(numbers.ok ? numbers.json : []).map(numberRow));
  window.parleyUser = me.json;
  return true;
}

$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const inputs = [$('email'), $('password')];
  const missing = [...(!$('email').value.trim() ? ['Enter your e-mail address.'] : []), ...(!$('password').value ? ['Enter your password.'] : [])];
  if (missing.length) return showProblems($('sign-in-problems'), inputs, missing);
  const { ok, json } = await api('POST', '/api/v1/sessions', { email: $('email').value.trim(), password: $('password').value });
  if (!ok) return showProblems($('sign-in-problems'), inputs, problemsOf(json));
  showProblems($('sign-in-problems'), inputs, []);
  token = json.token;
  sessionStorage.setItem('parley-token', token);
  $('password').value = '';
  if (await load()) {
    $('page-status').textContent = `You are signed in as ${json.user?.displayName ?? $('who').textContent}.`;
    $('who-line').focus();
  }
});

$('sign-out').addEventListener('click', async () => {
  await api('DELETE', '/api/v1/sessions/current');
  signedOut('You are signed out.');
});

// Resetting asks first, in a modal dialog: the old ID stops working. Its default button keeps the ID.
$('reset-id').addEventListener('click', () => {
  $('reset-old').textContent = $('conference-id').textContent;
  $('reset-id-done').textContent = '';
  list($('reset-id-problems'), []);
  $('reset-dialog').returnValue = '';
  $('reset-dialog').showModal();
  $('reset-cancel').focus();
});

$('reset-dialog').addEventListener('close', async () => {
  const dialog = $('reset-dialog');
  if (!window.parleyUser) return;
  $('reset-id').focus();
  if (dialog.returnValue !== 'reset') {
    $('reset-id-done').textContent = `Your conference ID is still ${$('conference-id').textContent}.`;
    return;
  }
  const old = $('conference-id').textContent;
  const { ok, json } = await api('POST', `/api/v1/users/${window.parleyUser.id}/assigned-conference-id`);
  if (!ok) return list($('reset-id-problems'), problemsOf(json));
  $('conference-id').textContent = json.assignedConferenceId;
  $('reset-id-done').textContent = `Your new conference ID is ${json.assignedConferenceId}. ${old} no longer works; meetings you schedule from now on use the new ID.`;
});

$('pin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const inputs = [$('pin'), $('pin-again')];
  $('pin-done').textContent = '';
  if (!$('pin').value) return showProblems($('pin-problems'), inputs, ['Enter a new PIN.']);
  if ($('pin').value !== $('pin-again').value) return showProblems($('pin-problems'), inputs, ['The two PINs differ. Type the same PIN twice.']);
  const { ok, json } = await api('PUT', `/api/v1/users/${window.parleyUser.id}/pin`, { pin: $('pin').value });
  if (!ok) return showProblems($('pin-problems'), inputs, problemsOf(json));
  showProblems($('pin-problems'), inputs, []);
  $('pin').value = $('pin-again').value = '';
  $('pin-done').textContent = 'Your PIN is set.';
  showPinStatus(json);
});

if (token) load();
