import type { Call, Language, Prompt } from '../ports/telephony.js';
import type { KeypadBuffer } from './keypad-buffer.js';
import { untilHangup } from './wait.js';

export interface EntryTiming {
  /** How long to wait for the first key once the prompt has finished. */
  readonly firstKeyMs: number;
  /** How long a pause between keys ends the entry (what was typed is submitted). */
  readonly betweenKeysMs: number;
  /** A caller whose last key came this recently is still typing (keypad-buffer's TYPE_AHEAD_MS unless set). */
  readonly typeAheadMs?: number;
}

const MAX_ENTRY = 32;

/**
 * Plays prompts unless the caller is already typing (a key waiting, or one just pressed and more
 * coming), and stops them at the first key (the key stays in the buffer for whatever asks next).
 */
export async function say(call: Call, keypad: KeypadBuffer, prompts: readonly Prompt[], language?: Language): Promise<void> {
  if (await keypad.stillTyping()) return;
  await playUntilKey(call, keypad, prompts, language);
}

/** That an entry was wrong: said even to a caller typing on, unless a key is already waiting. */
export async function sayWrongEntry(call: Call, keypad: KeypadBuffer, prompts: readonly Prompt[]): Promise<void> {
  if (keypad.hasPending()) return;
  await playUntilKey(call, keypad, prompts);
}

async function playUntilKey(call: Call, keypad: KeypadBuffer, prompts: readonly Prompt[], language?: Language): Promise<void> {
  const playback = call.play(prompts, language);
  const interrupted = await untilHangup(call.ended, Promise.race([playback.finished, keypad.whenPressed()]));
  if (interrupted === true) await playback.stop();
}

/**
 * Reads one entry ended by `#`. Returns undefined when the caller typed nothing (a timeout), and
 * '*' at once when `star` is set and the caller starts with `*` (to switch to signing in).
 */
export async function readEntry(
  call: Call,
  keypad: KeypadBuffer,
  prompts: readonly Prompt[],
  timing: EntryTiming,
  star = false,
): Promise<string | undefined> {
  await say(call, keypad, prompts);
  let key = await keypad.next(timing.firstKeyMs);
  if (key === undefined) return undefined;
  if (star && key === '*') return '*';
  let entry = '';
  while (key !== undefined && key !== '#') {
    entry += key;
    if (entry.length > MAX_ENTRY) return entry;
    key = await keypad.next(timing.betweenKeysMs);
  }
  return entry;
}

export interface AskOptions<T> {
  readonly prompts: readonly Prompt[];
  /** Said after a wrong entry, before asking again. */
  readonly invalid: readonly Prompt[];
  readonly tries: number;
  readonly timing: EntryTiming;
  /** The value for a right entry, undefined for a wrong one. */
  readonly accept: (entry: string) => Promise<T | undefined>;
  /** `*` as the first key ends the question with the value '*'. */
  readonly star?: boolean;
  /** Runs once, the first time the caller says nothing, instead of using up a try (the language offer). */
  readonly onFirstSilence?: () => Promise<void>;
}

/** Asks up to `tries` times; a wrong entry and silence both use up a try. */
export async function ask<T>(call: Call, keypad: KeypadBuffer, options: AskOptions<T>): Promise<T | undefined> {
  let silenceHandled = options.onFirstSilence === undefined;
  for (let attempt = 1; attempt <= options.tries; attempt++) {
    const entry = await readEntry(call, keypad, options.prompts, options.timing, options.star);
    if (entry === undefined && !silenceHandled) {
      silenceHandled = true;
      await options.onFirstSilence?.();
      attempt--;
      continue;
    }
    if (entry === '*' && options.star) return '*' as T;
    if (entry !== undefined) {
      const value = await options.accept(entry);
      if (value !== undefined) return value;
      await sayWrongEntry(call, keypad, options.invalid);
    }
  }
  return undefined;
}
