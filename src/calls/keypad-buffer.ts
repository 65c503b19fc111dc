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
  /**
   * When the caller last answered (performance.now()): a key, or a wait for one running out (an entry
   * ended by a pause, a question let pass). The join latency starts there: what follows is parley's time.
   */
  answeredAt: number | undefined;
  /** When the last key came (performance.now()). */
  private lastKeyAt: number | undefined;

  /** `typeAheadMs`: how soon after the last key more keys mean the caller is still typing. */
  constructor(
    private readonly call: Call,
    private readonly typeAheadMs: number,
  ) {
    this.unsubscribe = call.onDigit((digit) => {
      this.answeredAt = performance.now();
      this.lastKeyAt = this.answeredAt;
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

  /**
   * Whether the caller is still typing: a key is waiting, or (with `typeAhead`) one comes within the
   * type-ahead time of the last key, waiting out what is left of it.
   */
  async stillTyping(typeAhead: boolean): Promise<boolean> {
    if (this.digits.length > 0) return true;
    const ms = typeAhead ? this.typeAheadMs : 0;
    const left = this.lastKeyAt === undefined ? 0 : this.lastKeyAt + ms - performance.now();
    if (left <= 0) return false;
    const pressed = await race(this.call.ended, this.whenPressed(), left);
    if (pressed !== true) this.wake = undefined;
    return pressed === true;
  }

  /** The next key without taking it, waiting up to `ms` for one. Rejects with CallEnded on hangup. */
  async peekWithin(ms: number): Promise<Digit | undefined> {
    const pressed = await race(this.call.ended, this.whenPressed(), ms);
    if (pressed !== true) this.timedOut();
    return this.digits[0];
  }

  /** The next key, or undefined when none comes within `ms`. Rejects with CallEnded on hangup. */
  async next(ms: number): Promise<Digit | undefined> {
    const pressed = await race(this.call.ended, this.whenPressed(), ms);
    if (pressed !== true) {
      this.timedOut();
      return undefined;
    }
    return this.digits.shift();
  }

  private timedOut(): void {
    this.wake = undefined;
    this.answeredAt = performance.now();
  }

  dispose(): void {
    this.unsubscribe();
    this.wake = undefined;
  }
}
