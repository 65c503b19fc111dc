import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/**
 * Debian's Chromium, headless, as the page tests run it (no sandbox: CI runs as root), through a wrapper
 * that ties it to the test worker's life (test/support/tied.ts).
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: fileURLToPath(new URL('./chromium-tied.sh', import.meta.url)),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** One Chromium for the test file: launched before its tests, closed after them. */
export function useChromium(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('Chromium is not running yet: use it inside a test');
    return browser;
  };
}
