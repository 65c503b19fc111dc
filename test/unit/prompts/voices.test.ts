// Re-checks, against the installed espeak-ng and sox, what the build relies on.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCALES, VOICES } from '../../../scripts/prompts/locales.js';
import { japaneseKana, mandarinPinyin } from '../../../scripts/prompts/numbers.js';
import { audibleProblem, renderSound } from '../../../scripts/prompts/render.js';

const run = promisify(execFile);
const phonemes = async (voice: string, text: string): Promise<string> =>
  (await run('espeak-ng', ['-v', voice, '-q', '-x', '--', text])).stdout.replace(/\s+/g, ' ').trim();
const scratch = await mkdtemp(join(tmpdir(), 'parley-voices-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('espeak-ng voices', () => {
  it('lists every voice the locales use', async () => {
    const listed = (await run('espeak-ng', ['--voices'])).stdout.split('\n').map((line) => line.trim().split(/\s+/)[1]);
    for (const locale of LOCALES) expect(listed, locale).toContain(VOICES[locale].voice);
  });

  it.each(LOCALES.map((l) => [l, VOICES[l].voice] as const))('renders audible speech for %s (%s)', async (locale, voice) => {
    const speak = locale.startsWith('ja') ? japaneseKana(42) : locale.startsWith('zh') ? mandarinPinyin(42) : '42';
    const base = join(scratch, locale);
    const measure = await renderSound({ kind: 'tts', voice, speed: 150, speak }, base, scratch, 0);
    expect(audibleProblem(measure), `${locale}: ${JSON.stringify(measure)}`).toBeUndefined();
  });

  // The traps that made numbers.ts necessary.
  it('ja reads 100 as "ichi hyaku", but our kana as "hyaku"', async () => {
    expect(await phonemes('ja', '100')).toMatch(/^,?it_si/);
    expect(await phonemes('ja', japaneseKana(100))).toBe("C'aku");
  });

  it('ja reads kanji as English ("Chinese letter"), kana as Japanese', async () => {
    expect(await phonemes('ja', '会議')).toContain('(en)');
    expect(await phonemes('ja', 'かいぎ')).not.toContain('(en)');
  });

  it('cmn-latn-pinyin reads tone numbers as tones', async () => {
    expect(await phonemes('cmn-latn-pinyin', mandarinPinyin(100))).toBe("j'i51_| p'ai214_|");
  });
});
