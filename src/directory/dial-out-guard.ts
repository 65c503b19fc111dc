import {
  blockedTypeOf,
  dialOutRefusal,
  type DialOutLimits,
  type DialOutPolicy,
  type DialledNumber,
} from '../domain/dial-out-policy.js';
import { DomainError } from '../domain/errors.js';
import { isAdmin, type Principal } from '../domain/user.js';
import type { DialOutLedger, DialOutPurpose } from '../ports/dial-out-ledger.js';
import type { DialOutScopeStore } from '../ports/dial-out-scope-store.js';
import type { RegionStore, UserStore } from '../ports/directory-store.js';
import { runInBackground } from '../ports/background.js';
import type { Log } from '../ports/log.js';
import type { OutboundCall } from '../ports/telephony.js';
import { parseDialable } from './phone-numbers.js';

/** A number the policy lets this owner call, in E.164. */
export interface AllowedNumber {
  readonly e164: string;
  /** How long the policy lets an invitation ring. */
  readonly ringSeconds: number;
}

export interface DialOutGuardDeps {
  readonly users: Pick<UserStore, 'get' | 'byKeypadIdentity'>;
  readonly regions: Pick<RegionStore, 'get'>;
  readonly scopes: Pick<DialOutScopeStore, 'get'>;
  readonly policy: () => Promise<DialOutPolicy>;
  readonly limits: DialOutLimits;
  readonly ledger: DialOutLedger;
  readonly log: Log;
}

/**
 * The one check every call parley places through the gateway passes: leader dial-out, add-audio,
 * forwarding, simultaneous ring and unanswered-call forwarding. `check` when a number is saved or
 * asked for (the policy and the owner's dial-out scope); `place` again at the moment of dialling (the
 * policy as it is then, and the dial-out limits). Refused legs are logged and kept in the ledger.
 */
export class DialOutGuard {
  constructor(private readonly deps: DialOutGuardDeps) {}

  /** The number as the owner may call it; throws invalid-phone-number, number-blocked or dial-out-not-allowed. */
  async check(owner: Principal, raw: string): Promise<AllowedNumber> {
    const home = await this.homeCountry(owner);
    const parsed = parseDialable(raw, home);
    if (!parsed) throw new DomainError('invalid-phone-number', `"${raw}" is not a phone number parley can call`);
    const number: DialledNumber = { ...parsed, internal: await this.isInternal(parsed.e164) };
    const policy = await this.deps.policy();
    const scope = owner.kind === 'service' || isAdmin(owner) ? 'international' : ((await this.deps.scopes.get(owner.user.id)) ?? policy.scope);
    const refusal = dialOutRefusal(policy, scope, home, number);
    if (refusal === 'number-blocked') {
      const type = blockedTypeOf(policy, number);
      throw new DomainError(refusal, `calls to ${parsed.e164} are blocked${type ? ` (${type} numbers)` : ''}`);
    }
    if (refusal) throw new DomainError(refusal, `you may not have parley call ${parsed.e164} (dial-out scope: ${scope})`);
    return { e164: parsed.e164, ringSeconds: policy.ringSeconds };
  }

  /**
   * Checks again and takes a place within the dial-out limits for the leg `legId` about to be dialled;
   * throws (dial-out-limit among the rest) and records the refusal when it may not be placed.
   */
  async place(owner: Principal, raw: string, leg: { readonly id: string; readonly purpose: DialOutPurpose }): Promise<AllowedNumber> {
    const userId = owner.kind === 'user' ? owner.user.id : null;
    try {
      const allowed = await this.check(owner, raw);
      const hit = await this.deps.ledger.admit({ id: leg.id, userId, number: allowed.e164, purpose: leg.purpose }, this.deps.limits);
      if (hit) throw new DomainError('dial-out-limit', `too many calls placed (${hit} limit); try again later`);
      return allowed;
    } catch (error) {
      if (error instanceof DomainError) {
        this.deps.log.warn({ user: userId, number: raw, purpose: leg.purpose, code: error.code }, 'dial-out refused');
        await this.deps.ledger.refused({ userId, number: raw, purpose: leg.purpose, code: error.code, detail: error.message }).catch((e: unknown) => {
          this.deps.log.error({ err: String(e) }, 'could not record a refused dial-out');
        });
      }
      throw error;
    }
  }

  /** For legs parley places by itself (forwarding): the owning user's place, or undefined when refused (never throws). */
  async placeFor(userId: string, raw: string, leg: { readonly id: string; readonly purpose: DialOutPurpose }): Promise<AllowedNumber | undefined> {
    try {
      const user = await this.deps.users.get(userId);
      if (!user) throw new DomainError('user-not-found', `no user ${userId}`);
      return await this.place({ kind: 'user', user }, raw, leg);
    } catch (error) {
      if (!(error instanceof DomainError)) this.deps.log.error({ err: String(error), user: userId, purpose: leg.purpose }, 'dial-out check failed; the leg is not placed');
      return undefined;
    }
  }

  /** Counts the leg as up until it fails, is cancelled, or its answered call ends. */
  track(leg: OutboundCall): void {
    const end = () => this.deps.ledger.ended(leg.id).catch((error: unknown) => this.deps.log.warn({ err: String(error), call: leg.id }, 'could not record the end of a placed call'));
    runInBackground(this.deps.log, 'dial-out ledger', leg.outcome.then((outcome) => {
      if (!('answered' in outcome)) return end();
      const { ended } = outcome.answered;
      if (ended.aborted) return end();
      ended.addEventListener('abort', () => runInBackground(this.deps.log, 'dial-out ledger', end), { once: true });
      return undefined;
    }), { call: leg.id });
  }

  private async homeCountry(owner: Principal): Promise<string | undefined> {
    if (owner.kind === 'service') return undefined;
    return (await this.deps.regions.get(owner.user.region))?.country;
  }

  /** A published number of someone in the directory (the keypad's look-up matches by trailing digits). */
  private async isInternal(e164: string): Promise<boolean> {
    const found = await this.deps.users.byKeypadIdentity(e164.replace(/\D/g, ''));
    return found !== undefined && Object.values(found.user.phones).includes(e164);
  }
}
