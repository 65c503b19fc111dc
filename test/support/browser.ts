import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

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
