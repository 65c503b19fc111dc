import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { maskCallerNumber } from '../domain/participant.js';

/**
 * A caller's number as the roster shows it to everyone in the meeting (leaders and participants alike):
 * the country code, the first three digits and the last four, the middle masked — enough to tell two
 * callers apart, never the whole number (call records keep that for the organizer). Null when there is no
 * usable number (anonymous, a browser, an extension), and when the caller is already shown by their
 * number: a caller without a caller-ID name is shown in maskCallerNumber's form, which keeps the other
 * digits (both side by side would spell the whole number); a number parley called without a name, in
 * this form (the same thing twice).
 */
export function rosterNumber(number: string, shownAs?: string): string | null {
  if (shownAs !== undefined && shownAs === maskCallerNumber(number)) return null;
  const masked = masking(number);
  return shownAs !== undefined && shownAs === masked ? null : masked;
}

function masking(number: string): string | null {
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
