import { isLocale, type Locale } from '../domain/locales.js';
import type { AccessNumberStore, CallerLanguageStore } from '../ports/store.js';

/** Which languages a call may hear: the access number's, and the one its caller chose last time. */
export interface CallLanguages {
  /** The language to greet in first, then the others to offer, in the access number's order. */
  forCall(dialed: string, callerNumber: string): Promise<{ greet: Locale; offer: Locale[] }>;
  remember(callerNumber: string, language: Locale): Promise<void>;
}

const FALLBACK: Locale = 'en-US';

/** A caller ID worth remembering: a real number, not "anonymous" or a short internal one. */
function rememberable(callerNumber: string): string | undefined {
  const digits = callerNumber.replace(/[^0-9]/g, '');
  return digits.length >= 7 ? digits : undefined;
}

export function callLanguages(accessNumbers: Pick<AccessNumberStore, 'get'>, callers: CallerLanguageStore): CallLanguages {
  return {
    async forCall(dialed, callerNumber) {
      const number = await accessNumbers.get(dialed);
      const languages = (number?.languages ?? [FALLBACK]).filter(isLocale);
      const primary = languages[0] ?? FALLBACK;
      const key = rememberable(callerNumber);
      const remembered = key ? await callers.get(key) : undefined;
      const greet = remembered && isLocale(remembered) ? remembered : primary;
      return { greet, offer: languages.filter((language) => language !== greet) };
    },
    async remember(callerNumber, language) {
      const key = rememberable(callerNumber);
      if (key) await callers.set(key, language);
    },
  };
}
