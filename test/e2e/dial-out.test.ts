// Dial-out on the real Asterisk: a leader has parley call people in through the gateway. A SIPp
// user-agent server plays the phone network (busy, decline, no answer, answer, answer late, voicemail).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { meeting, roster, type Participant } from '../support/attendant-e2e.js';
import { useParley } from '../support/e2e.js';
import { eventually } from '../support/eventually.js';
import { startPhones, type Phones } from '../support/sipp-phones.js';
import { rosterNumber } from '../../src/directory/roster-number.js';

const parley = useParley();
let phones: Phones;
let ann: Record<string, string>;

interface Invited extends Participant {
  readonly endReason: string | null;
}

beforeAll(async () => {
  phones = await startPhones();
  const password = 'dial out password 1';
  const created = await parley().api('POST', '/api/v1/users', { displayName: 'Ann Lee', email: 'ann@example.com', sipUri: 'sip:ann@example.com', region: 'US', password });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const session = await parley().api('POST', '/api/v1/sessions', { email: 'ann@example.com', password });
  ann = { authorization: `Bearer ${(session.body as { token: string }).token}` };
  // Unanswered invitations give up after 6 s here (30 s by default).
  expect((await parley().api('PATCH', '/api/v1/policies', { dialOut: { ringSeconds: 6 } })).status).toBe(200);
}, 30_000);
afterAll(async () => {
  await phones?.stop();
});

const invite = (meetingId: string, phone: string, extra: object = {}) =>
  parley().api('POST', `/api/v1/conferences/${meetingId}/participants`, { phone, ...extra }, ann);
/** An invitation made without a name is on the roster under its masked number (never the whole number). */
const byNumber = async (meetingId: string, number: string) =>
  ((await roster(parley(), meetingId)) as Invited[]).find((p) => p.displayName === rosterNumber(number));

describe('dial-out', () => {
  it('shows each invitation on the roster from inviting to its outcome; the person who presses 1 joins', async () => {
    const m = await meeting(parley(), { leaders: ['ann@example.com'] });
    const numbers = { busy: '+14255550486', declined: '+14255550603', noAnswer: '+14255550480', late: '+14255550201', voicemail: '+14255550202' };
    const placed = await Promise.all(Object.values(numbers).map((n) => invite(m.id, n)));
    for (const response of placed) expect(response).toMatchObject({ status: 201, body: { state: 'inviting', endReason: null } });

    // The late answerer rings on the roster before answering.
    await eventually(async () => expect((await byNumber(m.id, numbers.late))?.state).toBe('ringing'), 5000, 50);
    await eventually(async () => expect(await byNumber(m.id, numbers.late)).toMatchObject({ state: 'connected' }), 20_000);
    expect(phones.events(numbers.late)).toEqual(['ringing', 'answered', 'pressed-1']);
    // What the called phone showed: who invites them.
    expect(phones.from(numbers.late)).toMatch(/^"Ann Lee" <sip:/);

    await eventually(async () => {
      expect(await byNumber(m.id, numbers.busy)).toMatchObject({ state: 'disconnected', endReason: 'busy' });
      expect(await byNumber(m.id, numbers.declined)).toMatchObject({ state: 'disconnected', endReason: 'declined' });
      expect(await byNumber(m.id, numbers.noAnswer)).toMatchObject({ state: 'disconnected', endReason: 'no-answer' });
    }, 20_000);
    // Rung out: the phone was cancelled, not left ringing.
    expect(phones.events(numbers.noAnswer)).toEqual(['ringing', 'cancelled']);

    // Voicemail answers but never presses 1: it hears the invitation twice, then parley hangs up.
    await eventually(async () => expect(await byNumber(m.id, numbers.voicemail)).toMatchObject({ state: 'disconnected', endReason: 'not-accepted' }), 60_000);
    await eventually(() => expect(phones.events(numbers.voicemail)).toEqual(['ringing', 'answered', 'bye']));
    expect((await byNumber(m.id, numbers.late))?.state).toBe('connected');

    // parley restarts: the call it placed stays up in Asterisk and is re-attached to its conference.
    await parley().kill('SIGKILL');
    await parley().start();
    await eventually(async () => expect((await byNumber(m.id, numbers.late))?.state, `the phone saw ${phones.events(numbers.late).join(', ')}`).toBe('connected'), 15_000);
    expect(phones.events(numbers.late)).not.toContain('bye');

    const audit = (await parley().api('GET', `/api/v1/conferences/${m.id}/audit`)).body as Array<{ actor: string; action: string }>;
    expect(audit.filter((e) => e.action === 'dial-out')).toHaveLength(5);
    expect((await parley().api('DELETE', `/api/v1/conferences/${m.id}/participants`)).status).toBe(200);
    await eventually(() => expect(phones.events(numbers.late)).toContain('bye'));
  }, 120_000);

  it('lets the leader cancel an invitation that is ringing, and ending the conference stops every phone still ringing', async () => {
    const m = await meeting(parley(), { leaders: ['ann@example.com'] });
    const first = (await invite(m.id, '+12065550480')).body as Invited;
    await eventually(async () => expect((await byNumber(m.id, '+12065550480'))?.state).toBe('ringing'));
    expect((await parley().api('DELETE', `/api/v1/conferences/${m.id}/participants/${first.id}`, undefined, ann)).status).toBe(204);
    await eventually(() => expect(phones.events('+12065550480')).toEqual(['ringing', 'cancelled']));
    expect(await byNumber(m.id, '+12065550480')).toMatchObject({ state: 'disconnected', endReason: 'cancelled' });

    await invite(m.id, '+13035550480');
    await eventually(async () => expect((await byNumber(m.id, '+13035550480'))?.state).toBe('ringing'));
    expect((await parley().api('DELETE', `/api/v1/conferences/${m.id}/participants`, undefined, ann)).status).toBe(200);
    await eventually(() => expect(phones.events('+13035550480')).toEqual(['ringing', 'cancelled']));
    expect(await byNumber(m.id, '+13035550480')).toMatchObject({ state: 'disconnected', endReason: 'cancelled' });
  }, 60_000);

  it('refuses numbers the dial-out policy does not allow, and bad numbers, before any call is placed', async () => {
    const m = await meeting(parley(), { leaders: ['ann@example.com'] });
    // Ann is in the US; leaders may call their own country by default.
    expect(await invite(m.id, '+442079460200')).toMatchObject({ status: 403, body: { error: { code: 'dial-out-not-allowed' } } });
    expect(await invite(m.id, 'not a number')).toMatchObject({ status: 400, body: { error: { code: 'invalid-phone-number' } } });
    expect((await parley().api('PATCH', '/api/v1/policies', { dialOut: { blockedPrefixes: ['+1206555'] } })).status).toBe(200);
    try {
      expect(await invite(m.id, '(206) 555-0200')).toMatchObject({ status: 403, body: { error: { code: 'number-blocked' } } });
    } finally {
      await parley().api('PATCH', '/api/v1/policies', { dialOut: { blockedPrefixes: [] } });
    }
    // Someone who is not a leader of this conference may not have parley call anyone.
    const other = await meeting(parley(), {});
    expect(await invite(other.id, '+14255550200')).toMatchObject({ status: 403 });
    expect(phones.events('+442079460200')).toEqual([]);
    expect(phones.events('+12065550200')).toEqual([]);
    expect(await roster(parley(), m.id)).toEqual([]);
  }, 30_000);

  it('lets a leader call a phone from the panel, watch it ring, cancel it, and see a busy line', async () => {
    const m = await meeting(parley(), { leaders: ['ann@example.com'] });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${parley().url}/panel/${m.id}`);
      await page.fill('#email', 'ann@example.com');
      await page.fill('#password', 'dial out password 1');
      await page.click('#sign-in-form button[type=submit]');
      await page.locator('#connection', { hasText: 'Live' }).waitFor();

      await page.fill('#call-number', '+1 (971) 555-0480');
      await page.click('#call-form button[type=submit]');
      // Shown masked, as to everyone in the meeting.
      const ringing = page.locator('li', { hasText: '+1 971 •••• 0480' });
      await ringing.locator('.badge', { hasText: 'Ringing' }).waitFor({ timeout: 5000 });
      expect(await page.locator('#roster').textContent()).not.toContain('5550480');
      await ringing.getByRole('button', { name: 'Cancel call to +1 971 •••• 0480' }).click();
      await ringing.locator('.badge', { hasText: 'Cancelled' }).waitFor({ timeout: 5000 });
      await eventually(() => expect(phones.events('+19715550480')).toEqual(['ringing', 'cancelled']));

      await page.fill('#call-number', '+19715550486');
      await page.click('#call-form button[type=submit]');
      await page.locator('li', { hasText: '+1 971 •••• 0486' }).locator('.badge', { hasText: 'Busy' }).waitFor({ timeout: 5000 });

      // A refusal is shown, and nothing is placed.
      await page.fill('#call-number', '+442079460201');
      await page.click('#call-form button[type=submit]');
      await page.locator('#problem', { hasText: 'may not' }).waitFor({ timeout: 3000 });
      expect(phones.events('+442079460201')).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
