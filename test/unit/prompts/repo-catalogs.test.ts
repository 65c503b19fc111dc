// Fails while a translation is missing or out of step with en-US: that is the point.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadCatalogs } from '../../../scripts/prompts/files.js';
import { LOCALES } from '../../../scripts/prompts/locales.js';

const promptsDir = fileURLToPath(new URL('../../../prompts', import.meta.url));

describe('prompts/*.json in the repository', () => {
  it('has all 14 locales, each with exactly the keys and placeholders of en-US', async () => {
    const { problems } = await loadCatalogs(promptsDir, LOCALES);
    expect(problems).toEqual([]);
  });
});
