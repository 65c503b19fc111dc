import { CallEnded } from '../ports/telephony.js';

/*
 * Every wait in a call flow goes through here, so none can outlive its call: each rejects with
 * CallEnded when `ended` aborts.
 */

/** Resolves with `promise`, or with `undefined` once `ms` have passed. */
export function race<T>(ended: AbortSignal, promise: Promise<T>, ms: number): Promise<T | undefined> {
  return settleFirst(ended, promise, ms);
}

/**
 * Resolves with `promise`, however long it takes: only the hangup ends the wait early. For promises
 * that settle on their own (a playback's `finished` is bounded by the telephony adapter).
 */
export function untilHangup<T>(ended: AbortSignal, promise: Promise<T>): Promise<T> {
  return settleFirst(ended, promise, undefined) as Promise<T>;
}

/** Waits `ms` (a keypad slow-down); the hangup ends it early. */
export async function pause(ended: AbortSignal, ms: number): Promise<void> {
  await race(ended, new Promise<never>(() => undefined), ms);
}

/** Resolves when the call ends. */
export function untilEnded(ended: AbortSignal): Promise<void> {
  if (ended.aborted) return Promise.resolve();
  return new Promise((resolve) => ended.addEventListener('abort', () => resolve(), { once: true }));
}

function settleFirst<T>(ended: AbortSignal, promise: Promise<T>, ms: number | undefined): Promise<T | undefined> {
  if (ended.aborted) return Promise.reject(new CallEnded());
  return new Promise<T | undefined>((resolve, reject) => {
    const timer = ms === undefined ? undefined : setTimeout(() => settle(() => resolve(undefined)), ms);
    const onEnd = () => settle(() => reject(new CallEnded()));
    ended.addEventListener('abort', onEnd, { once: true });
    function settle(fn: () => void) {
      clearTimeout(timer);
      ended.removeEventListener('abort', onEnd);
      fn();
    }
    promise.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}
