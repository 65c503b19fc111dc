import type { FieldProblem } from '../domain/errors.js';
import { EMAIL_PATTERN, EXTENSION_PATTERN, PHONE_KINDS, SIP_URI_PATTERN, type Phones, type Role } from '../domain/user.js';
import type { Region } from '../ports/directory-store.js';
import { toE164 } from './phone-numbers.js';

/** A user as an admin writes it: in a request, a JSON import or a CSV row. */
export interface UserInput {
  readonly displayName?: unknown;
  readonly email?: unknown;
  readonly sipUri?: unknown;
  readonly extension?: unknown;
  readonly phones?: unknown;
  readonly region?: unknown;
  readonly role?: unknown;
  readonly password?: unknown;
}

export interface CleanUser {
  readonly displayName: string;
  readonly email: string;
  readonly sipUri: string;
  readonly extension: string | null;
  readonly phones: Phones;
  readonly region: string;
  readonly role: Role;
  readonly password: string | null;
}

export const MIN_PASSWORD_LENGTH = 8;

export type Checked<T> = { readonly problems: FieldProblem[] } | { readonly clean: T };

/** Checks one row field by field; every problem is reported, not just the first. */
export function cleanUserRow(input: UserInput, regions: ReadonlyMap<string, Region>, row?: number): Checked<CleanUser> {
  const problems: FieldProblem[] = [];
  const problem = (field: string, code: FieldProblem['code'], message: string) =>
    problems.push({ ...(row === undefined ? {} : { row }), field, code, message });
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

  const displayName = text(input.displayName);
  if (!displayName || displayName.length > 200) problem('displayName', 'validation-failed', 'a display name of 1 to 200 characters is required');
  const email = text(input.email)?.toLowerCase();
  if (!email || !EMAIL_PATTERN.test(email)) problem('email', 'validation-failed', 'a valid e-mail address is required');
  const sipUri = text(input.sipUri)?.toLowerCase();
  if (!sipUri || !SIP_URI_PATTERN.test(sipUri)) problem('sipUri', 'validation-failed', 'a SIP URI such as sip:ann@example.com is required');
  const extension = input.extension === undefined || input.extension === null ? undefined : text(String(input.extension));
  if (extension !== undefined && !EXTENSION_PATTERN.test(extension)) problem('extension', 'validation-failed', 'an extension is 2 to 10 digits');
  const regionCode = text(input.region);
  const region = regionCode ? regions.get(regionCode) : undefined;
  if (!region) problem('region', 'unknown-region', `no region "${regionCode ?? ''}"`);
  const role = input.role === undefined ? 'organizer' : input.role;
  if (role !== 'organizer' && role !== 'admin') problem('role', 'validation-failed', 'role is admin or organizer');
  const password = input.password === undefined || input.password === null ? undefined : input.password;
  if (password !== undefined && (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH)) {
    problem('password', 'validation-failed', `a password has at least ${MIN_PASSWORD_LENGTH} characters`);
  }

  const phones: Phones = {};
  if (input.phones !== undefined && input.phones !== null) {
    if (typeof input.phones !== 'object' || Array.isArray(input.phones)) problem('phones', 'validation-failed', 'phones is an object');
    else {
      for (const [kind, raw] of Object.entries(input.phones)) {
        if (!(PHONE_KINDS as readonly string[]).includes(kind)) {
          problem(`phones.${kind}`, 'validation-failed', `phone kinds are ${PHONE_KINDS.join(', ')}`);
          continue;
        }
        if (raw === undefined || raw === null || raw === '') continue;
        const e164 = typeof raw === 'string' && region ? toE164(raw, region.country) : undefined;
        if (e164) phones[kind as keyof Phones] = e164;
        else problem(`phones.${kind}`, 'invalid-phone-number', `"${String(raw)}" is not a valid phone number${region ? ` in ${region.country}` : ''}`);
      }
    }
  }

  if (problems.length > 0) return { problems };
  const clean: CleanUser = {
    displayName: displayName!,
    email: email!,
    sipUri: sipUri!,
    extension: extension ?? null,
    phones,
    region: region!.code,
    role: role as Role,
    password: (password as string | undefined) ?? null,
  };
  return { clean };
}
