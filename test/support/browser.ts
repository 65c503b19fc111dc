import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/**
 * Debian's Chromium, headless, as the page tests run it (no sandbox: CI runs as root), through a wrapper
 * that ties it to the test worker's life (test/support/tied.ts).
 */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: fileURLToPath(new URL('./chromium-tied.sh', import.meta.url)),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

/**
 * A microphone for the page: Chromium's fake capture device playing `wav` in a loop, permission given
 * without asking, and audio that plays without a click.
 */
export function fakeMicrophone(wav: string): string[] {
  return ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`, '--autoplay-policy=no-user-gesture-required'];
}

/** One Chromium for the test file: launched before its tests, closed after them. */
export function useChromium(extraArgs: () => readonly string[] = () => []): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium(extraArgs());
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('Chromium is not running yet: use it inside a test');
    return browser;
  };
}

/**
 * A page in its own context that records console errors. The context bypasses the pages' CSP so axe can
 * be injected. An API refusal the page shows (a wrong password: 401) is logged by Chromium as a failed
 * resource and is not counted; any other resource that fails (a missing favicon, a script) and every
 * script error is.
 */
export async function pageRecordingErrors(browser: Browser, options: { viewport?: { width: number; height: number }; timezoneId?: string } = {}) {
  const context = await browser.newContext({ bypassCSP: true, viewport: options.viewport ?? { width: 1280, height: 900 }, locale: 'en-US', timezoneId: options.timezoneId ?? 'Europe/Berlin' });
  const page: Page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    const api = new URL(message.location().url || page.url()).pathname.startsWith('/api/v1/') && message.text().startsWith('Failed to load resource');
    if (message.type() === 'error' && !api) errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => void errors.push(`${page.url()}: ${error.message}`));
  return { page, errors, close: () => context.close() };
}
