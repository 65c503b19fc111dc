import { expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { useParley } from '../support/e2e.js';
import { placeCall } from '../support/sipp.js';

const parley = useParley();

it('a PIN set through the settings API signs the organiser in at the keypad, as leader, without the passcode', async () => {
  const api = parley().api;
  const password = 'correct horse battery';
  const { body: user } = await api('POST', '/api/v1/users', {
    displayName: 'Ann Lee',
    email: 'ann@example.com',
    sipUri: 'sip:ann@example.com',
    extension: '4711',
    region: 'US',
    password,
  });
  const session = (await api('POST', '/api/v1/sessions', { email: 'ann@example.com', password })).body;
  const asAnn = { authorization: `Bearer ${session.token}` };
  expect((await api('PUT', `/api/v1/users/${user.id}/pin`, { pin: '80417' }, asAnn)).status).toBe(200);
  const { body: meeting } = await api('POST', '/api/v1/conferences', { subject: 'Ann’s meeting', passcode: '135790' }, asAnn);

  // One-tap style: the ID, then * to sign in, the extension and the PIN.
  const caller = placeCall({
    keys: [
      { afterMs: 1000, keys: `${meeting.conferenceId}#` },
      { afterMs: 2500, keys: '*' },
      { afterMs: 1500, keys: '4711#' },
      { afterMs: 2500, keys: '80417#' },
    ],
    holdMs: 5000,
  });
  await eventually(async () => {
    const { body } = await api('GET', `/api/v1/conferences/${meeting.id}/participants`, undefined, asAnn);
    expect(body).toMatchObject([{ state: 'connected', displayName: 'Ann Lee', role: 'leader' }]);
  }, 25_000);
  expect((await caller.done).exitCode).toBe(0);
});

it('a wrong PIN is refused at the keypad and the caller never enters', async () => {
  const api = parley().api;
  await api('POST', '/api/v1/users', { displayName: 'Bo', email: 'bo@example.com', sipUri: 'sip:bo@example.com', extension: '4712', region: 'US' });
  const { body: meeting } = await api('POST', '/api/v1/conferences', { subject: 'Guarded', passcode: '246802' });
  const result = await placeCall({
    keys: [{ afterMs: 1000, keys: `${meeting.conferenceId}#*4712#11223#4712#11223#4712#11223#` }],
    holdMs: 30_000,
  }).done;
  expect(result.hungUpByBridge).toBe(true);
  // Refused at the keypad: no roster row, so guessing cannot grow the roster (issue 12, section 5).
  expect((await api('GET', `/api/v1/conferences/${meeting.id}/participants`)).body).toEqual([]);
});
