import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** E.164 for a number written either internationally or in the region's own national format; undefined if invalid. */
export function toE164(input: string, country: string): string | undefined {
  const parsed = parsePhoneNumberFromString(input, country as CountryCode);
  return parsed?.isValid() ? parsed.number : undefined;
}

/**
 * E.164, the number's country and its type (premium-rate, shared-cost, mobile… in lower case), for a
 * number typed by someone at home in `country` (or written +…). The full ("max") metadata: the small
 * one knows no types for most countries (a French 089 number would pass as unknown).
 */
export function parseDialable(input: string, country: string | undefined): { e164: string; country: string | undefined; type: string | undefined } | undefined {
  const parsed = parsePhoneNumberFromString(input, country as CountryCode | undefined);
  if (!parsed?.isValid()) return undefined;
  const type = parsed.getType();
  return { e164: parsed.number, country: parsed.country, type: type ? type.toLowerCase().replace(/_/g, '-') : undefined };
}
