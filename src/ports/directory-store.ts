import type { PinLockoutRule } from '../domain/pin-lockout.js';
import type { User } from '../domain/user.js';

export interface Region {
  readonly code: string;
  readonly name: string;
  readonly country: string;
}

/** A user as written: the directory fields, and the password's hash rather than the PIN state. */
export type NewUser = Pick<User, 'id' | 'displayName' | 'sipUri' | 'email' | 'extension' | 'phones' | 'region' | 'role' | 'assignedConferenceId'> & {
  readonly passwordHash: string | null;
};

export type UserChanges = Partial<Omit<NewUser, 'id' | 'assignedConferenceId'>>;

/** Which of these identifiers already belong to someone (other than `exceptUserId`). */
export interface Taken {
  readonly emails: ReadonlySet<string>;
  readonly sipUris: ReadonlySet<string>;
  readonly extensions: ReadonlySet<string>;
}

/** The unique field a write collided on, when another writer got there first. */
export class UniqueConflict extends Error {
  constructor(readonly field: 'email' | 'sipUri' | 'extension' | 'assignedConferenceId' | 'code' | 'number') {
    super(`${field} is taken`);
  }
}

export interface UserStore {
  /** All or nothing, in one transaction. */
  insertMany(users: readonly NewUser[]): Promise<User[]>;
  get(id: string): Promise<User | undefined>;
  credentials(email: string): Promise<{ user: User; passwordHash: string | null } | undefined>;
  list(page: { limit: number; offset: number }): Promise<User[]>;
  update(id: string, changes: UserChanges): Promise<User | undefined>;
  remove(id: string): Promise<boolean>;
  taken(candidates: { emails: string[]; sipUris: string[]; extensions: string[] }, exceptUserId?: string): Promise<Taken>;
  setAssignedConferenceId(id: string, conferenceId: string): Promise<User | undefined>;
  /** The current PIN's hash and up to `count` earlier ones, newest first. */
  recentPinHashes(id: string, count: number): Promise<string[]>;
  /**
   * Sets a new PIN (the old one goes to the history, which keeps `keep` entries), keeps its length (never
   * the PIN) for the lockout thresholds, and clears both failure counters and both locks.
   */
  setPin(id: string, pin: { hash: string; length: number }, at: Date, keep: number): Promise<User | undefined>;
  /** The user a call to this number reaches: their extension, or their work number's E.164 digits. Indexed: asked on every call. */
  byDirectNumber(digits: string): Promise<User | undefined>;
  /** The user a caller names at the keypad: by extension, or by the end of a phone number (7+ digits). */
  byKeypadIdentity(digits: string): Promise<{ user: User; pinHash: string | null; pinLength: number | null } | undefined>;
  /** Counts a wrong PIN as afterWrongPin (domain/pin-lockout.ts) does, atomically; the user with the lock state it led to. */
  recordPinFailure(id: string, rule: PinLockoutRule, now: Date): Promise<User | undefined>;
  /** A right PIN: both failure counters start again. */
  clearPinFailures(id: string): Promise<void>;
  /** An administrator's unlock: both counters and both locks cleared. */
  unlockPin(id: string): Promise<User | undefined>;
  /** Users whose PIN was set in [from, to). */
  withPinSetBetween(from: Date, to: Date): Promise<Array<{ user: User; pinSetAt: Date }>>;
  /** Whether a conference ID is in use: a user's assigned ID or a conference that can still be joined. */
  isConferenceIdInUse(conferenceId: string): Promise<boolean>;
}

export interface TokenStore {
  insert(tokenHash: Buffer, userId: string, expiresAt: Date): Promise<void>;
  /** The user of an unexpired token. */
  user(tokenHash: Buffer, now: Date): Promise<User | undefined>;
  remove(tokenHash: Buffer): Promise<void>;
}

export interface RegionStore {
  list(): Promise<Region[]>;
  get(code: string): Promise<Region | undefined>;
  insert(region: Region): Promise<Region>;
  update(code: string, changes: Partial<Omit<Region, 'code'>>): Promise<Region | undefined>;
  /** False when users or access numbers still belong to it. */
  remove(code: string): Promise<boolean | 'in-use'>;
}

/**
 * What one argon2id hash costs: memory and passes. Stored hashes carry their own cost, so a changed
 * setting applies to new hashes and every stored one still verifies.
 */
export interface HashCost {
  readonly memoryKiB: number;
  readonly passes: number;
}

/** argon2's own defaults (64 MiB, 3 passes), above OWASP's minimum of 19 MiB and 2 passes. */
export const DEFAULT_HASH_COST: HashCost = { memoryKiB: 65_536, passes: 3 };

/** One-way hashing for passwords and PINs (argon2 in production). */
export interface SecretHasher {
  hash(secret: string): Promise<string>;
  verify(hash: string, secret: string): Promise<boolean>;
}
