import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** E.164 for a number written either internationally or in the region's own national format; undefined if invalid. */
export function toE164(input: string, country: string): string | undefined {
  const parsed = parsePhoneNumberFromString(input, country as CountryCode);
  return parsed?.isValid() ? parsed.number : undefined;
}
