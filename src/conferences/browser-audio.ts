import { randomBytes } from 'node:crypto';
import type { Conference } from '../domain/conference.js';
import { DomainError } from '../domain/errors.js';
import type { Principal, User } from '../domain/user.js';
import type { BrowserAudioStore } from '../ports/browser-audio-store.js';
import type { Clock } from '../ports/clock.js';
import type { UserStore } from '../ports/directory-store.js';
import type { Log } from '../ports/log.js';
import { sipDigest, type SipRegistrar } from '../ports/telephony.js';

/** Browser endpoints' names: never a user's phone (src/directory/sip-devices.ts keeps the prefix free). */
export const BROWSER_PREFIX = 'web-';
/**
 * Sessions are removed when their call ends; one made this long ago was never used (the page asks for a
 * new one at each join) or outlived a crash. Longer than any meeting, so no call loses its endpoint.
 */
const UNUSED_AFTER_MS = 12 * 60 * 60_000;
const NAME_MAX = 60;

/** What a page needs to join from the browser: one-time SIP credentials and where to call. */
export interface BrowserAudioGrant {
  readonly username: string;
  readonly password: string;
  /** The conference's SIP address at parley's SIP domain. */
  readonly sipUri: string;
  /** The WebSocket on parley's own address that carries the SIP (proxied to Asterisk). */
  readonly websocketPath: string;
  readonly displayName: string;
}

/** Who calls through a browser session's endpoint. */
export type BrowserCaller =
  | { readonly kind: 'user'; readonly user: User }
  | { readonly kind: 'guest'; readonly conferenceId: string; readonly displayName: string };

export interface BrowserAudioDeps {
  readonly store: BrowserAudioStore;
  readonly users: Pick<UserStore, 'get'>;
  readonly registrar: SipRegistrar;
  readonly sipUri: (conferenceId: string) => string;
  readonly clock: Clock;
  readonly log: Log;
}

export const SIP_WEBSOCKET_PATH = '/sip-ws';

/**
 * "Join audio from this browser": a signed-in user joins as themselves, a guest from an invitation's
 * join page joins that conference as a guest under the name they typed, its passcode known. Each join
 * gets its own endpoint and password in Asterisk, made here and removed when the call ends; the call
 * itself goes through the attendant as any device's does (src/calls/dial-in.ts).
 */
export class BrowserAudio {
  constructor(private readonly deps: BrowserAudioDeps) {}

  async forUser(principal: Principal, conference: Conference): Promise<BrowserAudioGrant> {
    if (principal.kind !== 'user') throw new DomainError('forbidden', 'sign in as a user to join from the browser');
    return this.grant(conference, principal.user.id, principal.user.displayName);
  }

  async forGuest(conference: Conference, displayName: string): Promise<BrowserAudioGrant> {
    const name = displayName.replace(/\s+/g, ' ').trim().slice(0, NAME_MAX);
    if (!name) throw new DomainError('validation-failed', 'say who you are: a name is needed to join as a guest');
    return this.grant(conference, null, name);
  }

  /** The caller behind a browser endpoint; undefined for any other device (or a session already gone). */
  async callerOf(username: string): Promise<BrowserCaller | undefined> {
    if (!username.startsWith(BROWSER_PREFIX)) return undefined;
    const session = await this.deps.store.get(username);
    if (!session) return undefined;
    if (session.userId === null) return { kind: 'guest', conferenceId: session.conferenceId, displayName: session.displayName };
    const user = await this.deps.users.get(session.userId);
    return user && { kind: 'user', user };
  }

  /** Whether `username` is a browser session's endpoint, still open (the WebSocket lets only these call). */
  async isOpen(username: string): Promise<boolean> {
    return username.startsWith(BROWSER_PREFIX) && (await this.deps.store.get(username)) !== undefined;
  }

  /** The call through it ended: the endpoint and its password go (one join per session). */
  async ended(username: string): Promise<void> {
    if (!username.startsWith(BROWSER_PREFIX)) return;
    await this.deps.store.remove(username);
    await this.unprovision(username);
  }

  private async grant(conference: Conference, userId: string | null, displayName: string): Promise<BrowserAudioGrant> {
    await this.purge();
    const username = `${BROWSER_PREFIX}${randomBytes(8).toString('hex')}`;
    const password = randomBytes(18).toString('base64url');
    await this.deps.store.save({ username, conferenceId: conference.id, userId, displayName });
    try {
      await this.deps.registrar.provisionBrowser({ username, ha1: sipDigest(username, password) });
    } catch (error) {
      await this.deps.store.remove(username);
      this.deps.log.warn({ err: String(error) }, 'could not make a browser endpoint');
      throw new DomainError('telephony-unavailable', 'audio from the browser is not available right now');
    }
    return { username, password, sipUri: this.deps.sipUri(conference.conferenceId), websocketPath: SIP_WEBSOCKET_PATH, displayName };
  }

  private async purge(): Promise<void> {
    const stale = await this.deps.store.removeOlderThan(new Date(this.deps.clock.now().getTime() - UNUSED_AFTER_MS));
    for (const session of stale) await this.unprovision(session.username);
  }

  private async unprovision(username: string): Promise<void> {
    await this.deps.registrar.remove(username).catch((error: unknown) => this.deps.log.warn({ err: String(error), device: username }, 'could not remove a browser endpoint'));
  }
}
