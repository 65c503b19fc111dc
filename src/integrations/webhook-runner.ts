import type { Log } from '../ports/log.js';
import type { Webhooks } from './webhooks.js';

export interface WebhookRunner {
  /** Waits for the round in progress, then no more. */
  stop(): Promise<void>;
}

/**
 * Fans out and delivers every `intervalMs`, and straight again while there is work (a backlog drains
 * at full speed). Every instance runs one: the store's locks keep them from sending anything twice.
 */
export function startWebhookRunner(webhooks: Pick<Webhooks, 'fanOut' | 'deliverDue'>, log: Log, intervalMs = 1000): WebhookRunner {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

  const round = async () => {
    let worked = false;
    try {
      const events = await webhooks.fanOut();
      const attempted = await webhooks.deliverDue();
      worked = events > 0 || attempted > 0;
    } catch (error) {
      log.error({ err: error }, 'webhook round failed; trying again at the next one');
    }
    schedule(worked ? 0 : intervalMs);
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = round();
    }, ms);
    timer.unref();
  };

  schedule(intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
