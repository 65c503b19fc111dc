import { describe, expect, it } from 'vitest';
import { dialOutRefusal, isDialOutPolicyValid, DEFAULT_DIAL_OUT_POLICY } from '../../../src/domain/dial-out-policy.js';

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
});
