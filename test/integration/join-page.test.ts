// A guest's join page in real Chromium against the real API and PostgreSQL: when the meeting is, in the
// meeting's time zone and in the viewer's, who organised it, the numbers with their languages by name,
// and a clear word when the link no longer works.
import type { BrowserContextOptions } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from '../../src/adapters/http/app.js';
import { LOCALES } from '../../src/domain/locales.js';
import { apiOnFreshDatabase, type TestApi } from '../support/api-app.js';
import { useChromium } from '../support/browser.js';
import { FakeTelephony } from '../support/fake-telephony.js';
import { LANGUAGE_NAMES } from '../support/language-names.js';

const browser = useChromium();
const ADMIN = 'join-page-admin-token-0123';
const admin = { authorization: `Bearer ${ADMIN}` };
let api: TestApi;
let app: HttpApp;
let url: string;
let organiser: { authorization: string };

beforeAll(async () => {
  api = await apiOnFreshDatabase(ADMIN, { telephony: new FakeTelephony() });
  ({ app } = api);
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  const password = 'join page password 0123';
  await app.inject({ method: 'POST', url: '/api/v1/users', headers: admin, payload: { displayName: 'Ann Lee', email: 'ann@join.example', sipUri: 'sip:ann@join.example', region: 'US', password, phones: { mobile: '+14255550201' } } });
  organiser = { authorization: `Bearer ${(await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: 'ann@join.example', password } })).json().token as string}` };
}, 60_000);
afterAll(async () => {
  await api?.close();
});

/** ICU spaces its ranges with thin and narrow no-break spaces: compare words, not space characters. */
const words = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

async function scheduledInvitation(): Promise<string> {
  const meeting = await app.inject({ method: 'POST', url: '/api/v1/conferences', headers: organiser, payload: { subject: 'Budget review', startsAt: '2027-03-02T17:00:00Z', endsAt: '2027-03-02T18:00:00Z', timeZone: 'America/Los_Angeles' } });
  expect(meeting.statusCode).toBe(201);
  const invited = await app.inject({ method: 'POST', url: `/api/v1/conferences/${meeting.json().id as string}/invitations`, headers: organiser, payload: { participants: [{ email: 'pat@contoso.example', displayName: 'Pat' }] } });
  expect(invited.statusCode).toBe(201);
  return invited.json().invitations[0].id as string;
}

async function joinPage(invitation: string, options: BrowserContextOptions) {
  const context = await browser().newContext({ locale: 'en-US', ...options });
  const page = await context.newPage();
  await page.goto(`${url}/join/${invitation}`);
  return { page, close: () => context.close() };
}

describe('the join page', () => {
  it('shows the meeting’s time in its own zone and in the viewer’s, and the organiser', async () => {
    const invitation = await scheduledInvitation();
    const { page, close } = await joinPage(invitation, { timezoneId: 'Europe/Berlin' });
    try {
      await page.locator('#details').waitFor();
      expect(await page.textContent('h1')).toBe('Budget review');
      expect(words(await page.textContent('#when-meeting'))).toBe('Tuesday, March 2, 2027, 9:00 – 10:00 AM Pacific Standard Time');
      expect(words(await page.textContent('#when-local'))).toBe('Your time: Tuesday, March 2, 2027, 6:00 – 7:00 PM Central European Standard Time');
      expect(await page.locator('#when-local').isVisible()).toBe(true);
      expect(await page.textContent('#organizer')).toBe('Ann Lee');
      expect(await page.locator('#organizer').isVisible()).toBe(true);

      // By keyboard alone: Tab reaches each Call link, the name field, the join button and the SIP address, in that order.
      await page.locator('#browser-audio-join:enabled').waitFor(); // enabled once its script is ready
      const stops: string[] = [];
      for (let i = 0; i < 6; i++) {
        await page.keyboard.press('Tab');
        stops.push(await page.evaluate(() => {
          const element = (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null; id: string; textContent: string | null } | null } }).document.activeElement;
          return element ? element.getAttribute('aria-label') ?? (element.id || element.textContent || '') : '';
        }));
      }
      expect(stops.slice(0, 4)).toEqual(['Call +1 (425) 555-0100', 'browser-audio-name', 'browser-audio-join', 'sip-uri']);
    } finally {
      await close();
    }
    // A viewer in the meeting's own zone reads the time once.
    const local = await joinPage(invitation, { timezoneId: 'America/Los_Angeles' });
    try {
      await local.page.locator('#details').waitFor();
      expect(words(await local.page.textContent('#when-meeting'))).toBe('Tuesday, March 2, 2027, 9:00 – 10:00 AM Pacific Standard Time');
      expect(await local.page.locator('#when-local').isVisible()).toBe(false);
    } finally {
      await local.close();
    }
  });

  it('says "Now" for a conference already open, and names every one of the 14 languages', async () => {
    const groups = [LOCALES.slice(0, 5), LOCALES.slice(5, 10), LOCALES.slice(10)];
    for (const [i, [primaryLanguage, ...secondaryLanguages]] of groups.entries()) {
      const made = await app.inject({ method: 'POST', url: '/api/v1/access-numbers', headers: admin, payload: { number: `1425555090${i}`, display: `+1 (425) 555-090${i}`, region: 'US', primaryLanguage, secondaryLanguages } });
      expect(made.statusCode).toBe(201);
    }
    const made = await app.inject({ method: 'POST', url: '/api/v1/audio-conferences', headers: organiser, payload: { callMe: { published: 'mobile' }, participants: [{ email: 'lee@contoso.example', displayName: 'Lee' }] } });
    expect(made.statusCode).toBe(201);
    const { page, close } = await joinPage(made.json().invitations[0].id as string, { timezoneId: 'Europe/Berlin' });
    try {
      await page.locator('#details').waitFor();
      expect(await page.textContent('#when-meeting')).toBe('Now');
      expect(await page.locator('#when-local').isVisible()).toBe(false);
      expect(await page.textContent('#organizer')).toBe('Ann Lee');
      const shown = new Map<string, string>();
      for (const row of await page.locator('#numbers tr').all()) {
        const [number, , languages] = await row.locator('td').allTextContents();
        shown.set(number!, languages!);
      }
      groups.forEach((group, i) => expect(shown.get(`+1 (425) 555-090${i}`)).toBe(group.map((code) => LANGUAGE_NAMES[code]).join(', ')));
    } finally {
      await close();
    }
  });

  it('says plainly when the link no longer works', async () => {
    const { page, close } = await joinPage('00000000-0000-4000-8000-000000000000', {});
    try {
      await page.getByRole('alert').waitFor();
      expect(await page.textContent('#problem')).toBe('This link is no longer valid: the conference has ended or the invitation was withdrawn. Ask the organiser for a new invitation.');
      expect(await page.locator('#details').isVisible()).toBe(false);
    } finally {
      await close();
    }
  });
});
