import { parse } from 'csv-parse/sync';
import { DomainError } from '../domain/errors.js';
import { PHONE_KINDS } from '../domain/user.js';
import type { UserInput } from './user-rows.js';

/**
 * A CSV import: a header row, then one user a row. Columns: displayName, email, sipUri, extension,
 * region, role, password, and phone_work, phone_mobile, phone_home, phone_other. Empty cells are absent.
 */
export function usersFromCsv(text: string): UserInput[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw new DomainError('validation-failed', `not valid CSV: ${(error as Error).message}`);
  }
  return records.map((record) => {
    const cell = (name: string) => (record[name] === undefined || record[name] === '' ? undefined : record[name]);
    const phones = Object.fromEntries(PHONE_KINDS.flatMap((kind) => (cell(`phone_${kind}`) ? [[kind, cell(`phone_${kind}`)]] : [])));
    return {
      displayName: cell('displayName'),
      email: cell('email'),
      sipUri: cell('sipUri'),
      extension: cell('extension'),
      region: cell('region'),
      role: cell('role'),
      password: cell('password'),
      phones,
    };
  });
}
