import { performance } from 'node:perf_hooks';
import type { Digit } from '../domain/keypad.js';
import type { Call } from '../ports/telephony.js';
import { race } from './wait.js';

/**
 * Keeps every key the caller presses, from the moment the call arrives, until a prompt asks for it:
 * one-tap dialing ("number,,ID#") sends the conference ID during the greeting.
 */
export class KeypadBuffer {
  private readonly digits: Digit[] = [];
  private wake: (() => void) | undefined;
  private readonly unsubscribe: () => void;
  /** When the last key arrived (performance.now()): where the join latency starts. */
  lastKeyAt: number | undefined;

  constructor(private readonly call: Call) {
    this.unsubscribe = call.onDigit((digit) => {
      this.lastKeyAt = performance.now();
      this.digits.push(digit);
      this.wake?.();
    });
  }

  /** The next key without taking it. */
  peek(): Digit | undefined {
    return this.digits[0];
  }

  hasPending(): boolean {
    return this.digits.length > 0;
  }

  /** Resolves as soon as a key is waiting (at once if one is). */
  whenPressed(): Promise<true> {
    if (this.digits.length > 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve(true);
      };
    });
  }

  /** The next key without taking it, waiting up to `ms` for one. Rejects with CallEnded on hangup. */
  async peekWithin(ms: number): Promise<Digit | undefined> {
    const pressed = await race(this.call.ended, this.whenPressed(), ms);
    if (pressed !== true) this.wake = undefined;
    return this.digits[0];
  }

  /** The next key, or undefined when none comes within `ms`. Rejects with CallEnded on hangup. */
  async next(ms: number): Promise<Digit | undefined> {
    const pressed = await race(this.call.ended, this.whenPressed(), ms);
    if (pressed !== true) {
      this.wake = undefined;
      return undefined;
    }
    return this.digits.shift();
  }

  dispose(): void {
    this.unsubscribe();
    this.wake = undefined;
  }
}
