// The Dial-in Conferencing Settings page in real Chromium against the real API and PostgreSQL, driven by
// the keyboard alone: signing in and out, the reset of the personal conference ID behind a dialog that
// says the old ID stops working, what a screen reader is told, errors in sentence case, and every one of
// the attendant's 14 languages shown by name.
import type pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from '../../src/adapters/http/app.js';
import { LOCALES } from '../../src/domain/locales.js';
import { apiOnFreshDatabase, type TestApi } from '../support/api-app.js';
import { useChromium } from '../support/browser.js';
import { LANGUAGE_NAMES } from '../support/language-names.js';

const browser = useChromium();
const ADMIN = 'dialin-page-admin-token-0123';
const PASSWORD = 'dialin page password 0123';
// Sign-in and PINs are argon2 work on the server: on a busy machine a second is not always enough.
const SERVER_WORK = { timeout: 10_000 };

let api: TestApi;
let pool: pg.Pool;
let app: HttpApp;
let url: string;

beforeAll(async () => {
  api = await apiOnFreshDatabase(ADMIN);
  ({ pool, app } = api);
  url = await app.listen({ port: 0, host: '127.0.0.1' });
}, 60_000);
afterAll(async () => {
  await api?.close();
});

async function user(name: string) {
  const email = `${name.toLowerCase()}@dialin.example`;
  const made = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { authorization: `Bearer ${ADMIN}` }, payload: { displayName: name, email, sipUri: `sip:${name.toLowerCase()}@dialin.example`, region: 'US', password: PASSWORD } });
  expect(made.statusCode).toBe(201);
  return { ...(made.json() as { id: string; assignedConferenceId: string }), email };
}

const focused = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id ?? '');
const statusTexts = (page: Page) => page.getByRole('status').allTextContents();

/** From a fresh page to signed in, by keys only. */
async function signInByKeyboard(page: Page, email: string, password = PASSWORD) {
  await page.goto(`${url}/dialin`);
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('email');
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
}

describe('the Dial-in Conferencing Settings page', () => {
  it('resets the conference ID only after a dialog that says the old one stops working, all by keyboard, and announces the new one', async () => {
    const ann = await user('Ann');
    const page = await browser().newPage();
    try {
      await signInByKeyboard(page, ann.email);
      await expect.poll(() => page.textContent('#conference-id'), SERVER_WORK).toBe(ann.assignedConferenceId);
      // Signed in: focus moves to the line naming the user, and the status region says so.
      expect(await focused(page)).toBe('who-line');
      expect(await statusTexts(page)).toContain('You are signed in as Ann.');

      await page.keyboard.press('Tab'); // Sign out
      await page.keyboard.press('Tab'); // Reset my conference ID
      expect(await focused(page)).toBe('reset-id');
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Reset your conference ID?' });
      await dialog.waitFor();
      expect(await dialog.getAttribute('aria-describedby')).toBe('reset-text');
      expect(await page.textContent('#reset-text')).toContain(`${ann.assignedConferenceId} stops working at once`);
      // The safe choice has the focus: Enter or Escape keep the ID.
      expect(await focused(page)).toBe('reset-cancel');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      expect(await focused(page)).toBe('reset-id');
      expect(await page.textContent('#conference-id')).toBe(ann.assignedConferenceId);
      expect(await statusTexts(page)).toContain(`Your conference ID is still ${ann.assignedConferenceId}.`);

      await page.keyboard.press('Enter');
      await dialog.waitFor();
      await page.keyboard.press('Enter'); // "Keep my conference ID"
      await dialog.waitFor({ state: 'hidden' });
      expect(await page.textContent('#conference-id')).toBe(ann.assignedConferenceId);
      const stored = async () => (await pool.query('select assigned_conference_id from users where id = $1', [ann.id])).rows[0].assigned_conference_id as string;
      expect(await stored()).toBe(ann.assignedConferenceId);

      await page.keyboard.press('Enter');
      await dialog.waitFor();
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('reset-confirm');
      await page.keyboard.press('Enter'); // "Reset it"
      await expect.poll(() => page.textContent('#conference-id'), SERVER_WORK).not.toBe(ann.assignedConferenceId);
      const newId = await page.textContent('#conference-id');
      expect(newId).toMatch(/^[1-9]\d{6}$/);
      expect(await stored()).toBe(newId);
      expect(await focused(page)).toBe('reset-id');
      expect(await statusTexts(page)).toContain(`Your new conference ID is ${newId}. ${ann.assignedConferenceId} no longer works; meetings you schedule from now on use the new ID.`);

      // A PIN by keyboard: the next stops after the reset button are the two PIN fields.
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('pin');
      await page.keyboard.type('80417');
      await page.keyboard.press('Tab');
      await page.keyboard.type('80417');
      await page.keyboard.press('Enter');
      await expect.poll(() => statusTexts(page), SERVER_WORK).toContain('Your PIN is set.');
      expect((await statusTexts(page)).join(' ')).toContain('Your PIN is set (since');

      // Sign out by keyboard: the token stops working, the page says so and the e-mail field has the focus.
      const token = await page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(k: string): string } }).sessionStorage.getItem('parley-token'));
      await page.focus('#who-line');
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('sign-out');
      await page.keyboard.press('Enter');
      await expect.poll(() => statusTexts(page)).toContain('You are signed out.');
      expect(await focused(page)).toBe('email');
      expect(await page.locator('#settings').isVisible()).toBe(false);
      expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('says what went wrong in sentence case with a clear message', async () => {
    const bo = await user('Bo');
    const page = await browser().newPage();
    try {
      await page.goto(`${url}/dialin`);
      await page.click('#sign-in-form button[type=submit]');
      expect(await page.locator('#sign-in-problems li').allTextContents()).toEqual(['Enter your e-mail address.', 'Enter your password.']);
      expect(await page.getAttribute('#email', 'aria-invalid')).toBe('true');

      await signInByKeyboard(page, bo.email, 'not the password');
      await expect.poll(() => page.locator('#sign-in-problems li').allTextContents(), SERVER_WORK).toEqual(['Wrong e-mail address or password.']);

      await signInByKeyboard(page, bo.email);
      await page.locator('#settings').waitFor(SERVER_WORK);
      expect(await page.getAttribute('#email', 'aria-invalid')).toBe('false');
      for (const [pin, again, message] of [
        ['', '', 'Enter a new PIN.'],
        ['80417', '80418', 'The two PINs differ. Type the same PIN twice.'],
        ['11111', '11111', /^Do not repeat one digit.*\.$/],
      ] as const) {
        await page.fill('#pin', pin);
        await page.fill('#pin-again', again);
        await page.press('#pin-again', 'Enter');
        await expect.poll(async () => (await page.locator('#pin-problems li').allTextContents()).join(' '), SERVER_WORK).toMatch(message);
      }
      // Every message the page shows starts with a capital and ends with a full stop.
      for (const text of await page.locator('#pin-problems li').allTextContents()) expect(text).toMatch(/^[A-Z].*[.!?]$/);

      // The session ended elsewhere (signed out, expired): the next action says so and offers sign-in.
      const token = await page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(k: string): string } }).sessionStorage.getItem('parley-token'));
      expect((await app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(204);
      await page.fill('#pin', '80417');
      await page.fill('#pin-again', '80417');
      await page.press('#pin-again', 'Enter');
      await expect.poll(() => page.locator('#sign-in-problems li').allTextContents()).toEqual(['Your session has ended. Sign in again.']);
      expect(await focused(page)).toBe('email');
      await signInByKeyboard(page, bo.email);
      await page.locator('#settings').waitFor(SERVER_WORK);

      // The server unreachable: a clear message, no uncaught error.
      const errors: string[] = [];
      page.on('pageerror', (error) => void errors.push(error.message));
      await page.route('**/api/v1/users/*/pin', (route) => route.abort('connectionrefused'));
      await page.fill('#pin', '80417');
      await page.fill('#pin-again', '80417');
      await page.press('#pin-again', 'Enter');
      await expect.poll(() => page.locator('#pin-problems li').allTextContents()).toEqual(['Parley could not be reached. Check your connection and try again.']);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('names every one of the 14 languages', async () => {
    const admin = { authorization: `Bearer ${ADMIN}` };
    // An access number speaks at most five languages: three numbers carry all fourteen.
    const groups = [LOCALES.slice(0, 5), LOCALES.slice(5, 10), LOCALES.slice(10)];
    for (const [i, [primaryLanguage, ...secondaryLanguages]] of groups.entries()) {
      const made = await app.inject({ method: 'POST', url: '/api/v1/access-numbers', headers: admin, payload: { number: `1425555090${i}`, display: `+1 (425) 555-090${i}`, region: 'US', primaryLanguage, secondaryLanguages } });
      expect(made.statusCode).toBe(201);
    }
    const cy = await user('Cy');
    const page = await browser().newPage();
    try {
      await signInByKeyboard(page, cy.email);
      await page.locator('#numbers tr').first().waitFor(SERVER_WORK);
      const shown = new Map<string, string>();
      for (const row of await page.locator('#numbers tr').all()) {
        const [, number, languages] = await row.locator('td').allTextContents();
        shown.set(number!, languages!);
      }
      groups.forEach((group, i) => expect(shown.get(`+1 (425) 555-090${i}`)).toBe(group.map((code) => LANGUAGE_NAMES[code]).join(', ')));
    } finally {
      await page.close();
    }
  }, 60_000);
});
