import { describe, expect, it } from 'vitest';
import { inConferenceKeys, isDigit, type Digit, type InConferenceCommand } from '../../../src/domain/keypad.js';

/** Feeds the keys one at a time and returns what each key produced. */
function feed(keys: string, reader = inConferenceKeys()): (InConferenceCommand | undefined)[] {
  return [...keys].map((key) => reader(key as Digit));
}

describe('inConferenceKeys', () => {
  it('reads *6 as toggle-mute, on the 6', () => {
    expect(feed('*6')).toEqual([undefined, 'toggle-mute']);
  });

  it('ignores 6 pressed on its own', () => {
    expect(feed('6')).toEqual([undefined]);
    expect(feed('66')).toEqual([undefined, undefined]);
  });

  it('still reads *6 after a stray *', () => {
    expect(feed('**6')).toEqual([undefined, undefined, 'toggle-mute']);
  });

  it('ignores *7 and other unknown sequences', () => {
    expect(feed('*7')).toEqual([undefined, undefined]);
    expect(feed('*#')).toEqual([undefined, undefined]);
  });

  it('resets the sequence after any other key, so *7 then 6 is not a command', () => {
    expect(feed('*76')).toEqual([undefined, undefined, undefined]);
    expect(feed('*16')).toEqual([undefined, undefined, undefined]);
  });

  it('reads *6 every time it is pressed', () => {
    expect(feed('*6*6')).toEqual([undefined, 'toggle-mute', undefined, 'toggle-mute']);
  });

  it('keeps a separate sequence per reader', () => {
    const a = inConferenceKeys();
    const b = inConferenceKeys();

    a('*');

    expect(b('6')).toBeUndefined();
    expect(a('6')).toBe('toggle-mute');
  });
});

describe('isDigit', () => {
  it('accepts the twelve phone keys and nothing else', () => {
    for (const key of '0123456789*#') expect(isDigit(key)).toBe(true);
    for (const key of ['A', 'a', '', '12', ' ', '+']) expect(isDigit(key)).toBe(false);
  });
});
