/**
 * Who may have parley call which numbers. Scopes widen in order: nobody, colleagues in the directory,
 * numbers in the leader's own country, anywhere. Blocked prefixes and blocked number types (premium
 * rate, shared cost, satellite) are refused whatever the scope. Every leg parley places through the
 * gateway is judged here: leader dial-out, add-audio, forwarding and simultaneous ring alike.
 */
export const DIAL_OUT_SCOPES = ['none', 'internal', 'national', 'international'] as const;
export type DialOutScope = (typeof DIAL_OUT_SCOPES)[number];

/** Number types a policy can block; the names follow libphonenumber's, plus `satellite` (see SATELLITE_PREFIXES). */
export const BLOCKABLE_NUMBER_TYPES = ['premium-rate', 'shared-cost', 'satellite', 'personal-number', 'uan', 'voip', 'pager', 'voicemail', 'toll-free'] as const;
export type BlockableNumberType = (typeof BLOCKABLE_NUMBER_TYPES)[number];

/** Refused in every region unless an administrator says otherwise: the numbers toll fraud pays itself through. */
export const DEFAULT_BLOCKED_TYPES: readonly BlockableNumberType[] = ['premium-rate', 'shared-cost', 'satellite'];

/**
 * Global satellite and international-network codes (Inmarsat +870, GMSS +881, International Networks
 * +882/+883): billed at satellite rates whatever the caller's country, and libphonenumber calls some of them mobile.
 */
export const SATELLITE_PREFIXES = ['+870', '+881', '+882', '+883'] as const;

export interface DialOutPolicy {
  /** What leaders may dial. Administrators (and the service token) may dial anywhere not blocked. */
  readonly scope: DialOutScope;
  /** E.164 prefixes nobody may call from a conference, e.g. "+1900". */
  readonly blockedPrefixes: string[];
  /** Number types nobody may call, in any region. */
  readonly blockedTypes: BlockableNumberType[];
  /** How long an invitation rings before it counts as not answered. */
  readonly ringSeconds: number;
}

export const DEFAULT_DIAL_OUT_POLICY: DialOutPolicy = {
  scope: 'national',
  blockedPrefixes: ['+1900', '+1976'],
  blockedTypes: [...DEFAULT_BLOCKED_TYPES],
  ringSeconds: 30,
};

/** What parley knows about a number before calling it. */
export interface DialledNumber {
  readonly e164: string;
  /** ISO country of the number, when it has one. */
  readonly country: string | undefined;
  /** A published number of someone in the directory. */
  readonly internal: boolean;
  /** What the numbering plan says the number is, when it says (premium-rate, mobile…). */
  readonly type?: string | undefined;
}

export type DialOutRefusal = 'number-blocked' | 'dial-out-not-allowed';

/** The blocked type a number has (satellite by its prefix, the rest by the numbering plan), if any. */
export function blockedTypeOf(policy: Pick<DialOutPolicy, 'blockedTypes'>, number: Pick<DialledNumber, 'e164' | 'type'>): BlockableNumberType | undefined {
  const blocked = policy.blockedTypes ?? DEFAULT_BLOCKED_TYPES;
  if (blocked.includes('satellite') && SATELLITE_PREFIXES.some((prefix) => number.e164.startsWith(prefix))) return 'satellite';
  return blocked.find((type) => type === number.type);
}

/** Why this number may not be called by someone with `scope` whose home country is `home`; undefined if it may. */
export function dialOutRefusal(
  policy: Pick<DialOutPolicy, 'blockedPrefixes'> & Partial<Pick<DialOutPolicy, 'blockedTypes'>>,
  scope: DialOutScope,
  home: string | undefined,
  number: DialledNumber,
): DialOutRefusal | undefined {
  if (policy.blockedPrefixes.some((prefix) => number.e164.startsWith(prefix.replace(/[^+0-9]/g, '')))) return 'number-blocked';
  if (blockedTypeOf({ blockedTypes: policy.blockedTypes ?? [...DEFAULT_BLOCKED_TYPES] }, number)) return 'number-blocked';
  if (scope === 'international') return undefined;
  if (number.internal && scope !== 'none') return undefined;
  if (scope === 'national' && number.country !== undefined && number.country === home) return undefined;
  return 'dial-out-not-allowed';
}

export function isDialOutPolicyValid(policy: DialOutPolicy): boolean {
  return (
    DIAL_OUT_SCOPES.includes(policy.scope) &&
    policy.blockedPrefixes.every((prefix) => /^\+[0-9]{1,15}$/.test(prefix)) &&
    Array.isArray(policy.blockedTypes) &&
    policy.blockedTypes.every((type) => BLOCKABLE_NUMBER_TYPES.includes(type)) &&
    Number.isInteger(policy.ringSeconds) &&
    policy.ringSeconds >= 5 &&
    policy.ringSeconds <= 120
  );
}

/** Caps on calls parley places through the gateway: per user and for the whole deployment, per minute and at once. */
export interface DialOutLimits {
  readonly userPerMinute: number;
  readonly userAtOnce: number;
  readonly perMinute: number;
  readonly atOnce: number;
}

export const DEFAULT_DIAL_OUT_LIMITS: DialOutLimits = { userPerMinute: 20, userAtOnce: 20, perMinute: 60, atOnce: 100 };

/** Calls placed in the last minute and still up, for one user (when the leg has one) and for everyone. */
export interface DialOutCounts {
  readonly userLastMinute: number;
  readonly userUp: number;
  readonly lastMinute: number;
  readonly up: number;
}

export type DialOutLimitHit = 'user-per-minute' | 'user-at-once' | 'per-minute' | 'at-once';

/** Which limit one more call would break, if any; `user` false: the leg has no owning user (the service token). */
export function dialOutLimitHit(limits: DialOutLimits, counts: DialOutCounts, user: boolean): DialOutLimitHit | undefined {
  if (user && counts.userLastMinute >= limits.userPerMinute) return 'user-per-minute';
  if (user && counts.userUp >= limits.userAtOnce) return 'user-at-once';
  if (counts.lastMinute >= limits.perMinute) return 'per-minute';
  if (counts.up >= limits.atOnce) return 'at-once';
  return undefined;
}
