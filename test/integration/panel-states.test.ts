// Every state of the leader's panel in real Chromium on a real database: signed out, a leader with a lobby and
// five callers, a participant, a stranger, a phone-sized screen and a room of 250. In each: axe's WCAG 2.1 AA
// rules with no violation of any impact, no console error, no sideways scrolling, and a screenshot in
// test-artifacts/. The leader's page controls are operated with the keyboard alone, and changes are announced.
// Callers are put on the roster as rows (fake telephony): the page is under test here, not the calls.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from '../../src/adapters/http/app.js';
import { rosterNumber } from '../../src/directory/roster-number.js';
import { apiOnFreshDatabase, type TestApi } from '../support/api-app.js';
import { checkPageState as check } from '../support/axe.js';
import { pageRecordingErrors, useChromium } from '../support/browser.js';
import { FakeTelephony } from '../support/fake-telephony.js';
import { tabToAndPress } from '../support/keyboard.js';

const browser = useChromium();
const ADMIN = 'panel-states-admin-token-0123';
const PHONE = { width: 390, height: 844 };
const password = 'panel states password 0123';
let api: TestApi;
let app: HttpApp;
let url: string;
let phone = 0;

beforeAll(async () => {
  api = await apiOnFreshDatabase(ADMIN, { telephony: new FakeTelephony() });
  ({ app } = api);
  url = await app.listen({ port: 0, host: '127.0.0.1' });
}, 60_000);
afterAll(async () => {
  await api?.close();
});

async function user(name: string) {
  const email = `${name.toLowerCase()}@panel.example`;
  const made = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { authorization: `Bearer ${ADMIN}` }, payload: { displayName: name, email, sipUri: `sip:${name.toLowerCase()}@panel.example`, region: 'US', password, phones: { mobile: `+1425555${String(400 + phone++).padStart(4, '0')}` } } });
  expect(made.statusCode).toBe(201);
  const token = (await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email, password } })).json().token as string;
  return { id: made.json().id as string, email, token };
}

interface Row { name: string; number: string; state?: string; role?: string; via?: string; minutesAgo?: number; userId?: string }

/** Callers on the roster as the call flows leave them (the event-log trigger sees these rows too). */
async function seat(conferenceId: string, rows: Row[]): Promise<string[]> {
  const ids: string[] = [];
  for (const r of rows) {
    const id = randomUUID();
    ids.push(id);
    const joined = r.state === 'lobby' ? null : new Date(Date.now() - (r.minutesAgo ?? 1) * 60_000);
    await api.pool.query(
      `insert into participants (id, conference_id, channel_id, display_name, caller_number, roster_number, state, role, via, joined_at, user_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [id, conferenceId, randomUUID(), r.name, r.number, rosterNumber(r.number), r.state ?? 'connected', r.role ?? 'participant', r.via ?? 'phone', joined, r.userId ?? null],
    );
  }
  return ids;
}

const open = (viewport = { width: 1100, height: 900 }) => pageRecordingErrors(browser(), { viewport, timezoneId: 'America/Los_Angeles' });

async function signIn(page: Page, conferenceId: string, email: string) {
  await page.goto(`${url}/panel/${conferenceId}`);
  await page.locator('#sign-in').waitFor();
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.press('#password', 'Enter');
}

const names = (page: Page, list = '#roster') => page.locator(`${list} li .name`).allTextContents();

describe('the panel in every state', () => {
  let ann: Awaited<ReturnType<typeof user>>;
  let pat: Awaited<ReturnType<typeof user>>;
  let sam: Awaited<ReturnType<typeof user>>;
  let conference: string;
  let callers: string[];

  beforeAll(async () => {
    [ann, pat, sam] = [await user('Ann'), await user('Pat'), await user('Sam')];
    const made = await app.inject({ method: 'POST', url: '/api/v1/conferences', headers: { authorization: `Bearer ${ann.token}` }, payload: { subject: 'Quarterly review', passcode: '97531' } });
    expect(made.statusCode).toBe(201);
    conference = made.json().id as string;
    callers = await seat(conference, [
      { name: 'Test Caller', number: '+14255550123', minutesAgo: 9 },
      { name: 'Test Caller', number: '+14255550177', minutesAgo: 4 },
      { name: 'Bo Chen', number: '+442071838750', minutesAgo: 12 },
      { name: 'Ann (leader line)', number: '+14255550400', role: 'leader', minutesAgo: 2, userId: ann.id },
      { name: 'Pat', number: '', via: 'voip', minutesAgo: 6, userId: pat.id },
      { name: 'Lee Park', number: '+12065550142', state: 'lobby' },
      { name: 'Kim Ito', number: '+12065550143', state: 'lobby' },
    ]);
  });

  it('signed out, at desktop and phone size', async () => {
    for (const [state, viewport] of [['panel-signed-out', undefined], ['panel-signed-out-phone', PHONE]] as const) {
      const { page, errors, close } = await open(viewport);
      try {
        await page.goto(`${url}/panel/${conference}`);
        await page.locator('#sign-in').waitFor();
        await check(page, state);
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    }
  }, 60_000);

  it('a leader with a lobby and five callers: told apart by number, sorted, operated by keyboard, changes announced', async () => {
    const { page, errors, close } = await open();
    try {
      await signIn(page, conference, ann.email);
      await page.locator('#connection', { hasText: 'Live' }).waitFor();
      // Leaders first, then by join time; the two "Test Caller"s differ by their masked numbers.
      expect(await names(page)).toEqual(['Ann (leader line) (you)', 'Bo Chen', 'Test Caller', 'Pat', 'Test Caller']);
      const details = await page.locator('#roster li .details').allTextContents();
      expect(details[2]).toMatch(/^Phone · \+1 425 •••• 0123 · joined \d+:\d\d [AP]M, on for (9|1\d):\d\d$/);
      expect(details[4]).toContain('+1 425 •••• 0177');
      expect(details[3]).toMatch(/^Browser or SIP device · joined/);
      expect(await page.content()).not.toContain('5550123');
      expect(await names(page, '#lobby-list')).toEqual(['Lee Park', 'Kim Ito']);
      await expect.poll(() => page.locator('#roster li .duration').first().textContent(), { timeout: 3000 }).not.toBe(await page.locator('#roster li .duration').first().textContent());
      await check(page, 'panel-leader-lobby-5-callers');

      // The passcode stays hidden until asked, then shows (keyboard only).
      expect(await page.locator('#passcode').isVisible()).toBe(false);
      await tabToAndPress(page, page.locator('#show-passcode'));
      await expect.poll(() => page.locator('#passcode').isVisible()).toBe(true);
      expect(await page.textContent('#passcode')).toBe('97531');
      expect(await page.getAttribute('#show-passcode', 'aria-expanded')).toBe('true');

      // Lock by keyboard: the flag shows and the live region says so.
      await tabToAndPress(page, page.locator('#lock'));
      await page.locator('#flags', { hasText: 'Locked' }).waitFor({ timeout: 5000 });
      await expect.poll(() => page.textContent('#announce')).toBe('Conference locked');
      await tabToAndPress(page, page.locator('#lock'));
      await expect.poll(() => page.getAttribute('#lock', 'aria-pressed')).toBe('false');

      // Admit one caller, then all who wait, by keyboard: they move to the roster and are announced.
      await tabToAndPress(page, page.getByRole('button', { name: 'Admit Lee Park' }));
      await expect.poll(() => names(page, '#lobby-list'), { timeout: 5000 }).toEqual(['Kim Ito']);
      await expect.poll(() => page.textContent('#announce')).toBe('Lee Park was admitted');
      await tabToAndPress(page, page.locator('#admit-all'));
      await expect.poll(() => page.locator('#lobby').isVisible(), { timeout: 5000 }).toBe(false);
      expect(await names(page)).toEqual(expect.arrayContaining(['Lee Park', 'Kim Ito']));

      // A caller turned away from the lobby is announced as that the moment the leader decides (not as
      // admitted), while they still hear their last prompt.
      const [ida] = await seat(conference, [{ name: 'Ida Moss', number: '+12065550144', state: 'lobby' }]);
      await expect.poll(() => page.textContent('#announce'), { timeout: 5000 }).toBe('Ida Moss is waiting in the lobby');
      const leave = (id: string, state: string, reason: string) =>
        api.pool.query(`update participants set state = $2, left_at = case when $2 = 'disconnected' then now() end, end_reason = $3 where id = $1`, [id, state, reason]);
      await leave(ida!, 'disconnecting', 'lobby-denied');
      await expect.poll(() => page.textContent('#announce'), { timeout: 5000 }).toBe('Ida Moss was turned away');
      await leave(ida!, 'disconnected', 'lobby-denied');

      // A caller leaving is announced once, as they start to go, and leaves the list.
      await leave(callers[2]!, 'disconnecting', 'ejected');
      await expect.poll(() => page.textContent('#announce'), { timeout: 5000 }).toBe('Bo Chen left');
      await page.evaluate("document.getElementById('announce').textContent = ''");
      await leave(callers[2]!, 'disconnected', 'ejected');
      await expect.poll(() => names(page), { timeout: 5000 }).not.toContain('Bo Chen');
      expect(await page.textContent('#announce')).toBe('');
      await check(page, 'panel-leader-after-changes');
      expect(errors).toEqual([]);

      // Sign out by keyboard: back to the sign-in page, saying so.
      await tabToAndPress(page, page.locator('#sign-out'));
      await page.locator('#sign-in').waitFor();
      expect(await page.textContent('#page-status')).toBe('You are signed out.');
      await check(page, 'panel-signed-out-after-sign-out');
    } finally {
      await close();
    }
  }, 90_000);

  it('a leader on a phone-sized screen', async () => {
    // The leader's test admitted everyone: another caller waits.
    await seat(conference, [{ name: 'Noor Haddad', number: '+12065550150', state: 'lobby' }]);
    const { page, errors, close } = await open(PHONE);
    try {
      await signIn(page, conference, ann.email);
      await page.locator('#connection', { hasText: 'Live' }).waitFor();
      await page.locator('#lobby-list li').first().waitFor();
      await check(page, 'panel-leader-phone');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('a participant: the roster, no leader controls, no passcode, a sign-out button', async () => {
    const { page, errors, close } = await open();
    try {
      await signIn(page, conference, pat.email);
      await page.locator('#connection', { hasText: 'Live' }).waitFor();
      expect(await page.locator('#leader-bar').isVisible()).toBe(false);
      expect(await page.locator('#passcode-line').isVisible()).toBe(false);
      expect(await page.locator('#roster button').count()).toBe(0);
      expect(await page.locator('#sign-out').isVisible()).toBe(true);
      await check(page, 'panel-participant');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('a stranger (signed in, not in the meeting): says why and offers to sign in as someone else', async () => {
    for (const [state, viewport] of [['panel-stranger', undefined], ['panel-stranger-phone', PHONE]] as const) {
      const { page, errors, close } = await open(viewport);
      try {
        await signIn(page, conference, sam.email);
        await page.locator('#stranger').waitFor();
        expect(await page.textContent('h1:visible')).toBe('You are not in this meeting');
        expect(await page.textContent('#stranger-reason')).toMatch(/^You are signed in, but you are not a leader or participant/);
        await check(page, state);
        await tabToAndPress(page, page.locator('#switch-user'));
        await page.locator('#sign-in').waitFor();
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    }
  }, 60_000);

  it('a room of 250: a filter box finds callers by name or by the digits shown', async () => {
    const big = (await app.inject({ method: 'POST', url: '/api/v1/conferences', headers: { authorization: `Bearer ${ann.token}` }, payload: { subject: 'All hands' } })).json().id as string;
    await seat(big, Array.from({ length: 250 }, (_, i) => ({ name: `Caller ${String(i + 1).padStart(3, '0')}`, number: `+1206555${String(1000 + i)}`, minutesAgo: 250 - i })));
    const { page, errors, close } = await open();
    try {
      await signIn(page, big, ann.email);
      await page.locator('#connection', { hasText: 'Live' }).waitFor();
      await expect.poll(() => page.locator('#roster li').count()).toBe(250);
      expect(await page.locator('#filter').isVisible()).toBe(true);
      await tabToAndPress(page, page.locator('#filter'), 'c');
      await page.keyboard.type('aller 24');
      await expect.poll(() => names(page)).toEqual(Array.from({ length: 10 }, (_, i) => `Caller 24${i}`));
      expect(await page.textContent('#filter-count')).toBe('10 of 250 shown');
      await page.fill('#filter', '1249');
      await expect.poll(() => names(page)).toEqual(['Caller 250']);
      await check(page, 'panel-room-of-250-filtered');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 90_000);
});
