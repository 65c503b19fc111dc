// axe-core's WCAG 2.1 AA rules (and best practices) on the page as it is now, in real Chromium.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** Every violation as "rule (impact, nodes)"; the page's context must bypass CSP (axe is injected). */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (tags) => {
    const page = globalThis as unknown as { document: unknown; axe: { run(context: unknown, options: object): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: unknown }> }> }> } };
    const result = await page.axe.run(page.document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length}: ${JSON.stringify(v.nodes[0]?.target)})`);
  }, AXE_TAGS);
}

/** Where page tests leave a screenshot of each state (git-ignored), for people to look at. */
export const ARTIFACTS = 'test-artifacts';

/** The page's state as it is now: a screenshot in ARTIFACTS, no axe violation, no sideways scrolling. */
export async function checkPageState(page: Page, state: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}/${state}.png`, fullPage: true });
  expect(await axeViolations(page), state).toEqual([]);
  const sideways = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  expect(sideways, `${state}: sideways scrolling`).toBe(0);
}
