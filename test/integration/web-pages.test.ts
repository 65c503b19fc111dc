// parley's pages in real Chromium against the real API and PostgreSQL, one browser for the file (its
// start is two seconds of CPU): the Dial-in Conferencing Settings page, and the leader panel (no calls:
// rows stand in for them) with what only the page decides: leaders get buttons and participants do not,
// and the last leader leaving while others remain is asked to promote someone first.
import argon2 from 'argon2';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from '../../src/adapters/http/app.js';
import { pgParticipantStore } from '../../src/adapters/pg/participant-store.js';
import { apiOnFreshDatabase, type TestApi } from '../support/api-app.js';
import { useChromium } from '../support/browser.js';

const browser = useChromium();

describe('the Dial-in Conferencing Settings page', () => {
  const ADMIN = 'page-admin-token-0123456';
  let api: TestApi;
  let pool: pg.Pool;
  let app: HttpApp;
  let url: string;
  // Sign-in and PINs are argon2 work on the server: on a busy CI machine a second is not always enough.
  const SERVER_WORK = { timeout: 10_000 };

  beforeAll(async () => {
    api = await apiOnFreshDatabase(ADMIN);
    ({ pool, app } = api);
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  async function setPin(page: Page, pin: string, again = pin) {
    await page.fill('#pin', pin);
    await page.fill('#pin-again', again);
    await page.click('#pin-form button[type=submit]');
  }

  it('lets a user sign in, see and reset their conference ID, read the numbers and set a PIN under the policy', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { authorization: `Bearer ${ADMIN}` },
      payload: { displayName: 'Ann Lee', email: 'ann@example.com', sipUri: 'sip:ann@example.com', extension: '47110', region: 'US', phones: { work: '(425) 555-8642' }, password: 'correct horse battery' },
    });
    const user = created.json();
    const page = await browser().newPage();
    await page.goto(`${url}/dialin`);

    await page.fill('#email', 'ann@example.com');
    await page.fill('#password', 'wrong password');
    await page.click('#sign-in-form button[type=submit]');
    await expect.poll(() => page.textContent('#sign-in-problems'), SERVER_WORK).toContain('Wrong e-mail address or password.');

    await page.fill('#password', 'correct horse battery');
    await page.click('#sign-in-form button[type=submit]');
    await expect.poll(() => page.textContent('#conference-id'), SERVER_WORK).toBe(user.assignedConferenceId);
    expect(await page.textContent('#who')).toContain('Ann Lee');
    expect(await page.textContent('#numbers')).toContain('+1 (425) 555-0100');
    expect(await page.textContent('#numbers')).toContain('English (United States)');
    expect(await page.textContent('#pin-status')).toContain('no PIN yet');
    expect(await page.textContent('#pin-rules')).toContain('at least 5 digits');

    // Asked first, in a dialog: the old ID stops working. Saying no keeps it (the keyboard path: dialin-page.test.ts).
    await page.click('#reset-id');
    await page.locator('#reset-dialog[open]').waitFor();
    expect(await page.textContent('#reset-text')).toContain(`${user.assignedConferenceId} stops working`);
    await page.click('#reset-cancel');
    expect(await page.textContent('#conference-id')).toBe(user.assignedConferenceId);
    expect(await page.textContent('#reset-id-done')).toBe(`Your conference ID is still ${user.assignedConferenceId}.`);
    await page.click('#reset-id');
    await page.click('#reset-confirm');
    await expect.poll(() => page.textContent('#reset-id-done'), SERVER_WORK).toContain('new conference ID');
    const resetId = await page.textContent('#conference-id');
    expect(resetId).toMatch(/^[1-9]\d{6}$/);
    expect(resetId).not.toBe(user.assignedConferenceId);

    const refusals: Array<[string, string]> = [
      ['11111', 'Do not repeat one digit'],
      ['23456', 'four or more digits in a row'],
      ['47110', 'Do not use your extension'],
      ['58642', 'Do not use your phone number'],
      ['123', 'at least 5 digits'],
    ];
    for (const [pin, message] of refusals) {
      await setPin(page, pin);
      await expect.poll(() => page.textContent('#pin-problems'), SERVER_WORK).toContain(message);
    }
    await setPin(page, '80417', '80418');
    await expect.poll(() => page.textContent('#pin-problems'), SERVER_WORK).toContain('The two PINs differ');
    expect((await pool.query('select pin_hash from users where id = $1', [user.id])).rows[0].pin_hash).toBeNull();

    await setPin(page, '80417');
    await expect.poll(() => page.textContent('#pin-done'), SERVER_WORK).toBe('Your PIN is set.');
    expect(await page.textContent('#pin-status')).toContain('Your PIN is set');
    const { pin_hash: hash } = (await pool.query('select pin_hash from users where id = $1', [user.id])).rows[0];
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await argon2.verify(hash, '80417')).toBe(true);

    await setPin(page, '80417');
    await expect.poll(() => page.textContent('#pin-problems'), SERVER_WORK).toContain('Do not reuse one of your last 5 PINs');

    await pool.query(`update users set pin_locked_until = now() + interval '20 minutes' where id = $1`, [user.id]);
    await page.reload();
    await expect.poll(() => page.textContent('#pin-status'), SERVER_WORK).toContain('locked out');
    await page.screenshot({ path: 'test-artifacts/settings-pin-locked-until.png', fullPage: true });
    await setPin(page, '90215');
    await expect.poll(() => page.textContent('#pin-status'), SERVER_WORK).toContain('Your PIN is set');
    expect((await pool.query('select pin_locked_until from users where id = $1', [user.id])).rows[0].pin_locked_until).toBeNull();

    // Too many wrong PINs in all: only an administrator (or a new PIN) unlocks it.
    await pool.query('update users set pin_locked_out = true where id = $1', [user.id]);
    await page.reload();
    await expect.poll(() => page.textContent('#pin-status'), SERVER_WORK).toContain('ask an administrator to unlock it');
    await setPin(page, '70315');
    await expect.poll(() => page.textContent('#pin-status'), SERVER_WORK).toContain('Your PIN is set');
    expect((await pool.query('select pin_locked_out from users where id = $1', [user.id])).rows[0].pin_locked_out).toBe(false);
  }, 60_000);
});

describe('the leader panel', () => {
  const ADMIN = 'panel-page-admin-token-0123';
  let api: TestApi;
  let url: string;
  beforeAll(async () => {
    api = await apiOnFreshDatabase(ADMIN);
    url = await api.app.listen({ port: 0, host: '127.0.0.1' });
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  async function user(name: string) {
    const password = 'panel page password';
    const response = await api.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { authorization: `Bearer ${ADMIN}` },
      payload: { displayName: name, email: `${name.toLowerCase()}@example.com`, sipUri: `sip:${name.toLowerCase()}@example.com`, region: 'US', password },
    });
    return { ...(response.json() as { id: string; email: string }), password };
  }

  async function signIn(email: string, password: string, meetingId: string) {
    const page = await browser().newPage({ viewport: { width: 390, height: 800 } }); // a phone screen
    await page.goto(`${url}/panel/${meetingId}`);
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.click('#sign-in-form button[type=submit]');
    await page.locator('#connection', { hasText: 'Live' }).waitFor();
    return page;
  }

  it('gives leaders the controls and participants none, and asks the last leader leaving to promote someone', async () => {
    const [ann, bo] = [await user('Ann'), await user('Bo')];
    const meeting = (
      await api.app.inject({ method: 'POST', url: '/api/v1/conferences', headers: { authorization: `Bearer ${ADMIN}` }, payload: { subject: 'Page', leaders: [ann.email], invitees: [bo.email] } })
    ).json() as { id: string };
    const store = pgParticipantStore(api.pool);
    const line = async (userId: string, name: string, role: 'leader' | 'participant') => {
      const p = await store.insert({ id: randomUUID(), conferenceId: meeting.id, channelId: `chan-${randomUUID()}`, displayName: name, callerNumber: '+14255550100' });
      await store.identify(p.id, { userId, displayName: name, role });
      await store.connect(p.id, { overrideLock: false });
      return p.id;
    };
    const annLine = await line(ann.id, 'Ann', 'leader');
    const boLine = await line(bo.id, 'Bo', 'participant');

    const watcher = await signIn(bo.email, bo.password, meeting.id);
    await watcher.locator(`li[data-participant="${annLine}"]`).waitFor();
    expect(await watcher.locator('#leader-bar').isVisible()).toBe(false);
    expect(await watcher.locator('.actions').count()).toBe(0);

    const leader = await signIn(ann.email, ann.password, meeting.id);
    await expect(leader.locator(`li[data-participant="${annLine}"] .name`).textContent()).resolves.toBe('Ann (you)');
    await leader.keyboard.press('Tab'); // the controls are ordinary buttons, reachable by keyboard
    await leader.getByRole('button', { name: 'Leave the conference' }).click();
    await leader.locator('#promote-dialog[open]').waitFor();
    await leader.selectOption('#promote-choice', boLine);
    await leader.getByRole('button', { name: 'Promote and leave' }).click();

    // Bo is a leader now: his page shows the controls without a reload (the event stream says so).
    await watcher.locator(`li[data-participant="${boLine}"] .badge.leader`).waitFor({ timeout: 5000 });
    await watcher.locator('#leader-bar').waitFor({ state: 'visible', timeout: 5000 });
    expect((await store.get(boLine))?.role).toBe('leader');
    const audit = (await api.app.inject({ method: 'GET', url: `/api/v1/conferences/${meeting.id}/audit`, headers: { authorization: `Bearer ${ADMIN}` } })).json() as Array<{ actor: string; action: string }>;
    expect(audit.map((e) => `${e.actor} ${e.action}`)).toContain(`${ann.email} promote`);
  });
});
