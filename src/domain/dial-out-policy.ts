/**
 * Who may have parley call which numbers. Scopes widen in order: nobody, colleagues in the directory,
 * numbers in the leader's own country, anywhere. Blocked prefixes (premium rate and the like) are
 * refused whatever the scope.
 */
export const DIAL_OUT_SCOPES = ['none', 'internal', 'national', 'international'] as const;
export type DialOutScope = (typeof DIAL_OUT_SCOPES)[number];

export interface DialOutPolicy {
  /** What leaders may dial. Administrators (and the service token) may dial anywhere not blocked. */
  readonly scope: DialOutScope;
  /** E.164 prefixes nobody may call from a conference, e.g. "+1900". */
  readonly blockedPrefixes: string[];
  /** How long an invitation rings before it counts as not answered. */
  readonly ringSeconds: number;
}

export const DEFAULT_DIAL_OUT_POLICY: DialOutPolicy = {
  scope: 'national',
  blockedPrefixes: ['+1900', '+1976'],
  ringSeconds: 30,
};

/** What parley knows about a number before calling it. */
export interface DialledNumber {
  readonly e164: string;
  /** ISO country of the number, when it has one. */
  readonly country: string | undefined;
  /** A published number of someone in the directory. */
  readonly internal: boolean;
}

export type DialOutRefusal = 'number-blocked' | 'dial-out-not-allowed';

/** Why this number may not be called by someone with `scope` whose home country is `home`; undefined if it may. */
export function dialOutRefusal(policy: Pick<DialOutPolicy, 'blockedPrefixes'>, scope: DialOutScope, home: string | undefined, number: DialledNumber): DialOutRefusal | undefined {
  if (policy.blockedPrefixes.some((prefix) => number.e164.startsWith(prefix.replace(/[^+0-9]/g, '')))) return 'number-blocked';
  if (scope === 'international') return undefined;
  if (number.internal && scope !== 'none') return undefined;
  if (scope === 'national' && number.country !== undefined && number.country === home) return undefined;
  return 'dial-out-not-allowed';
}

export function isDialOutPolicyValid(policy: DialOutPolicy): boolean {
  return (
    DIAL_OUT_SCOPES.includes(policy.scope) &&
    policy.blockedPrefixes.every((prefix) => /^\+[0-9]{1,15}$/.test(prefix)) &&
    Number.isInteger(policy.ringSeconds) &&
    policy.ringSeconds >= 5 &&
    policy.ringSeconds <= 120
  );
}
