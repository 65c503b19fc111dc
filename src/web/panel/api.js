// The API as the panel calls it: the signed-in token, errors shown in the page's alert line.
import { $ } from './dom.js';

export const conferenceId = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() ?? '');
export const base = `/api/v1/conferences/${encodeURIComponent(conferenceId)}`;

export const auth = { token: sessionStorage.getItem('parley-token'), onSignedOut: () => {} };

export async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${auth.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.status === 401) auth.onSignedOut();
  return { ok: response.ok, status: response.status, json };
}

export function problem(text) {
  $('problem').textContent = text ?? '';
}

/** A leader's action: the result comes back through the event stream; only a refusal is shown here. */
export async function act(method, path, body) {
  problem('');
  const result = await api(method, path, body);
  if (!result.ok) problem(sentence(result.json?.error?.message) ?? 'That did not work; try again.');
  return result;
}

/** API messages are written lower-case for logs; the page shows them as sentences. */
export function sentence(text) {
  if (!text) return undefined;
  const s = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}
