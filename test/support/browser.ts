import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
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
