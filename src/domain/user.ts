import { DomainError } from './errors.js';

export type Role = 'admin' | 'organizer';
export const PHONE_KINDS = ['work', 'mobile', 'home', 'other'] as const;
export type PhoneKind = (typeof PHONE_KINDS)[number];
export type Phones = Partial<Record<PhoneKind, string>>;

export interface User {
  readonly id: string;
  readonly displayName: string;
  readonly sipUri: string;
  readonly email: string;
  readonly extension: string | null;
  /** E.164, e.g. +14255550123. */
  readonly phones: Phones;
  readonly region: string;
  readonly role: Role;
  readonly assignedConferenceId: string;
  readonly hasPin: boolean;
  readonly pinSetAt: Date | null;
  /** A temporary lock after wrong PINs close together at the keypad (see pin-lockout.ts). */
  readonly pinLockedUntil: Date | null;
  /** Locked after too many wrong PINs in all: until an administrator unlocks it or a new PIN is set. */
  readonly pinLockedOut: boolean;
  readonly createdAt: Date;
}

/** Who is making a request: a directory user, or the deployment's own service token. */
export type Principal = { kind: 'user'; user: User } | { kind: 'service' };

export function isAdmin(principal: Principal): boolean {
  return principal.kind === 'service' || principal.user.role === 'admin';
}

export function requireAdmin(principal: Principal): void {
  if (!isAdmin(principal)) throw new DomainError('forbidden', 'only an administrator may do this');
}

export function canActFor(principal: Principal, userId: string): boolean {
  return isAdmin(principal) || (principal.kind === 'user' && principal.user.id === userId);
}

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const SIP_URI_PATTERN = /^sips?:[^\s@]+@[^\s@]+$/i;
export const EXTENSION_PATTERN = /^[0-9]{2,10}$/;
