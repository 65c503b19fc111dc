import { describe, expect, it } from 'vitest';
import {
  blockedTypeOf,
  dialOutLimitHit,
  dialOutRefusal,
  isDialOutPolicyValid,
  DEFAULT_DIAL_OUT_LIMITS,
  DEFAULT_DIAL_OUT_POLICY,
} from '../../../src/domain/dial-out-policy.js';

const us = (e164: string, internal = false) => ({ e164, country: 'US', internal });
const uk = { e164: '+442079460200', country: 'GB', internal: false };
const policy = { blockedPrefixes: ['+1900'] };

describe('dial-out policy', () => {
  it('lets a national scope call its own country and the directory, not abroad', () => {
    expect(dialOutRefusal(policy, 'national', 'US', us('+14255550123'))).toBeUndefined();
    expect(dialOutRefusal(policy, 'national', 'US', uk)).toBe('dial-out-not-allowed');
    expect(dialOutRefusal(policy, 'national', 'US', { ...uk, internal: true })).toBeUndefined();
  });

  it('keeps an internal scope to directory numbers and a none scope to nothing', () => {
    expect(dialOutRefusal(policy, 'internal', 'US', us('+14255550123'))).toBe('dial-out-not-allowed');
    expect(dialOutRefusal(policy, 'internal', 'US', us('+14255550123', true))).toBeUndefined();
    expect(dialOutRefusal(policy, 'none', 'US', us('+14255550123', true))).toBe('dial-out-not-allowed');
  });

  it('lets an international scope call anywhere', () => {
    expect(dialOutRefusal(policy, 'international', 'US', uk)).toBeUndefined();
  });

  it('refuses blocked prefixes whatever the scope, and a leader with no home country only the directory', () => {
    expect(dialOutRefusal(policy, 'international', 'US', us('+19005550123'))).toBe('number-blocked');
    expect(dialOutRefusal(policy, 'national', undefined, us('+14255550123'))).toBe('dial-out-not-allowed');
  });

  it('validates a policy', () => {
    expect(isDialOutPolicyValid(DEFAULT_DIAL_OUT_POLICY)).toBe(true);
    expect(isDialOutPolicyValid({ ...DEFAULT_DIAL_OUT_POLICY, ringSeconds: 2 })).toBe(false);
    expect(isDialOutPolicyValid({ ...DEFAULT_DIAL_OUT_POLICY, blockedPrefixes: ['1900'] })).toBe(false);
  });

  it('refuses premium-rate, shared-cost and satellite numbers by default in every region, whatever the scope', () => {
    const anywhere = (e164: string, type?: string, country?: string) => dialOutRefusal(DEFAULT_DIAL_OUT_POLICY, 'international', 'US', { e164, country, internal: false, type });
    expect(anywhere('+449090901234', 'premium-rate', 'GB')).toBe('number-blocked');
    expect(anywhere('+33891000000', 'premium-rate', 'FR')).toBe('number-blocked');
    expect(anywhere('+448450000000', 'shared-cost', 'GB')).toBe('number-blocked');
    // Satellite by prefix, whatever the numbering plan calls it (libphonenumber says "mobile" for +881).
    for (const satellite of ['+870773123456', '+881631234567', '+882131234567', '+8835100123456']) expect(anywhere(satellite, 'mobile')).toBe('number-blocked');
    expect(anywhere('+442079460200', 'fixed-line', 'GB')).toBeUndefined();
    expect(anywhere('+18445550123', 'toll-free', 'US')).toBeUndefined();
    // A directory colleague's number is no exception.
    expect(dialOutRefusal(DEFAULT_DIAL_OUT_POLICY, 'national', 'GB', { e164: '+449090901234', country: 'GB', internal: true, type: 'premium-rate' })).toBe('number-blocked');
  });

  it('blocks the types the policy lists, and nothing else', () => {
    const policy = { ...DEFAULT_DIAL_OUT_POLICY, blockedTypes: ['voip' as const] };
    expect(dialOutRefusal(policy, 'international', 'US', { e164: '+449090901234', country: 'GB', internal: false, type: 'premium-rate' })).toBeUndefined();
    expect(dialOutRefusal(policy, 'international', 'US', { e164: '+881631234567', country: undefined, internal: false, type: 'mobile' })).toBeUndefined();
    expect(blockedTypeOf(policy, { e164: '+445600000000', type: 'voip' })).toBe('voip');
    expect(isDialOutPolicyValid({ ...DEFAULT_DIAL_OUT_POLICY, blockedTypes: ['mobile' as never] })).toBe(false);
  });

  it('says which dial-out limit one more call would break: the user first, then the deployment', () => {
    const limits = { userPerMinute: 2, userAtOnce: 3, perMinute: 10, atOnce: 5 };
    const none = { userLastMinute: 0, userUp: 0, lastMinute: 0, up: 0 };
    expect(dialOutLimitHit(limits, none, true)).toBeUndefined();
    expect(dialOutLimitHit(limits, { ...none, userLastMinute: 2 }, true)).toBe('user-per-minute');
    expect(dialOutLimitHit(limits, { ...none, userUp: 3 }, true)).toBe('user-at-once');
    expect(dialOutLimitHit(limits, { ...none, lastMinute: 10 }, true)).toBe('per-minute');
    expect(dialOutLimitHit(limits, { ...none, up: 5 }, true)).toBe('at-once');
    // The service token has no user limit, only the deployment's.
    expect(dialOutLimitHit(limits, { ...none, userLastMinute: 99 }, false)).toBeUndefined();
    expect(dialOutLimitHit(limits, { ...none, up: 5 }, false)).toBe('at-once');
    expect(DEFAULT_DIAL_OUT_LIMITS.userPerMinute).toBeLessThan(100);
  });
});
