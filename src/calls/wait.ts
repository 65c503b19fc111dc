import { CallEnded } from '../ports/telephony.js';

/**
 * Resolves with `promise`, or with `undefined` after `ms` (when given), or rejects with CallEnded
 * when `ended` aborts. Every wait in a call flow goes through here, so none can outlive its call.
 */
export function race<T>(ended: AbortSignal, promise: Promise<T>, ms?: number): Promise<T | undefined> {
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

/** Resolves when the call ends. */
export function untilEnded(ended: AbortSignal): Promise<void> {
  if (ended.aborted) return Promise.resolve();
  return new Promise((resolve) => ended.addEventListener('abort', () => resolve(), { once: true }));
}
