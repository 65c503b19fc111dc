// Every prompt a flow can say must be a sound `npm run prompts` renders, in every locale.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_SECONDARY_LANGUAGES } from '../../../src/domain/locales.js';
import { KEYED_PROMPTS, keyed, languageOffer, numberPrompt, PROMPTS, type KeyedPrompt } from '../../../src/prompts/catalog.js';
import { expandCatalog } from '../../../scripts/prompts/catalog.js';
import { loadCatalogs } from '../../../scripts/prompts/files.js';
import { LOCALES, VOICES } from '../../../scripts/prompts/locales.js';
import { TONES } from '../../../scripts/prompts/plan.js';
import type enUS from '../../../prompts/en-US.json';

// The typecheck fails when a prompt name is not a key of the reference catalog, or one of its {key}
// prompts said with a fixed key (-star, -pound); tones are synthesised, not spoken.
type CatalogKey = keyof typeof enUS;
type SoundName<P> = P extends `parley/${infer Name}` ? Name : never;
type Unknown<Names> = Exclude<Names, CatalogKey | `${CatalogKey}-${'star' | 'pound'}` | `tone-${string}`>;
/** Names the unknown prompt in the type error: "Type '"welcom"' does not satisfy the constraint 'never'". */
const noneUnknown = <_Names extends never>(): true => true;
const promptsAreInTheCatalog = noneUnknown<Unknown<SoundName<(typeof PROMPTS)[keyof typeof PROMPTS]>>>();
const keyedPromptsAreInTheCatalog = noneUnknown<Unknown<KeyedPrompt>>();

const promptsDir = fileURLToPath(new URL('../../../prompts', import.meta.url));

/** Every sound name (under parley/) the code can ask Asterisk to play. */
function soundsTheCodePlays(): string[] {
  const prompts = [
    ...Object.values(PROMPTS),
    ...KEYED_PROMPTS.flatMap((prompt) => [keyed(prompt, '*'), keyed(prompt, '#')]),
    ...Array.from({ length: MAX_SECONDARY_LANGUAGES }, (_, i) => languageOffer(i + 1)),
    ...Array.from({ length: 102 }, (_, n) => numberPrompt(n)),
  ];
  return [...new Set(prompts)].map((prompt) => prompt.replace(/^parley\//, ''));
}

describe('the prompt names in src/prompts/catalog.ts', () => {
  it('are keys of the reference catalog (checked by the typecheck as well)', () => {
    expect(promptsAreInTheCatalog && keyedPromptsAreInTheCatalog).toBe(true);
  });

  it('name a sound every locale renders', async () => {
    const { catalogs, problems } = await loadCatalogs(promptsDir, LOCALES);
    expect(problems).toEqual([]);
    const wanted = soundsTheCodePlays();
    for (const locale of LOCALES) {
      const catalog = catalogs.get(locale);
      expect(catalog, locale).toBeDefined();
      const rendered = new Set([...expandCatalog(catalog ?? {}, VOICES[locale].numbers).map((s) => s.name), ...TONES.map((t) => t.name)]);
      expect(wanted.filter((name) => !rendered.has(name)), locale).toEqual([]);
    }
  });

  it('lists the keyed prompts: one help prompt per command digit', () => {
    expect(KEYED_PROMPTS.filter((p) => p.startsWith('help-'))).toEqual(['help-1', 'help-3', 'help-4', 'help-6', 'help-7', 'help-8', 'help-9']);
  });
});
