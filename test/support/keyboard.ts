// Keyboard-only operation: Tab to a control (never a click or a focus() call) and press a key on it.
import type { Locator, Page } from 'playwright-core';

/** Presses Tab until the control has focus (at most `limit` times), then `key`; fails if it is unreachable. */
export async function tabToAndPress(page: Page, control: Locator, key = 'Enter', limit = 400): Promise<void> {
  const target = await control.elementHandle();
  if (!target) throw new Error('no such control');
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((node) => (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement === node)) {
      await page.keyboard.press(key);
      return;
    }
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${await control.evaluate((node) => (node as unknown as { outerHTML: string }).outerHTML.slice(0, 120))} with Tab`);
}
