import { describe, expect, it } from 'vitest';
import { japaneseKana, mandarinPinyin, numberSpeech } from '../../../scripts/prompts/numbers.js';

describe('mandarinPinyin', () => {
  it.each([
    [0, 'ling2'], [1, 'yi1'], [2, 'er4'], [9, 'jiu3'],
    [10, 'shi2'], [11, 'shi2 yi1'], [19, 'shi2 jiu3'],
    [20, 'er4 shi2'], [42, 'si4 shi2 er4'], [70, 'qi1 shi2'], [99, 'jiu3 shi2 jiu3'],
    [100, 'yi4 bai3'],
  ])('reads %i as %s', (n, words) => {
    expect(mandarinPinyin(n)).toBe(words);
  });

  it('gives every syllable a tone number', () => {
    for (let n = 0; n <= 100; n++) {
      for (const syllable of mandarinPinyin(n).split(' ')) expect(syllable).toMatch(/^[a-z]+[1-4]$/);
    }
  });
});

describe('japaneseKana', () => {
  it.each([
    [0, 'ぜろ'], [4, 'よん'], [7, 'なな'], [9, 'きゅう'],
    [10, 'じゅう'], [11, 'じゅういち'], [14, 'じゅうよん'],
    [20, 'にじゅう'], [42, 'よんじゅうに'], [90, 'きゅうじゅう'], [99, 'きゅうじゅうきゅう'],
    [100, 'ひゃく'],
  ])('reads %i as %s', (n, words) => {
    expect(japaneseKana(n)).toBe(words);
  });

  it('writes only hiragana, which the ja voice can read (it cannot read kanji)', () => {
    for (let n = 0; n <= 100; n++) expect(japaneseKana(n)).toMatch(/^\p{Script=Hiragana}+$/u);
  });
});

describe('numberSpeech', () => {
  it('passes digits to voices that read numerals in their own language', () => {
    expect(numberSpeech('digits', 42)).toBe('42');
  });

  it('uses the generated words for Mandarin and Japanese', () => {
    expect(numberSpeech('mandarin-pinyin', 42)).toBe('si4 shi2 er4');
    expect(numberSpeech('japanese-kana', 100)).toBe('ひゃく');
  });

  it.each(['digits', 'mandarin-pinyin', 'japanese-kana'] as const)('refuses numbers outside 0..100 in %s', (style) => {
    for (const n of [-1, 101, 2.5, Number.NaN]) expect(() => numberSpeech(style, n)).toThrow(RangeError);
  });
});
