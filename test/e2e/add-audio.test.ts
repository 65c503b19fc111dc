// "Add audio to a conversation" on the real Asterisk: the IM side turns a three-person conversation
// into a conference. SIPp user-agent servers play the phones (test/support/sipp-phones.ts: the last
// three digits say what a phone does; 200 answers, 201 rings 3 s then answers, 480 never answers).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roster } from '../support/attendant-e2e.js';
import { launchChromium } from '../support/browser.js';
import { useParley } from '../support/e2e.js';
import { eventually } from '../support/eventually.js';
import { startPhones, type Phones } from '../support/sipp-phones.js';
import { placeCall } from '../support/sipp.js';

// Invitations nobody answers end after 8 s here (120 s by default).
const parley = useParley({ NAME_RECORDING_SECONDS: '0', INVITATION_SECONDS: '8' });
let phones: Phones;
const people: Record<string, { id: string; auth: Record<string, string> }> = {};
const numbers = { ann: '+14255550200', bo: '+15035550200', cy: '+16175550200', cyRedirect: '+12065550201', di: '+17185550200' };

beforeAll(async () => {
  phones = await startPhones();
  const users = {
    ann: { displayName: 'Ann Lee', phones: { mobile: numbers.ann } },
    bo: { displayName: 'Bo Chen', phones: { work: numbers.bo } },
    cy: { displayName: 'Cy Diaz', phones: { work: numbers.cy } },
    di: { displayName: 'Di Wu', phones: { work: numbers.di } },
  };
  for (const [name, user] of Object.entries(users)) {
    const password = `${name} add audio password`;
    const created = await parley().api('POST', '/api/v1/users', { ...user, email: `${name}@example.com`, sipUri: `sip:${name}@example.com`, region: 'US', password });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const session = await parley().api('POST', '/api/v1/sessions', { email: `${name}@example.com`, password });
    people[name] = { id: (created.body as { id: string }).id, auth: { authorization: `Bearer ${(session.body as { token: string }).token}` } };
  }
}, 30_000);
afterAll(async () => {
  await phones?.stop();
});

interface Invitation {
  readonly id: string;
  readonly displayName: string;
  readonly state: string;
  readonly joinUrl: string;
}

/** What a phone does with a one-tap link: the number to dial, then the keys after each pause. */
function oneTap(uri: string): { number: string; keys: string[] } {
  const [number, ...keys] = decodeURIComponent(uri.replace(/^tel:\+/, '')).split(',,');
  return { number: number!, keys };
}

describe('add audio to a conversation', () => {
  it('calls the requester in as leader; one invitee declines, one redirects to another phone, a guest dials in from the join page', async () => {
    const made = await parley().api(
      'POST',
      '/api/v1/audio-conferences',
      { conversationId: 'im-e2e', callMe: { published: 'mobile' }, participants: [{ userId: people.bo!.id }, { userId: people.cy!.id }, { userId: people.di!.id }, { email: 'pat@contoso.example', displayName: 'Pat' }] },
      people.ann!.auth,
    );
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const { conference, invitations } = made.body as { conference: { id: string; conferenceId: string; passcode: string }; invitations: Invitation[] };
    const [bo, cy, di, pat] = invitations;
    expect(invitations.map((i) => [i.displayName, i.state])).toEqual([['Bo Chen', 'pending'], ['Cy Diaz', 'pending'], ['Di Wu', 'pending'], ['Pat', 'sent']]);

    // The requester's phone rings at once and they are in as the leader, without "press 1".
    await eventually(async () => expect((await roster(parley(), conference.id)).find((p) => p.displayName === 'Ann Lee')).toMatchObject({ state: 'connected', role: 'leader' }), 15_000);
    expect(phones.events(numbers.ann).slice(0, 2)).toEqual(['ringing', 'answered']);

    // Bo declines: his phone never rings. Cy redirects to the phone in front of her, which rings and connects.
    expect((await parley().api('PUT', `/api/v1/invitations/${bo!.id}/response`, { answer: 'decline' }, people.bo!.auth)).body).toMatchObject({ state: 'declined' });
    expect((await parley().api('PUT', `/api/v1/invitations/${cy!.id}/response`, { answer: 'redirect', phone: numbers.cyRedirect }, people.cy!.auth)).body).toMatchObject({ state: 'redirected' });
    await eventually(async () => expect((await roster(parley(), conference.id)).find((p) => p.displayName === 'Cy Diaz')).toMatchObject({ state: 'ringing' }), 5000, 50);
    await eventually(async () => expect((await roster(parley(), conference.id)).find((p) => p.displayName === 'Cy Diaz')).toMatchObject({ state: 'connected', role: 'participant' }), 15_000);
    expect(phones.events(numbers.cyRedirect).slice(0, 2)).toEqual(['ringing', 'answered']);

    // The guest opens the join link, taps Call, and lands in the conference with the passcode it gave.
    const browser = await launchChromium();
    let tel: string;
    try {
      const page = await browser.newPage();
      await page.goto(pat!.joinUrl.replace(/^https?:\/\/[^/]+/, parley().url));
      await page.locator('#details').waitFor();
      expect(await page.textContent('#conference-id')).toBe(conference.conferenceId);
      expect(await page.textContent('#passcode')).toBe(conference.passcode);
      tel = (await page.locator('a.tap').first().getAttribute('href'))!;
    } finally {
      await browser.close();
    }
    const { number, keys } = oneTap(tel);
    const guest = placeCall({ number, keys: keys.map((k, i) => ({ afterMs: i === 0 ? 1000 : 2500, keys: k })), holdMs: 60_000 });
    await eventually(async () => expect((await roster(parley(), conference.id)).filter((p) => p.state === 'connected')).toHaveLength(3), 20_000);

    // Di never answers: the invitation ends by itself, and her phone was never rung.
    await eventually(async () => expect((await parley().api('GET', `/api/v1/invitations/${di!.id}`, undefined, people.di!.auth)).body).toMatchObject({ state: 'expired' }), 15_000);
    const listed = (await parley().api('GET', `/api/v1/conferences/${conference.id}/invitations`, undefined, people.ann!.auth)).body as Invitation[];
    expect(listed.map((i) => i.state)).toEqual(['declined', 'redirected', 'expired', 'sent']);
    for (const unrung of [numbers.bo, numbers.cy, numbers.di]) expect(phones.events(unrung), unrung).toEqual([]);

    // The leader ends the call: every phone is hung up. Cancelling the meeting withdraws the guest's link.
    expect((await parley().api('DELETE', `/api/v1/conferences/${conference.id}/participants`, undefined, people.ann!.auth)).status).toBe(200);
    await eventually(() => {
      expect(phones.events(numbers.ann)).toContain('bye');
      expect(phones.events(numbers.cyRedirect)).toContain('bye');
    }, 15_000);
    expect((await guest.done).hungUpByBridge).toBe(true);
    expect((await parley().api('DELETE', `/api/v1/conferences/${conference.id}`, undefined, people.ann!.auth)).status).toBe(200);
    expect((await parley().api('GET', `/api/v1/join/${pat!.id}`)).status).toBe(404);
  }, 120_000);
});
