// The invitation e-mail as people read it: the plain-text body as a plain-text client shows it (78
// columns, no markup), the HTML body rendered by a real Chromium at phone and desktop widths (screenshots
// in test-artifacts/), and a cancellation that carries no way in.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from '../../src/adapters/http/app.js';
import { TEXT_WIDTH } from '../../src/meetings/invitation-email.js';
import { apiOnFreshDatabase, type TestApi } from '../support/api-app.js';
import { useChromium } from '../support/browser.js';

const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');
const ADMIN = 'invitation-email-admin-token';
const browser = useChromium();
let api: TestApi;
let app: HttpApp;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  api = await apiOnFreshDatabase(ADMIN, { publicUrl: 'https://meet.example.com' });
  ({ app } = api);
});
afterAll(async () => {
  await api?.close();
});

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${ADMIN}` }, ...(payload ? { payload } : {}) });

interface Mail {
  subject: string;
  text: string;
  html: string;
}

async function scheduled() {
  const meeting = (
    await call('POST', '/api/v1/conferences', {
      subject: 'Quarterly review <EMEA & US> — “budget”',
      startsAt: '2027-03-01T16:00:00Z',
      endsAt: '2027-03-01T17:30:00Z',
      timeZone: 'America/Los_Angeles',
      recurrence: 'FREQ=WEEKLY;COUNT=4',
      passcode: '246810',
      invitees: ['bo@example.com'],
    })
  ).json() as { id: string; conferenceId: string };
  const mail = (await call('GET', `/api/v1/conferences/${meeting.id}/invitation`)).json() as Mail;
  return { meeting, mail };
}

/** What the reader must find, whichever body they read. */
function essentials(meeting: { id: string; conferenceId: string }) {
  return [
    meeting.conferenceId,
    '246810',
    '+1 (425) 555-0100',
    `tel:+14255550100,,${meeting.conferenceId}%23,,246810%23`,
    `sip:${meeting.conferenceId}@127.0.0.1:5060`,
    `https://meet.example.com/panel/${meeting.id}`,
    'https://meet.example.com/dialin',
  ];
}

describe('the plain-text body', () => {
  it('reads at 78 columns with no markup: when, numbers with one-tap links, ID and passcode, and each link on its own line', async () => {
    const { meeting, mail } = await scheduled();
    const lines = mail.text.split('\n');
    for (const line of lines) {
      // Only a line that is a link alone may be longer: clients do not break URLs.
      if (!/^\s*(One tap: )?(tel|sip|https?):\S+$/.test(line)) expect(line.length, line).toBeLessThanOrEqual(TEXT_WIDTH);
    }
    // No markup leaks in (the subject's own brackets and ampersand stay as typed, unescaped).
    expect(mail.text.replaceAll('Quarterly review <EMEA & US>', '')).not.toMatch(/<\/?[a-z][^>]*>|&#\d+;|&[a-z]+;/i);
    expect(lines[0]).toBe('Quarterly review <EMEA & US> — “budget”');
    expect(lines[1]).toBe('Monday, March 1, 2027, 8:00 AM – 9:30 AM (America/Los Angeles time)');
    expect(lines[2]).toBe('Repeats every week for 4 times');
    for (const needed of essentials(meeting)) expect(mail.text).toContain(needed);
    // Links stand alone on their lines (after the indentation), so a plain-text client makes them clickable.
    for (const url of essentials(meeting).filter((e) => /^(sip|https):/.test(e))) expect(lines.map((l) => l.trim())).toContain(url);
    expect(mail.text).toMatch(/^ {2}Conference ID: \d{7} #$/m);
    expect(mail.text).toMatch(/^ {2}Passcode: 246810 #$/m);
  });
});

describe('the HTML body, rendered by Chromium', () => {
  it('shows everything at phone and desktop widths without sideways scrolling; every link is a tel:, sip: or https: link', async () => {
    const { meeting, mail } = await scheduled();
    expect(mail.html).toMatch(/^<!DOCTYPE html>/);
    expect(mail.html).not.toMatch(/<style|<script|<img|<link|src=/i);
    expect(mail.html).toContain('Quarterly review &#60;EMEA &#38; US&#62;');
    for (const [name, width] of [
      ['phone', 375],
      ['desktop', 800],
    ] as const) {
      const context = await browser().newContext({ viewport: { width, height: 700 }, javaScriptEnabled: false });
      const page = await context.newPage();
      await page.setContent(mail.html);
      await page.screenshot({ path: join(ARTIFACTS, `invitation-email-${name}.png`), fullPage: true });
      const shown = await page.locator('body').innerText();
      for (const needed of [meeting.conferenceId, '246810', '+1 (425) 555-0100', 'Monday, March 1, 2027', 'Quarterly review <EMEA & US> — “budget”']) expect(shown, name).toContain(needed);
      const scrollWidth = await page.evaluate('document.documentElement.scrollWidth');
      expect(scrollWidth, `${name}: no sideways scrolling`).toBeLessThanOrEqual(width);
      const hrefs = await page.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      expect(hrefs.length).toBeGreaterThanOrEqual(4);
      for (const href of hrefs) expect(href).toMatch(/^(tel|sip|https):/);
      expect(hrefs).toEqual(expect.arrayContaining(essentials(meeting).filter((e) => /^(tel|sip|https):/.test(e))));
      expect(await page.title()).toBe('Quarterly review <EMEA & US> — “budget”');
      await context.close();
    }
  });

  it('a cancellation says so, with when it was planned, and neither body carries a way in', async () => {
    const { meeting } = await scheduled();
    expect((await call('DELETE', `/api/v1/conferences/${meeting.id}`)).statusCode).toBe(200);
    const mail = (await call('GET', `/api/v1/conferences/${meeting.id}/invitation`)).json() as Mail;
    expect(mail.subject).toBe('Cancelled: Quarterly review <EMEA & US> — “budget”');
    expect(mail.text).toContain('This meeting has been cancelled: Quarterly review');
    expect(mail.text).toContain('Monday, March 1, 2027');
    for (const secret of essentials(meeting)) {
      expect(mail.text).not.toContain(secret);
      expect(mail.html).not.toContain(secret);
    }
    const context = await browser().newContext({ viewport: { width: 375, height: 400 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.setContent(mail.html);
    await page.screenshot({ path: join(ARTIFACTS, 'invitation-email-cancelled.png'), fullPage: true });
    expect(await page.locator('body').innerText()).toContain('This meeting has been cancelled');
    expect(await page.locator('a').count()).toBe(0);
    await context.close();
  });
});
