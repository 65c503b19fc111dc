import { DomainError } from '../domain/errors.js';
import { isPolicyValid, type PinPolicy } from '../domain/pin-policy.js';
import { isDialOutPolicyValid, type DialOutPolicy } from '../domain/dial-out-policy.js';
import { requireAdmin, type Principal } from '../domain/user.js';

export interface MeetingPolicy {
  /** Anonymous meetings get a passcode unless the organiser asks for none (`passcode: null`). */
  readonly passcodeForAnonymous: boolean;
}

export interface PolicySet {
  readonly pin: PinPolicy;
  readonly meetings: MeetingPolicy;
  readonly dialOut: DialOutPolicy;
}

export interface PolicyStore {
  read(): Promise<Partial<PolicySet>>;
  write(policies: PolicySet): Promise<void>;
}

/** The PIN and meeting policies: the configured defaults, as administrators have changed them since. */
export class Policies {
  constructor(
    private readonly deps: { store: PolicyStore; defaults: PolicySet },
  ) {}

  async current(): Promise<PolicySet> {
    const stored = await this.deps.store.read();
    return {
      pin: { ...this.deps.defaults.pin, ...stored.pin },
      meetings: { ...this.deps.defaults.meetings, ...stored.meetings },
      dialOut: { ...this.deps.defaults.dialOut, ...stored.dialOut },
    };
  }

  async change(
    principal: Principal,
    changes: { pin?: Partial<PinPolicy>; meetings?: Partial<MeetingPolicy>; dialOut?: Partial<DialOutPolicy> },
  ): Promise<PolicySet> {
    requireAdmin(principal);
    const current = await this.current();
    const next: PolicySet = {
      pin: { ...current.pin, ...changes.pin },
      meetings: { ...current.meetings, ...changes.meetings },
      dialOut: { ...current.dialOut, ...changes.dialOut },
    };
    if (!isDialOutPolicyValid(next.dialOut)) throw new DomainError('validation-failed', 'dial-out policy: a known scope, blocked prefixes as +digits, ring time 5 to 120 s');
    if (!isPolicyValid(next.pin)) throw new DomainError('validation-failed', 'PIN policy: minimum length 4 to 24, history 0 or more, failure window and lockout at least 1 minute');
    await this.deps.store.write(next);
    return next;
  }
}
