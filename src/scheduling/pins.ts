import { DomainError } from '../domain/errors.js';
import { PIN_MESSAGES, pinProblems, type PinPolicy } from '../domain/pin-policy.js';
import { canActFor, type Principal, type User } from '../domain/user.js';
import type { Clock } from '../ports/clock.js';
import type { SecretHasher, UserStore } from '../ports/directory-store.js';

export type KeypadVerdict = { verdict: 'ok'; user: User } | { verdict: 'wrong' } | { verdict: 'locked' };

/** Dial-in PINs: set by the user (the settings page) or an administrator, checked at the keypad. */
export class Pins {
  private decoy: Promise<string> | undefined;

  constructor(
    private readonly deps: {
      users: Pick<UserStore, 'get' | 'recentPinHashes' | 'setPin' | 'byKeypadIdentity' | 'recordPinFailure' | 'clearPinFailures'>;
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
    const updated = await this.deps.users.setPin(userId, await this.deps.hasher.hash(pin), this.deps.clock.now(), earlier);
    if (!updated) throw new DomainError('user-not-found', `no user ${userId}`);
    return updated;
  }

  /**
   * A caller's extension or phone number and PIN from the keypad. Wrong tries count across calls;
   * an unknown identity answers like a wrong PIN, so the keypad does not reveal who has an account.
   */
  async verifyAtKeypad(identity: string, pin: string): Promise<KeypadVerdict> {
    const found = /^[0-9]{2,15}$/.test(identity) ? await this.deps.users.byKeypadIdentity(identity) : undefined;
    const now = this.deps.clock.now();
    if (found?.user.pinLockedUntil && found.user.pinLockedUntil > now) return { verdict: 'locked' };
    const hash = found?.pinHash ?? (await (this.decoy ??= this.deps.hasher.hash('decoy')));
    const valid = await this.deps.hasher.verify(hash, pin);
    if (found?.pinHash && valid) {
      await this.deps.users.clearPinFailures(found.user.id);
      return { verdict: 'ok', user: found.user };
    }
    if (!found) return { verdict: 'wrong' };
    const { maxFailedAttempts, lockoutMinutes } = await this.deps.policy();
    const locked = await this.deps.users.recordPinFailure(found.user.id, maxFailedAttempts, new Date(now.getTime() + lockoutMinutes * 60_000));
    return { verdict: locked ? 'locked' : 'wrong' };
  }

  private async reused(userId: string, pin: string, policy: PinPolicy): Promise<boolean> {
    // The last N PINs: the current one and N - 1 before it.
    const hashes = await this.deps.users.recentPinHashes(userId, Math.max(0, policy.historySize - 1));
    for (const hash of hashes) if (await this.deps.hasher.verify(hash, pin)) return true;
    return false;
  }
}
