/** The attendant's languages. */
export const LOCALES = [
  'en-US', 'en-GB', 'en-AU', 'zh-CN', 'zh-TW', 'pt-BR', 'ko-KR',
  'es-MX', 'es-ES', 'fr-CA', 'fr-FR', 'de-DE', 'it-IT', 'ja-JP',
] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

/** An access number speaks one primary language and offers up to four more. */
export const MAX_SECONDARY_LANGUAGES = 4;
