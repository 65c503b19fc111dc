// How each voice is given the numbers 0–100 (parley/number-N).
// espeak-ng 1.51 reads Arabic numerals in the voice's own language for every voice we use except two:
// ja reads 100 as "ichi hyaku" and needs kana; cmn-latn-pinyin reads 100 as "yi1 bai3" (should be yi4 bai3),
// and generating pinyin keeps the numbers in the same form as the catalog's speak texts.
export type NumberStyle = 'digits' | 'mandarin-pinyin' | 'japanese-kana';

export const MAX_NUMBER = 100;

const PINYIN_DIGITS = ['ling2', 'yi1', 'er4', 'san1', 'si4', 'wu3', 'liu4', 'qi1', 'ba1', 'jiu3'] as const;
const KANA_DIGITS = ['ぜろ', 'いち', 'に', 'さん', 'よん', 'ご', 'ろく', 'なな', 'はち', 'きゅう'] as const;

function checkRange(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_NUMBER) throw new RangeError(`number ${n} is outside 0..${MAX_NUMBER}`);
}

function digit<T extends readonly string[]>(table: T, d: number): string {
  const word = table[d];
  if (word === undefined) throw new RangeError(`no word for digit ${d}`);
  return word;
}

/** Mandarin in pinyin with tone numbers, syllables space-separated: 42 → "si4 shi2 er4". */
export function mandarinPinyin(n: number): string {
  checkRange(n);
  if (n === 100) return 'yi4 bai3';
  if (n < 10) return digit(PINYIN_DIGITS, n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  const words = tens === 1 ? ['shi2'] : [digit(PINYIN_DIGITS, tens), 'shi2'];
  if (ones > 0) words.push(digit(PINYIN_DIGITS, ones));
  return words.join(' ');
}

/** Japanese in hiragana: 42 → "よんじゅうに". */
export function japaneseKana(n: number): string {
  checkRange(n);
  if (n === 100) return 'ひゃく';
  if (n < 10) return digit(KANA_DIGITS, n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : digit(KANA_DIGITS, tens)}じゅう${ones > 0 ? digit(KANA_DIGITS, ones) : ''}`;
}

/** What the TTS is given for the number n in a voice of the given style. */
export function numberSpeech(style: NumberStyle, n: number): string {
  switch (style) {
    case 'digits':
      checkRange(n);
      return String(n);
    case 'mandarin-pinyin':
      return mandarinPinyin(n);
    case 'japanese-kana':
      return japaneseKana(n);
  }
}
