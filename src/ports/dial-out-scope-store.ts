import type { DialOutScope } from '../domain/dial-out-policy.js';

/** Users whose dial-out scope differs from the policy's. */
export interface DialOutScopeStore {
  get(userId: string): Promise<DialOutScope | undefined>;
  /** null: back to the policy's scope. */
  set(userId: string, scope: DialOutScope | null): Promise<void>;
}
