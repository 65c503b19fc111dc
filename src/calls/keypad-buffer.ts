import type { Digit } from '../domain/keypad.js';
import type { Call } from '../ports/telephony.js';
import { race } from './wait.js';

/**
 * A caller whose last key came this recently is still typing (keys come 100–300 ms apart): the next
 * prompt waits that long for another key rather than starting only to be cut short by it.
 */
export const TYPE_AHEAD_MS = 300;

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
    private readonly typeAheadMs = TYPE_AHEAD_MS,
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
   * Whether the caller is still typing: a key is waiting, or one comes within the type-ahead time of
   * the last key (waiting out what is left of it). Rejects with CallEnded on hangup.
   */
  async stillTyping(): Promise<boolean> {
    if (this.digits.length > 0) return true;
    const left = this.lastKeyAt === undefined ? 0 : this.lastKeyAt + this.typeAheadMs - performance.now();
    return left > 0 && (await this.pressedWithin(left));
  }

  /** The next key without taking it, waiting up to `ms` for one. Rejects with CallEnded on hangup. */
  async peekWithin(ms: number): Promise<Digit | undefined> {
    if (!(await this.pressedWithin(ms))) this.timedOut();
    return this.digits[0];
  }

  /** The next key, or undefined when none comes within `ms`. Rejects with CallEnded on hangup. */
  async next(ms: number): Promise<Digit | undefined> {
    if (!(await this.pressedWithin(ms))) {
      this.timedOut();
      return undefined;
    }
    return this.digits.shift();
  }

  /** Whether a key is waiting within `ms`, racing the call's end. */
  private async pressedWithin(ms: number): Promise<boolean> {
    const pressed = (await race(this.call.ended, this.whenPressed(), ms)) === true;
    if (!pressed) this.wake = undefined;
    return pressed;
  }

  private timedOut(): void {
    this.wake = undefined;
    this.answeredAt = performance.now();
  }

  /** Every key waiting, taken: they go on elsewhere (a relayed caller's keys typed ahead). */
  takeAll(): string {
    return this.digits.splice(0).join('');
  }

  dispose(): void {
    this.unsubscribe();
    this.wake = undefined;
  }
}
