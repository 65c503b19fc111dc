import type { Log } from './log.js';

/**
 * Starts work nobody waits for. A rejection (a database or Asterisk blip) is logged with the task's name
 * and goes no further: left unhandled, it would reach the process's unhandledRejection. Lint
 * (@typescript-eslint/no-floating-promises, `void` not accepted) sends every such promise through here.
 */
export function runInBackground(log: Pick<Log, 'error'>, name: string, work: Promise<unknown> | (() => Promise<unknown>), fields: object = {}): void {
  const failed = (error: unknown) => log.error({ ...fields, err: error, task: name }, 'background task failed');
  let promise: Promise<unknown>;
  try {
    promise = typeof work === 'function' ? work() : work;
  } catch (error) {
    failed(error);
    return;
  }
  promise.then(undefined, failed);
}

/**
 * The process's policy for a promise rejection nobody handled: log it and keep running. Node's default
 * ends the process, and with it every call in progress, for what is nearly always one failed
 * background step during a database or Asterisk blip. (Uncaught exceptions keep Node's policy, log and
 * exit: the ARI adapter's handler tolerates only swagger-client's known throw.)
 */
export function installRejectionPolicy(target: { on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown }, log: Pick<Log, 'error'>): void {
  target.on('unhandledRejection', (reason) => {
    log.error({ err: reason }, 'unhandled promise rejection; parley keeps running');
  });
}
