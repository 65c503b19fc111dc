import { delayBeforeNextPrompt, guessingCaller, isRefused, type KeypadGuessRule } from '../domain/keypad-guessing.js';
import { maskCallerNumber } from '../domain/participant.js';
import type { Clock } from '../ports/clock.js';
import type { GuessKey, KeypadGuessStore, SecurityAlarms, WrongEntryKind } from '../ports/keypad-guesses.js';
import type { Log } from '../ports/log.js';
import type { Call } from '../ports/telephony.js';
import { pause } from './wait.js';

export interface KeypadGuardDeps {
  readonly store: KeypadGuessStore;
  readonly alarms?: SecurityAlarms | undefined;
  readonly rule: KeypadGuessRule;
  /** Wrong entries per minute across the deployment that raise the alarm. */
  readonly alarmPerMinute: number;
  readonly clock: Clock;
  readonly log?: Log | undefined;
}

/**
 * Keypad brute force across calls (domain/keypad-guessing.ts): refuses a caller number that keeps
 * guessing, slows it down before that, and raises the alarm when the whole deployment is guessed at.
 */
export class KeypadGuard {
  constructor(private readonly deps: KeypadGuardDeps) {}

  /** Whether this caller is refused now, before they are asked anything. */
  async refuses(call: Call): Promise<boolean> {
    const refused = isRefused(await this.deps.store.state(keyOf(call)), this.deps.clock.now());
    if (refused) this.deps.log?.info({ call: call.id, accessNumber: call.dialed, caller: maskCallerNumber(call.caller.number) }, 'caller refused after too many wrong keypad entries');
    return refused;
  }

  /**
   * Counts a wrong entry, then waits as long as the rule says before the caller may be asked again
   * (rejecting with CallEnded if they hang up meanwhile). 'refused': the caller number has now been refused.
   */
  async wrong(call: Call, kind: WrongEntryKind): Promise<'refused' | 'ask-again'> {
    const { store, rule, alarmPerMinute, clock, log } = this.deps;
    const now = clock.now();
    const key = keyOf(call);
    const counted = await store.recordWrong(key, rule, alarmPerMinute, now);
    if (counted.alarm) await this.alarm(key, kind, counted.deployment.failures, now);
    if (isRefused(counted.caller, now)) {
      if (counted.caller.failures === rule.refuseAfter) {
        log?.warn({ call: call.id, accessNumber: key.accessNumber, caller: maskCallerNumber(key.caller), failures: counted.caller.failures, refusedUntil: counted.caller.refusedUntil }, 'caller number refused: too many wrong keypad entries');
      }
      return 'refused';
    }
    const delay = delayBeforeNextPrompt(counted.caller, rule);
    if (delay > 0) await pause(call.ended, delay);
    return 'ask-again';
  }

  private async alarm(key: GuessKey, kind: WrongEntryKind, failuresPerMinute: number, at: Date): Promise<void> {
    const { alarms, alarmPerMinute, log } = this.deps;
    log?.warn({ failuresPerMinute, threshold: alarmPerMinute, accessNumber: key.accessNumber, kind }, 'keypad guessing alarm: wrong entries across the deployment passed the alarm rate');
    try {
      await alarms?.raise({ at, failuresPerMinute, threshold: alarmPerMinute, accessNumber: key.accessNumber, kind });
    } catch (error) {
      // The caller is not to blame for an alarm that could not be written.
      log?.error({ err: error }, 'could not raise the keypad guessing alarm');
    }
  }
}

function keyOf(call: Call): GuessKey {
  return { accessNumber: call.dialed, caller: guessingCaller(call.caller.number) };
}
