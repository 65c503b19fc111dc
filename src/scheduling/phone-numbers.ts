import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** E.164 for a number written either internationally or in the region's own national format; undefined if invalid. */
export function toE164(input: string, country: string): string | undefined {
  const parsed = parsePhoneNumberFromString(input, country as CountryCode);
  return parsed?.isValid() ? parsed.number : undefined;
}

/** E.164 and the number's country, for a number typed by someone at home in `country` (or written +…). */
export function parseDialable(input: string, country: string | undefined): { e164: string; country: string | undefined } | undefined {
  const parsed = parsePhoneNumberFromString(input, country as CountryCode | undefined);
  return parsed?.isValid() ? { e164: parsed.number, country: parsed.country } : undefined;
}
