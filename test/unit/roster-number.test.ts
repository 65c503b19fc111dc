import { describe, expect, it } from 'vitest';
import { maskedNumber, rosterNumber } from '../../src/directory/roster-number.js';
import { displayNameFor } from '../../src/domain/participant.js';

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
  it('is shown beside a name, and adds nothing beside a caller already shown by it (no caller-ID name, or called without one)', () => {
    expect(rosterNumber('+14255550123', 'Ann Lee')).toBe('+1 425 •••• 0123');
    expect(rosterNumber('+14255550123', '+1 425 •••• 0123')).toBeNull();
  });
  it('tells apart two callers of one area without names', () => {
    const shown = ['+14255550123', '+14255550177'].map((number) => displayNameFor({ name: '', number }, maskedNumber));
    expect(shown).toEqual(['+1 425 •••• 0123', '+1 425 •••• 0177']);
    expect(displayNameFor({ name: 'anonymous', number: '' }, maskedNumber)).toBe('Caller');
  });
});
