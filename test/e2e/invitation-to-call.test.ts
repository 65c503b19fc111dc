import ical, { type VEvent } from 'node-ical';
import { expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { useParley } from '../support/e2e.js';
import { placeCall } from '../support/sipp.js';

const parley = useParley();

/** What a phone does with a one-tap link: the number to dial, then the keys after each pause. */
function oneTap(uri: string): { number: string; keys: string[] } {
  const [number, ...keys] = decodeURIComponent(uri.replace(/^tel:\+/, '')).split(',,');
  return { number: number!, keys };
}

it('schedules through the API, and a caller following the invitation lands in that meeting', async () => {
  const api = parley().api;
  const password = 'correct horse battery';
  await api('POST', '/api/v1/users', { displayName: 'Ann Lee', email: 'ann@example.com', sipUri: 'sip:ann@example.com', region: 'US', password });
  const session = (await api('POST', '/api/v1/sessions', { email: 'ann@example.com', password })).body;
  const asAnn = { authorization: `Bearer ${session.token}` };
  const startsAt = new Date(Date.now() + 5 * 60_000).toISOString();
  const created = await api('POST', '/api/v1/conferences', { subject: 'Planning', startsAt, passcode: true, timeZone: 'Europe/Berlin' }, asAnn);
  expect(created.status).toBe(201);

  const ics = await fetch(`${parley().url}/api/v1/conferences/${created.body.id}/invitation.ics`, { headers: asAnn }).then((r) => r.text());
  const event = Object.values(ical.sync.parseICS(ics)).find((c): c is VEvent => c?.type === 'VEVENT')!;
  const uri = /tel:\+[0-9,%A-F]+/.exec(String(event.description))?.[0];
  expect(uri).toBeDefined();
  const { number, keys } = oneTap(uri!);

  const caller = placeCall({ number, keys: keys.map((k, i) => ({ afterMs: i === 0 ? 1000 : 2500, keys: k })), holdMs: 4000 });
  await eventually(async () => {
    const roster = await api('GET', `/api/v1/conferences/${created.body.id}/participants`, undefined, asAnn);
    expect(roster.body).toMatchObject([{ state: 'connected' }]);
  }, 20_000);
  expect((await caller.done).exitCode).toBe(0);
});

it('refuses a meeting’s conference ID before its join window opens', async () => {
  const startsAt = new Date(Date.now() + 24 * 60 * 60_000).toISOString();
  const { body: tomorrow } = await parley().api('POST', '/api/v1/conferences', { subject: 'Tomorrow', startsAt });
  const result = await placeCall({
    keys: [
      { afterMs: 1000, keys: `${tomorrow.conferenceId}#` },
      { afterMs: 4000, keys: `${tomorrow.conferenceId}#` },
      { afterMs: 4000, keys: `${tomorrow.conferenceId}#` },
    ],
    holdMs: 20_000,
  }).done;
  expect(result.hungUpByBridge).toBe(true);
  expect((await parley().api('GET', `/api/v1/conferences/${tomorrow.id}/participants`)).body).toEqual([]);
  // Three tries and the farewell take about 20 s; more on a busy machine.
}, 60_000);
