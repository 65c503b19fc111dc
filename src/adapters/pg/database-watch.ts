import { runInBackground } from '../../ports/background.js';
import type { Log } from '../../ports/log.js';
import { isDatabaseUp, type WatchedPool } from './pool.js';

const POLL_MS = 1_000;

export interface DatabaseWatch {
  /** Called once each time the database comes back after requests failed to reach it. */
  onBack(listener: () => Promise<void>): void;
  stop(): void;
}

/**
 * Notices the database going away (a request failed to reach it) and coming back (polled once a
 * second meanwhile), so that what could not be written during the outage is put right at once.
 */
export function watchDatabase(pool: WatchedPool, log: Log): DatabaseWatch {
  const listeners: Array<() => Promise<void>> = [];
  let timer: NodeJS.Timeout | undefined;
  /** Between the first failure and the poll that finds the database back: one poller, one log line. */
  let away = false;
  let stopped = false;
  const poll = async () => {
    if (stopped) return;
    if (!(await isDatabaseUp(pool))) {
      timer = setTimeout(() => runInBackground(log, 'database poll', poll), POLL_MS);
      return;
    }
    away = false;
    log.info({}, 'database is back; reconciling');
    for (const listener of listeners) {
      await listener().catch((error: unknown) => log.error({ err: error }, 'reconciling after the database outage failed'));
    }
  };
  pool.onFailure((reason) => {
    if (away || stopped) return;
    away = true;
    log.warn({ reason }, 'database unavailable; calls in conferences carry on');
    timer = setTimeout(() => runInBackground(log, 'database poll', poll), POLL_MS);
  });
  return {
    onBack: (listener) => void listeners.push(listener),
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
