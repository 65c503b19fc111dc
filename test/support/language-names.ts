import type { Locale } from '../../src/domain/locales.js';

/** What Chromium (ICU, English) calls each of the attendant's languages. */
export const LANGUAGE_NAMES: Record<Locale, string> = {
  'en-US': 'English (United States)',
  'en-GB': 'English (United Kingdom)',
  'en-AU': 'English (Australia)',
  'zh-CN': 'Chinese (China)',
  'zh-TW': 'Chinese (Taiwan)',
  'pt-BR': 'Portuguese (Brazil)',
  'ko-KR': 'Korean (South Korea)',
  'es-MX': 'Spanish (Mexico)',
  'es-ES': 'Spanish (Spain)',
  'fr-CA': 'French (Canada)',
  'fr-FR': 'French (France)',
  'de-DE': 'German (Germany)',
  'it-IT': 'Italian (Italy)',
  'ja-JP': 'Japanese (Japan)',
};
