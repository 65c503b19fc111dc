import { describe, expect, it } from 'vitest';
import { rosterNumber } from '../../src/directory/roster-number.js';

describe('rosterNumber', () => {
  it('keeps the country code, three digits and the last four; masks the middle', () => {
    expect(rosterNumber('+14255550123')).toBe('+1 425 •••• 0123');
    expect(rosterNumber('+442071838750')).toBe('+44 207 •••• 8750');
    expect(rosterNumber('14255550177')).toBe('+1 425 •••• 0177');
  });
  it('never shows the whole number: an unparsable one keeps only its last four', () => {
    expect(rosterNumber('+999123456789')).toBe('•••• 6789');
  });
  it('has nothing for anonymous callers, browsers and extensions', () => {
    expect(rosterNumber('')).toBeNull();
    expect(rosterNumber('anonymous')).toBeNull();
    expect(rosterNumber('2001')).toBeNull();
  });
  it('adds nothing beside a caller shown by their own masked number: the two together would spell it', () => {
    expect(rosterNumber('+14255550123', '+1425555••••')).toBeNull();
    expect(rosterNumber('+14255550123', 'Ann Lee')).toBe('+1 425 •••• 0123');
  });
  it('adds nothing beside a number parley called without a name, shown in this form already', () => {
    expect(rosterNumber('+14255550123', '+1 425 •••• 0123')).toBeNull();
  });
});
