import { describe, expect, it } from 'vitest';
import { displayNameFor, maskCallerNumber } from '../../../src/domain/participant.js';

describe('maskCallerNumber', () => {
  it('keeps the country code and area and masks the last four digits', () => {
    expect(maskCallerNumber('+14255550123')).toBe('+1425555••••');
  });

  it('drops punctuation before masking', () => {
    expect(maskCallerNumber('(425) 555-0123')).toBe('425555••••');
    expect(maskCallerNumber('+1 425 555 0123')).toBe('+1425555••••');
  });

  it('masks a number of exactly seven digits', () => {
    expect(maskCallerNumber('5550123')).toBe('555••••');
  });

  it('says "Caller" for numbers too short to mask usefully, or no number at all', () => {
    expect(maskCallerNumber('555012')).toBe('Caller');
    expect(maskCallerNumber('+123456')).toBe('Caller');
    expect(maskCallerNumber('')).toBe('Caller');
    expect(maskCallerNumber('anonymous')).toBe('Caller');
  });
});

describe('displayNameFor', () => {
  it('uses the caller name, trimmed', () => {
    expect(displayNameFor({ name: '  Alice Smith ', number: '+14255550123' })).toBe('Alice Smith');
  });

  it('masks the number when there is no name', () => {
    expect(displayNameFor({ name: '', number: '+14255550123' })).toBe('+1425555••••');
    expect(displayNameFor({ name: '   ', number: '+14255550123' })).toBe('+1425555••••');
  });

  it('masks the number when the name is only the number again', () => {
    expect(displayNameFor({ name: '+14255550123', number: '+14255550123' })).toBe('+1425555••••');
    expect(displayNameFor({ name: ' +14255550123 ', number: '+14255550123' })).toBe('+1425555••••');
  });

  it('masks the number when the name says anonymous or unknown, in any case', () => {
    expect(displayNameFor({ name: 'Anonymous', number: '+14255550123' })).toBe('+1425555••••');
    expect(displayNameFor({ name: 'UNKNOWN', number: '+14255550123' })).toBe('+1425555••••');
    expect(displayNameFor({ name: 'anonymous', number: '' })).toBe('Caller');
  });

  it('keeps a name that merely contains the word unknown', () => {
    expect(displayNameFor({ name: 'Unknown Caller Inc', number: '+14255550123' })).toBe('Unknown Caller Inc');
  });
});
