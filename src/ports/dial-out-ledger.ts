import type { DialOutLimitHit, DialOutLimits } from '../domain/dial-out-policy.js';

/** Why parley places a call through the gateway. */
export type DialOutPurpose = 'dial-out' | 'add-audio' | 'call-me' | 'forward' | 'simultaneous-ring' | 'no-answer';

export interface PlacedLeg {
  /** The call's channel id. */
  readonly id: string;
  /** The user the call is placed for (the leader, the forwarding user); null: the service token. */
  readonly userId: string | null;
  readonly number: string;
  readonly purpose: DialOutPurpose;
}

export interface RefusedLeg {
  readonly userId: string | null;
  readonly number: string;
  readonly purpose: DialOutPurpose;
  /** The stable code it was refused with (number-blocked, dial-out-not-allowed, dial-out-limit…). */
  readonly code: string;
  readonly detail?: string;
}

/**
 * The calls parley has placed through the gateway, shared by every parley instance (PostgreSQL), so
 * the dial-out limits hold across restarts and instances; and the legs it refused, for the audit trail.
 */
export interface DialOutLedger {
  /** Counts and, when no limit is hit, records the leg as placed, as one step; otherwise the limit it hit. */
  admit(leg: PlacedLeg, limits: DialOutLimits): Promise<DialOutLimitHit | undefined>;
  /** The leg is over (failed, cancelled or hung up); it no longer counts as up. */
  ended(legId: string): Promise<void>;
  refused(leg: RefusedLeg): Promise<void>;
}
