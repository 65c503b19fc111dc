import { DomainError } from '../domain/errors.js';
import { pinLock, pinLockoutRule } from '../domain/pin-lockout.js';
import { PIN_MESSAGES, pinProblems, type PinPolicy } from '../domain/pin-policy.js';
import { canActFor, requireAdmin, type Principal, type User } from '../domain/user.js';
import type { Clock } from '../ports/clock.js';
import type { SecretHasher, UserStore } from '../ports/directory-store.js';

export type KeypadVerdict = { verdict: 'ok'; user: User } | { verdict: 'wrong' } | { verdict: 'locked' };

/** Dial-in PINs: set by the user (the settings page) or an administrator, checked at the keypad. */
export class Pins {
  private decoy: Promise<string> | undefined;

  constructor(
    private readonly deps: {
      users: Pick<UserStore, 'get' | 'recentPinHashes' | 'setPin' | 'byKeypadIdentity' | 'recordPinFailure' | 'clearPinFailures' | 'unlockPin'>;
      hasher: SecretHasher;
      clock: Clock;
      policy: () => Promise<PinPolicy>;
    },
  ) {}

  policy(): Promise<PinPolicy> {
    return this.deps.policy();
  }

  async set(principal: Principal, userId: string, pin: string): Promise<User> {
    const user = canActFor(principal, userId) ? await this.deps.users.get(userId) : undefined;
    if (!user) throw new DomainError('user-not-found', `no user ${userId}`);
    const policy = await this.deps.policy();
    const problems = pinProblems(pin, policy, { extension: user.extension, phones: Object.values(user.phones) });
    if (problems.length === 0 && (await this.reused(userId, pin, policy))) problems.push('pin-reused');
    if (problems.length > 0) {
      const details = problems.map((code) => ({ field: 'pin', code, message: PIN_MESSAGES[code](policy) }));
      throw new DomainError('pin-rejected', details.map((d) => d.message).join(' '), details);
    }
    const earlier = Math.max(0, policy.historySize - 1);
    const updated = await this.deps.users.setPin(userId, { hash: await this.deps.hasher.hash(pin), length: pin.length }, this.deps.clock.now(), earlier);
    if (!updated) throw new DomainError('user-not-found', `no user ${userId}`);
    return updated;
  }

  /** Administrators lift either lock and clear both failure counters; the PIN stays as it was. */
  async unlock(principal: Principal, userId: string): Promise<User> {
    requireAdmin(principal);
    const updated = await this.deps.users.unlockPin(userId);
    if (!updated) throw new DomainError('user-not-found', `no user ${userId}`);
    return updated;
  }

  /**
   * A caller's extension or phone number and PIN from the keypad. Wrong tries count across calls
   * (domain/pin-lockout.ts); a locked PIN is not even checked. An unknown identity answers like a
   * wrong PIN, so the keypad does not reveal who has an account.
   */
  async verifyAtKeypad(identity: string, pin: string): Promise<KeypadVerdict> {
    const found = /^[0-9]{2,15}$/.test(identity) ? await this.deps.users.byKeypadIdentity(identity) : undefined;
    const now = this.deps.clock.now();
    if (found && pinLock(found.user, now) !== 'none') return { verdict: 'locked' };
    const hash = found?.pinHash ?? (await (this.decoy ??= this.deps.hasher.hash('decoy')));
    const valid = await this.deps.hasher.verify(hash, pin);
    if (found?.pinHash && valid) {
      await this.deps.users.clearPinFailures(found.user.id);
      return { verdict: 'ok', user: found.user };
    }
    if (!found) return { verdict: 'wrong' };
    const rule = pinLockoutRule(found.pinLength, await this.deps.policy());
    const after = await this.deps.users.recordPinFailure(found.user.id, rule, now);
    return { verdict: after && pinLock(after, now) !== 'none' ? 'locked' : 'wrong' };
  }

  private async reused(userId: string, pin: string, policy: PinPolicy): Promise<boolean> {
    // The last N PINs: the current one and N - 1 before it.
    const hashes = await this.deps.users.recentPinHashes(userId, Math.max(0, policy.historySize - 1));
    for (const hash of hashes) if (await this.deps.hasher.verify(hash, pin)) return true;
    return false;
  }
}
