// The panel page in real Chromium against the real API and PostgreSQL (no calls: rows stand in for them).
// What only the page decides: leaders get buttons and participants do not, and the last leader leaving
// while others remain is asked to promote someone first.
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pgParticipantStore } from '../../src/adapters/pg/participant-store.js';
import { apiOnFreshDatabase, type TestApi } from '../support/api-app.js';
import { launchChromium } from '../support/browser.js';

const ADMIN = 'panel-page-admin-token-0123';
let api: TestApi;
let url: string;
let browser: Browser;

beforeAll(async () => {
  api = await apiOnFreshDatabase(ADMIN);
  url = await api.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
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
  const page = await browser.newPage({ viewport: { width: 390, height: 800 } }); // a phone screen
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
