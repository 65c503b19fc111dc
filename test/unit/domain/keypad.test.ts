import { describe, expect, it } from 'vitest';
import { commandReader, commandsFor, isDigit, type CommandKey, type Digit } from '../../../src/domain/keypad.js';

/** Feeds the keys 100 ms apart (or at the given times) and returns what each key produced, as short strings. */
function feed(keys: string, commandKey: CommandKey = '*', times?: number[]): (string | undefined)[] {
  const reader = commandReader(commandKey, 3000);
  return [...keys].map((key, i) => {
    const result = reader(key as Digit, times?.[i] ?? i * 100);
    if (!result) return undefined;
    return 'command' in result ? result.command.command : `unknown ${result.unknown}`;
  });
}

describe('commandReader', () => {
  it('reads *6 as self-mute, on the 6', () => {
    expect(feed('*6')).toEqual([undefined, 'self-mute']);
  });

  it('reads every command of the key table', () => {
    expect(['*1', '*3', '*4', '*6', '*7', '*8', '*9'].map((keys) => feed(keys)[1])).toEqual([
      'help', 'roll-call', 'audience-mute', 'self-mute', 'lock', 'admit-lobby', 'announcements',
    ]);
  });

  it('ignores digits pressed without the command key', () => {
    expect(feed('6')).toEqual([undefined]);
    expect(feed('1234567890')).toEqual(Array(10).fill(undefined));
  });

  it('restarts on a repeated command key, so **6 is *6', () => {
    expect(feed('**6')).toEqual([undefined, undefined, 'self-mute']);
    expect(feed('*****6')).toEqual([...Array(5).fill(undefined), 'self-mute']);
  });

  it('reports keys that are no command, once', () => {
    expect(feed('*2')).toEqual([undefined, 'unknown *2']);
    expect(feed('*#')).toEqual([undefined, 'unknown *#']);
    expect(feed('*0##')).toEqual([undefined, 'unknown *0', undefined, undefined]);
  });

  it('reads only one digit after the command key: *76 is *7, and the 6 is ignored', () => {
    expect(feed('*76')).toEqual([undefined, 'lock', undefined]);
  });

  it('types ahead: several commands in a row each count', () => {
    expect(feed('*6*6*1')).toEqual([undefined, 'self-mute', undefined, 'self-mute', undefined, 'help']);
  });

  it('forgets the command key after the inter-digit timeout', () => {
    expect(feed('*6', '*', [0, 3001])).toEqual([undefined, undefined]);
    expect(feed('*6', '*', [0, 3000])).toEqual([undefined, 'self-mute']);
  });

  it('uses # as the command key when so configured, and * is then an ordinary key', () => {
    expect(feed('#6', '#')).toEqual([undefined, 'self-mute']);
    expect(feed('*6', '#')).toEqual([undefined, undefined]);
    expect(feed('#*', '#')).toEqual([undefined, 'unknown #*']);
  });

  it('survives garbage floods', () => {
    const keys = '*#'.repeat(500) + '0123456789'.repeat(50);
    expect(() => feed(keys)).not.toThrow();
    expect(feed(keys + '*6').at(-1)).toBe('self-mute');
  });

  it('keeps a separate state per reader', () => {
    const a = commandReader();
    const b = commandReader();
    a('*', 0);
    expect(b('6', 10)).toBeUndefined();
    expect(a('6', 10)).toMatchObject({ command: { command: 'self-mute' } });
  });
});

describe('commandsFor', () => {
  it('gives participants help, roll call and self mute only; leaders everything', () => {
    expect(commandsFor(false).map((c) => c.digit)).toEqual(['1', '3', '6']);
    expect(commandsFor(true).map((c) => c.digit)).toEqual(['1', '3', '4', '6', '7', '8', '9']);
  });
});

describe('isDigit', () => {
  it('accepts the twelve phone keys and nothing else', () => {
    for (const key of '0123456789*#') expect(isDigit(key)).toBe(true);
    for (const key of ['A', 'a', '', '12', ' ', '+']) expect(isDigit(key)).toBe(false);
  });
});
