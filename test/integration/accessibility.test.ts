// axe-core's WCAG 2.1 AA rules on parley's pages in real Chromium: every violation, of any impact, fails.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from '../../src/adapters/http/app.js';
import { apiOnFreshDatabase, type TestApi } from '../support/api-app.js';
import { axeViolations, checkPageState as check } from '../support/axe.js';
import { pageRecordingErrors, useChromium } from '../support/browser.js';
import { FakeTelephony } from '../support/fake-telephony.js';

const browser = useChromium();
const ADMIN = 'a11y-admin-token-0123456';
let api: TestApi;
let app: HttpApp;
let url: string;

beforeAll(async () => {
  api = await apiOnFreshDatabase(ADMIN, { telephony: new FakeTelephony() });
  ({ app } = api);
  url = await app.listen({ port: 0, host: '127.0.0.1' });
}, 60_000);
afterAll(async () => {
  await api?.close();
});

describe('accessibility', () => {
  it('the signed-out settings page, the signed-out panel and a guest’s join page have no violation and no console error', async () => {
    // The pages' CSP allows only their own scripts; axe is injected by the test.
    const context = await browser().newContext({ bypassCSP: true });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => void (message.type() === 'error' && consoleErrors.push(`${page.url()}: ${message.text()}`)));
    try {
      await page.goto(`${url}/dialin`);
      await page.locator('#sign-in').waitFor();
      expect(await axeViolations(page), 'settings, signed out').toEqual([]);

      await page.goto(`${url}/panel/00000000000000000000000000000000`);
      await page.locator('#sign-in').waitFor();
      expect(await axeViolations(page), 'panel, signed out').toEqual([]);

      const password = 'a11y password 0123';
      await app.inject({ method: 'POST', url: '/api/v1/users', headers: { authorization: `Bearer ${ADMIN}` }, payload: { displayName: 'Ann', email: 'ann@example.com', sipUri: 'sip:ann@example.com', region: 'US', password, phones: { mobile: '+14255550201' } } });
      const token = (await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: 'ann@example.com', password } })).json().token as string;
      const made = await app.inject({ method: 'POST', url: '/api/v1/audio-conferences', headers: { authorization: `Bearer ${token}` }, payload: { callMe: { published: 'mobile' }, participants: [{ email: 'pat@contoso.example', displayName: 'Pat' }] } });
      await page.goto(`${url}/join/${made.json().invitations[0].id as string}`);
      await page.locator('#details').waitFor();
      expect(await axeViolations(page), 'join page').toEqual([]);
      // Nothing the pages ask for is missing (a favicon was), and their scripts report no error.
      expect(consoleErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

/**
 * Every state of the settings page and the join page: axe's WCAG 2.1 AA rules (and best practices) with no
 * violation of any impact, no console error, no horizontal scrolling, and a screenshot of each state in
 * test-artifacts/ (git-ignored) for people to look at.
 */
describe('accessibility of every state of the settings and join pages', () => {
  const PHONE = { width: 390, height: 844 };
  const password = 'a11y states password 0123';
  let phone = 0;

  async function user(name: string, pin?: string) {
    const email = `${name.toLowerCase()}@states.example`;
    const made = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { authorization: `Bearer ${ADMIN}` }, payload: { displayName: name, email, sipUri: `sip:${name.toLowerCase()}@states.example`, region: 'US', password, phones: { mobile: `+1425555${String(300 + (phone++)).padStart(4, '0')}` } } });
    const id = made.json().id as string;
    const token = (await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email, password } })).json().token as string;
    if (pin) expect((await app.inject({ method: 'PUT', url: `/api/v1/users/${id}/pin`, headers: { authorization: `Bearer ${token}` }, payload: { pin } })).statusCode).toBe(200);
    return { id, email, token };
  }

  const open = (viewport?: { width: number; height: number }) => pageRecordingErrors(browser(), viewport ? { viewport } : {});

  async function signIn(page: Page, email: string) {
    await page.goto(`${url}/dialin`);
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.press('#password', 'Enter');
    await page.locator('#settings').waitFor();
    await page.locator('#numbers tr').first().waitFor();
  }

  it('the settings page: signed out, a sign-in error, signed in without and with a PIN, PIN errors, the reset dialog, after a reset, signed out again, a locked PIN, each at desktop and phone size', async () => {
    const ann = await user('Annie');
    const bo = await user('Bonnie', '80417');
    for (const [size, viewport] of [['', undefined], ['-phone', PHONE]] as const) {
      const { page, errors, close } = await open(viewport);
      try {
        await page.goto(`${url}/dialin`);
        await page.locator('#sign-in').waitFor();
        await check(page, `settings-signed-out${size}`);

        await page.fill('#email', ann.email);
        await page.fill('#password', 'not the password');
        await page.press('#password', 'Enter');
        await page.locator('#sign-in-problems li').waitFor({ timeout: 10_000 });
        await check(page, `settings-sign-in-error${size}`);

        await signIn(page, ann.email);
        await expect.poll(() => page.textContent('#pin-status')).toContain('no PIN yet');
        await check(page, `settings-signed-in-no-pin${size}`);

        await page.fill('#pin', '11111');
        await page.fill('#pin-again', '11111');
        await page.press('#pin-again', 'Enter');
        await page.locator('#pin-problems li').waitFor({ timeout: 10_000 });
        await check(page, `settings-pin-error${size}`);

        await page.click('#reset-id');
        await page.locator('#reset-dialog[open]').waitFor();
        await check(page, `settings-reset-dialog${size}`);
        await page.click('#reset-confirm');
        await expect.poll(() => page.textContent('#reset-id-done'), { timeout: 10_000 }).toContain('Your new conference ID is');
        await check(page, `settings-after-reset${size}`);

        await page.click('#sign-out');
        await expect.poll(() => page.textContent('#page-status')).toBe('You are signed out.');
        await check(page, `settings-signed-out-again${size}`);

        await signIn(page, bo.email);
        await expect.poll(() => page.textContent('#pin-status')).toContain('Your PIN is set');
        await check(page, `settings-signed-in-pin-set${size}`);

        await api.pool.query(`update users set pin_locked_until = now() + interval '20 minutes' where id = $1`, [bo.id]);
        await page.reload();
        await expect.poll(() => page.textContent('#pin-status'), { timeout: 10_000 }).toContain('locked out');
        await check(page, `settings-pin-locked-until${size}`);
        await api.pool.query('update users set pin_locked_until = null, pin_locked_out = true where id = $1', [bo.id]);
        await page.reload();
        await expect.poll(() => page.textContent('#pin-status'), { timeout: 10_000 }).toContain('ask an administrator');
        await check(page, `settings-pin-locked-out${size}`);
        await api.pool.query('update users set pin_locked_out = false where id = $1', [bo.id]);
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    }
  }, 120_000);

  it('the join page: a scheduled meeting, an open conference, at phone size, an unknown link and an ended conference', async () => {
    const ann = await user('Olivia');
    const auth = { authorization: `Bearer ${ann.token}` };
    const other = { authorization: `Bearer ${(await user('Other')).token}` };
    const scheduled = await app.inject({ method: 'POST', url: '/api/v1/conferences', headers: auth, payload: { subject: 'Budget review', startsAt: '2027-03-02T17:00:00Z', endsAt: '2027-03-02T18:00:00Z', timeZone: 'America/Los_Angeles' } });
    expect(scheduled.statusCode).toBe(201);
    const invited = await app.inject({ method: 'POST', url: `/api/v1/conferences/${scheduled.json().id as string}/invitations`, headers: auth, payload: { participants: [{ email: 'pat@contoso.example', displayName: 'Pat' }] } });
    expect(invited.statusCode).toBe(201);
    const open_ = await app.inject({ method: 'POST', url: '/api/v1/audio-conferences', headers: auth, payload: { callMe: { published: 'mobile' }, participants: [{ email: 'lee@contoso.example', displayName: 'Lee' }] } });
    const ended = await app.inject({ method: 'POST', url: '/api/v1/audio-conferences', headers: other, payload: { callMe: { published: 'mobile' }, participants: [{ email: 'kim@contoso.example', displayName: 'Kim' }] } });
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/conferences/${ended.json().conference.id as string}`, headers: other })).statusCode).toBeLessThan(300);
    const pages: Array<[string, string, string, { width: number; height: number } | undefined]> = [
      ['join-scheduled', invited.json().invitations[0].id, '#details', undefined],
      ['join-scheduled-phone', invited.json().invitations[0].id, '#details', PHONE],
      ['join-open-now', open_.json().invitations[0].id, '#details', undefined],
      ['join-open-now-phone', open_.json().invitations[0].id, '#details', PHONE],
      ['join-unknown', '00000000-0000-4000-8000-000000000000', '#problem', undefined],
      ['join-unknown-phone', '00000000-0000-4000-8000-000000000000', '#problem', PHONE],
      ['join-ended', ended.json().invitations[0].id, '#problem', undefined],
    ];
    for (const [state, invitation, shown, viewport] of pages) {
      const { page, errors, close } = await open(viewport);
      try {
        await page.goto(`${url}/join/${invitation}`);
        await page.locator(shown).waitFor();
        await check(page, state);
        expect(errors, state).toEqual([]);
      } finally {
        await close();
      }
    }
  }, 120_000);
});
