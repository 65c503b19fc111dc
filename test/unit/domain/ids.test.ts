import { describe, expect, it } from 'vitest';
import { isDigits, MEETING_ID_PATTERN, newMeetingId, newNumericId, type RandomBytes } from '../../../src/domain/ids.js';

/** Always returns `count` copies of one byte, and records what was asked for. */
function constant(byte: number): RandomBytes & { requests: number[] } {
  const requests: number[] = [];
  return Object.assign(
    (count: number) => {
      requests.push(count);
      return new Uint8Array(count).fill(byte);
    },
    { requests },
  );
}

/** Returns the bytes 0, 1, 2, … across calls. */
function counting(): RandomBytes {
  let next = 0;
  return (count) => Uint8Array.from({ length: count }, () => next++ % 256);
}

describe('newMeetingId', () => {
  it('turns 16 random bytes into 32 lowercase hex characters', () => {
    const id = newMeetingId(counting());

    expect(id).toBe('000102030405060708090a0b0c0d0e0f');
    expect(id).toMatch(MEETING_ID_PATTERN);
  });

  it('asks for exactly 16 bytes and keeps leading zero nibbles', () => {
    const random = constant(0x0a);

    const id = newMeetingId(random);

    expect(random.requests).toEqual([16]);
    expect(id).toBe('0a'.repeat(16));
  });

  it('matches the meeting ID pattern for the highest bytes too', () => {
    expect(newMeetingId(constant(0xff))).toBe('f'.repeat(32));
    expect(newMeetingId(constant(0xff))).toMatch(MEETING_ID_PATTERN);
  });
});

describe('newNumericId', () => {
  it('has the requested length and only digits', () => {
    for (const length of [1, 6, 7, 12]) {
      const id = newNumericId(counting(), length);

      expect(id).toHaveLength(length);
      expect(id).toMatch(/^[0-9]+$/);
    }
  });

  it('never starts with 0, whatever the first random byte is', () => {
    for (let byte = 0; byte < 256; byte++) {
      const id = newNumericId(constant(byte), 7);

      expect(id[0], `first byte ${byte}`).not.toBe('0');
      expect(id).toHaveLength(7);
    }
  });

  it('starts with 1 when every random byte is zero, and the other digits may be 0', () => {
    expect(newNumericId(constant(0), 7)).toBe('1000000');
  });

  it('maps bytes to digits deterministically', () => {
    // first digit: 1 + byte % 9; the others: byte % 10
    expect(newNumericId(counting(), 7)).toBe('1123456');
    expect(newNumericId(constant(255), 4)).toBe('4555');
  });

  it('asks for one random byte per digit', () => {
    const random = constant(3);

    newNumericId(random, 7);

    expect(random.requests).toEqual([7]);
  });
});

describe('isDigits', () => {
  it('accepts only digits within the length bounds', () => {
    expect(isDigits('1234', 4, 6)).toBe(true);
    expect(isDigits('123456', 4, 6)).toBe(true);
    expect(isDigits('123', 4, 6)).toBe(false);
    expect(isDigits('1234567', 4, 6)).toBe(false);
    expect(isDigits('12a4', 4, 6)).toBe(false);
    expect(isDigits('12 4', 1, 6)).toBe(false);
    expect(isDigits('', 0, 6)).toBe(false);
  });
});
