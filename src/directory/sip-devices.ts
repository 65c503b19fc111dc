import { randomBytes } from 'node:crypto';
import { DomainError } from '../domain/errors.js';
import { BROWSER_PREFIX } from '../conferences/browser-audio.js';
import { canActFor, type Principal, type User } from '../domain/user.js';
import type { UserStore } from '../ports/directory-store.js';
import type { Log } from '../ports/log.js';
import type { SipDeviceStore } from '../ports/sip-device-store.js';
import { SIP_REALM, sipDigest, type SipRegistrar } from '../ports/telephony.js';

export interface SipDeviceView {
  readonly username: string;
  /** Where the device registers, e.g. sip:pbx.example.com:5060. */
  readonly registrar: string;
  readonly realm: string;
}

export interface IssuedSipDevice extends SipDeviceView {
  /** Shown once: only its digest is kept. */
  readonly password: string;
}

export interface SipDevicesDeps {
  readonly users: Pick<UserStore, 'get'>;
  readonly store: SipDeviceStore;
  readonly registrar: SipRegistrar;
  readonly registrarUri: string;
  readonly log: Log;
}

/**
 * Credentials for a directory user's SIP phones: every phone registered with them rings when the user
 * is called (with simultaneous ring, together with one more number). Each user reads and resets their
 * own; administrators anyone's.
 */
export class SipDevices {
  constructor(private readonly deps: SipDevicesDeps) {}

  async get(principal: Principal, userId: string): Promise<SipDeviceView> {
    await this.permitted(principal, userId);
    const device = await this.deps.store.get(userId);
    if (!device) throw new DomainError('sip-device-not-found', 'this user has no SIP device credentials; create them with PUT');
    return this.view(device.username);
  }

  /** New credentials (a new password; the username stays): phones registered with the old ones stop working. */
  async issue(principal: Principal, userId: string): Promise<IssuedSipDevice> {
    const user = await this.permitted(principal, userId);
    const existing = await this.deps.store.get(userId);
    const password = randomBytes(15).toString('base64url');
    for (const username of existing ? [existing.username] : usernames(user)) {
      const device = { userId, username, ha1: sipDigest(username, password) };
      if (!(await this.deps.store.save(device))) continue;
      await this.provision(device);
      return { ...this.view(username), password };
    }
    throw new Error('no free SIP username');
  }

  async remove(principal: Principal, userId: string): Promise<void> {
    await this.permitted(principal, userId);
    const device = await this.deps.store.remove(userId);
    if (!device) throw new DomainError('sip-device-not-found', 'this user has no SIP device credentials');
    await this.deps.registrar.remove(device.username).catch((error: unknown) => this.deps.log.warn({ err: String(error), device: device.username }, 'could not remove the device from Asterisk'));
  }

  /** The device username calls to this user ring, if they have one. */
  async usernameOf(userId: string): Promise<string | undefined> {
    return (await this.deps.store.get(userId))?.username;
  }

  /** The user whose device authenticated as `username` (a call from it joins as them). */
  async userOf(username: string): Promise<User | undefined> {
    const device = await this.deps.store.byUsername(username);
    return device && (await this.deps.users.get(device.userId));
  }

  /** Asterisk keeps devices in memory: after every (re)connect they are provisioned again. */
  async provisionAll(): Promise<void> {
    const devices = await this.deps.store.all();
    for (const device of devices) await this.provision(device);
    if (devices.length > 0) this.deps.log.info({ devices: devices.length }, 'SIP devices provisioned');
  }

  private async provision(device: { username: string; ha1: string }): Promise<void> {
    // Asterisk away: the row is saved, and the next (re)connect provisions it.
    await this.deps.registrar.provision(device).catch((error: unknown) => this.deps.log.warn({ err: String(error), device: device.username }, 'could not provision a SIP device'));
  }

  private view(username: string): SipDeviceView {
    return { username, registrar: this.deps.registrarUri, realm: SIP_REALM };
  }

  private async permitted(principal: Principal, userId: string): Promise<User> {
    if (!canActFor(principal, userId)) throw new DomainError('forbidden', "only the user or an administrator may see or change a user's SIP device");
    const user = await this.deps.users.get(userId);
    if (!user) throw new DomainError('user-not-found', `no user ${userId}`);
    return user;
  }
}

/** HA1 = MD5(username:realm:password): what SIP digest authentication needs, and all that is kept. */

/**
 * The name a phone registers with (Asterisk identifies devices by it before by address): the user part
 * of their SIP URI, made unique with their ID when taken.
 */
function usernames(user: User): string[] {
  const local = user.sipUri.replace(/^sips?:/i, '').split('@')[0]!.toLowerCase().replace(/[^a-z0-9._-]/g, '').slice(0, 40);
  const fallback = `u-${user.id.replace(/-/g, '').slice(0, 12)}`;
  // "gateway" and friends are Asterisk's own endpoints; a user may not register as one.
  // A name that starts with a letter: a carrier's numeric From (a caller's number) must never match a device.
  return /^[a-z]/.test(local) && !RESERVED.has(local) && !local.startsWith(BROWSER_PREFIX) ? [local, `${local}-${user.id.slice(0, 8)}`, fallback] : [fallback];
}

const RESERVED = new Set(['gateway', 'gateway-auth', 'gateway-endpoint', 'transport-udp', 'anonymous']);
