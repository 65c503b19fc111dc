import { DomainError } from '../../domain/errors.js';
import type { Principal } from '../../domain/user.js';

export interface StreamSettings {
  /** Open event streams one user (or the service token) may hold at once in this process. */
  readonly maxPerUser: number;
  /** How often an open stream re-checks that its session and its access to the conference still hold. */
  readonly recheckMs: number;
}

export const DEFAULT_STREAM_SETTINGS: StreamSettings = { maxPerUser: 10, recheckMs: 5000 };

/** One stream a principal holds: give it back when the stream closes. */
export type StreamSlot = () => void;

/**
 * Counts open event streams per principal, so that one user cannot hold the server's sockets and
 * database notifications without bound. In memory: the limit is per process, which is what a
 * process's sockets and file descriptors are.
 */
export class StreamLimits {
  private readonly open = new Map<string, number>();

  constructor(private readonly maxPerUser: number) {}

  acquire(principal: Principal): StreamSlot {
    const key = principal.kind === 'user' ? `user:${principal.user.id}` : 'service';
    const count = this.open.get(key) ?? 0;
    if (count >= this.maxPerUser) {
      throw new DomainError('too-many-streams', `at most ${this.maxPerUser} event streams may be open at once; close one first`);
    }
    this.open.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left <= 0) this.open.delete(key);
      else this.open.set(key, left);
    };
  }
}

/** The same principal: a re-authenticated token must still be the user (or service) that opened the stream. */
export function samePrincipal(a: Principal, b: Principal): boolean {
  if (a.kind !== b.kind) return false;
  return a.kind === 'service' || (b.kind === 'user' && a.user.id === b.user.id);
}
