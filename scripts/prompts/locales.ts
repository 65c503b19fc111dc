// Which espeak-ng 1.51 voice speaks each locale, and how Asterisk names its sound folder.
import { LOCALES, type Locale } from '../../src/domain/locales.js';
import type { NumberStyle } from './numbers.js';

export { LOCALES, type Locale };

export interface Voice {
  /** espeak-ng -v */
  readonly voice: string;
  /** espeak-ng -s, words per minute */
  readonly speed: number;
  readonly numbers: NumberStyle;
  /** The catalog must give {text, speak}: the written form is not something the voice can read. */
  readonly needsSpeakForm: boolean;
}

const plain = (voice: string): Voice => ({ voice, speed: 150, numbers: 'digits', needsSpeakForm: false });
// cmn-latn-pinyin reads Hanzi with wrong tones, ja says "Chinese letter" for every kanji.
const mandarin: Voice = { voice: 'cmn-latn-pinyin', speed: 150, numbers: 'mandarin-pinyin', needsSpeakForm: true };
const japanese: Voice = { voice: 'ja', speed: 150, numbers: 'japanese-kana', needsSpeakForm: true };

export const VOICES: Readonly<Record<Locale, Voice>> = {
  'en-US': plain('en-us'),
  'en-GB': plain('en-gb'),
  // espeak-ng 1.51 has no Australian English voice.
  'en-AU': plain('en-gb'),
  'zh-CN': mandarin,
  'zh-TW': mandarin,
  'pt-BR': plain('pt-br'),
  'ko-KR': plain('ko'),
  'es-MX': plain('es-419'),
  'es-ES': plain('es'),
  // espeak-ng 1.51 has no Canadian French voice.
  'fr-CA': plain('fr-fr'),
  'fr-FR': plain('fr-fr'),
  'de-DE': plain('de'),
  'it-IT': plain('it'),
  'ja-JP': japanese,
};

export const REFERENCE_LOCALE: Locale = 'en-US';

/** Asterisk looks sounds up in sounds/<channel language>/ and the channel language uses an underscore (fr_CA). */
export function soundFolder(locale: Locale): string {
  return locale.replace('-', '_');
}

/** The channel default language: the dialplan's fallback prompt plays from sounds/en/. */
export const DEFAULT_FOLDER = 'en';
