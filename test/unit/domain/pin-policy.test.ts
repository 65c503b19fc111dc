import { describe, expect, it } from 'vitest';
import { DEFAULT_PIN_POLICY, pinProblems } from '../../../src/domain/pin-policy.js';

const owner = { extension: '4711', phones: ['+14255558642'] };
const check = (pin: string, policy = DEFAULT_PIN_POLICY) => pinProblems(pin, policy, owner);

describe('the PIN policy', () => {
  it('accepts a PIN that breaks no rule', () => {
    expect(check('80417')).toEqual([]);
    expect(check('13579')).toEqual([]);
    expect(check('1239870')).toEqual([]);
  });

  it.each([
    ['8041', 'pin-too-short'],
    ['8'.repeat(25), 'pin-too-long'],
    ['80a17', 'pin-not-digits'],
    ['55555', 'pin-repeated-digit'],
    ['01234', 'pin-sequence'],
    ['98765', 'pin-sequence'],
    ['90345678', 'pin-sequence'],
    ['58642', 'pin-is-phone-number'],
    ['4255558642', 'pin-is-phone-number'],
  ])('refuses %s: %s', (pin, problem) => {
    expect(check(pin)).toContain(problem);
  });

  it('refuses the extension and honours a longer minimum', () => {
    expect(pinProblems('47110', DEFAULT_PIN_POLICY, { extension: '47110', phones: [] })).toEqual(['pin-is-extension']);
    expect(check('80417', { ...DEFAULT_PIN_POLICY, minLength: 6 })).toEqual(['pin-too-short']);
    expect(check('1357')).toEqual(['pin-too-short']);
  });
});
