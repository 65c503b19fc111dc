import type { DialOutScope } from '../domain/dial-out-policy.js';
import { DomainError } from '../domain/errors.js';
import { canActFor, isAdmin, requireAdmin, type Principal } from '../domain/user.js';
import type { DialOutScopeStore } from '../ports/dial-out-scope-store.js';
import type { UserStore } from '../ports/directory-store.js';
import type { Policies } from './policies.js';

export interface UserDialOut {
  /** The user's own scope; null: the policy's. */
  readonly scope: DialOutScope | null;
  /** What applies to them now. */
  readonly effective: DialOutScope;
}

/** Per-user dial-out scopes ("no international calls for some users"): administrators set them, users read their own. */
export class DialOutScopes {
  constructor(private readonly deps: { store: DialOutScopeStore; users: Pick<UserStore, 'get'>; policies: Pick<Policies, 'current'> }) {}

  async get(principal: Principal, userId: string): Promise<UserDialOut> {
    if (!canActFor(principal, userId)) throw new DomainError('forbidden', "only the user or an administrator may see a user's dial-out scope");
    const user = await this.deps.users.get(userId);
    if (!user) throw new DomainError('user-not-found', `no user ${userId}`);
    const own = (await this.deps.store.get(userId)) ?? null;
    const effective = isAdmin({ kind: 'user', user }) ? 'international' : (own ?? (await this.deps.policies.current()).dialOut.scope);
    return { scope: own, effective };
  }

  async set(principal: Principal, userId: string, scope: DialOutScope | null): Promise<UserDialOut> {
    requireAdmin(principal);
    if (!(await this.deps.users.get(userId))) throw new DomainError('user-not-found', `no user ${userId}`);
    await this.deps.store.set(userId, scope);
    return this.get(principal, userId);
  }
}
