import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../domain/errors.js';
import type { Principal, User } from '../domain/user.js';
import type { SecretHasher, TokenStore, UserStore } from '../ports/directory-store.js';
import type { Clock } from '../ports/clock.js';

export interface SessionsDeps {
  readonly users: UserStore;
  readonly tokens: TokenStore;
  readonly hasher: SecretHasher;
  readonly clock: Clock;
  /** The deployment's own token (API_TOKEN): an administrator that is not a directory user. */
  readonly serviceToken: string;
  readonly ttlMs: number;
}

export interface Session {
  readonly token: string;
  readonly expiresAt: Date;
  readonly user: User;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/** Signing in with e-mail and password; every API request is authenticated by its bearer token here. */
export class Sessions {
  private readonly service: Buffer;
  /** Verified against when the e-mail is unknown, so a wrong address costs as long as a wrong password. */
  private decoy: Promise<string> | undefined;

  constructor(private readonly deps: SessionsDeps) {
    this.service = sha256(deps.serviceToken);
  }

  async signIn(email: string, password: string): Promise<Session> {
    const found = await this.deps.users.credentials(email.trim().toLowerCase());
    const hash = found?.passwordHash ?? (await (this.decoy ??= this.deps.hasher.hash('decoy password')));
    const valid = await this.deps.hasher.verify(hash, password);
    if (!found?.passwordHash || !valid) throw new DomainError('invalid-credentials', 'wrong e-mail address or password');
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.deps.clock.now().getTime() + this.deps.ttlMs);
    await this.deps.tokens.insert(sha256(token), found.user.id, expiresAt);
    return { token, expiresAt, user: found.user };
  }

  async authenticate(token: string): Promise<Principal | undefined> {
    const hash = sha256(token);
    if (timingSafeEqual(hash, this.service)) return { kind: 'service' };
    const user = await this.deps.tokens.user(hash, this.deps.clock.now());
    return user ? { kind: 'user', user } : undefined;
  }

  signOut(token: string): Promise<void> {
    return this.deps.tokens.remove(sha256(token));
  }
}
