import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * A caller's number as the roster shows it to everyone in the meeting (leaders and participants alike):
 * the country code, the first three digits and the last four, the middle masked — enough to tell two
 * callers apart, never the whole number (call records keep that for the organizer). Null when there is no
 * usable number (anonymous, a browser, an extension), and when the caller is already shown by it: one
 * without a caller-ID name, or a number parley called without a name (the same thing twice).
 */
export function rosterNumber(number: string, shownAs?: string): string | null {
  const masked = maskedNumber(number);
  return shownAs !== undefined && shownAs === masked ? null : masked;
}

/** The number in the roster's masked form ('+1 425 •••• 0123'); null when it is too short to be one. */
export function maskedNumber(number: string): string | null {
  const digits = number.replace(/[^0-9+]/g, '');
  const bare = digits.replace(/\+/g, '');
  if (bare.length < 7) return null;
  const parsed = parsePhoneNumberFromString(`+${bare}`);
  if (parsed?.isValid()) {
    const national = parsed.nationalNumber as string;
    const head = national.length >= 9 ? `${national.slice(0, 3)} ` : '';
    return `+${parsed.countryCallingCode} ${head}•••• ${national.slice(-4)}`;
  }
  return `•••• ${bare.slice(-4)}`;
}
