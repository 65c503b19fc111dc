// axe-core's WCAG 2.1 AA rules on parley's pages in real Chromium: every violation, of any impact, fails.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from '../../src/adapters/http/app.js';
import { apiOnFreshDatabase, type TestApi } from '../support/api-app.js';
import { useChromium } from '../support/browser.js';
import { FakeTelephony } from '../support/fake-telephony.js';

const browser = useChromium();
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
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

async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    // In the page: axe-core was injected above (no DOM types in this test's TypeScript).
    const page = globalThis as unknown as { document: unknown; axe: { run(context: unknown, options: object): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } };
    const result = await page.axe.run(page.document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`);
  });
  return found;
}

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
      expect(await violations(page), 'settings, signed out').toEqual([]);

      await page.goto(`${url}/panel/00000000000000000000000000000000`);
      await page.locator('#sign-in').waitFor();
      expect(await violations(page), 'panel, signed out').toEqual([]);

      const password = 'a11y password 0123';
      await app.inject({ method: 'POST', url: '/api/v1/users', headers: { authorization: `Bearer ${ADMIN}` }, payload: { displayName: 'Ann', email: 'ann@example.com', sipUri: 'sip:ann@example.com', region: 'US', password, phones: { mobile: '+14255550201' } } });
      const token = (await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: 'ann@example.com', password } })).json().token as string;
      const made = await app.inject({ method: 'POST', url: '/api/v1/audio-conferences', headers: { authorization: `Bearer ${token}` }, payload: { callMe: { published: 'mobile' }, participants: [{ email: 'pat@contoso.example', displayName: 'Pat' }] } });
      await page.goto(`${url}/join/${made.json().invitations[0].id as string}`);
      await page.locator('#details').waitFor();
      expect(await violations(page), 'join page').toEqual([]);
      // Nothing the pages ask for is missing (a favicon was), and their scripts report no error.
      expect(consoleErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
