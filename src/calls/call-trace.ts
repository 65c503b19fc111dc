import type { Log } from '../ports/log.js';
import type { CallMetrics } from '../ports/metrics.js';

/**
 * The attendant's steps for one call at debug level (stages, how it joined or why not), beside the
 * metrics that count them: what a caller went through, without a digit they pressed.
 */
export function traced(metrics: CallMetrics, log: Log, fields: Record<string, unknown>): CallMetrics {
  return {
    stage(stage) {
      log.debug({ ...fields, stage }, 'call stage');
      metrics.stage(stage);
    },
    joined(latencyMs) {
      log.debug({ ...fields, latencyMs: Math.round(latencyMs) }, 'call joined its conference');
      metrics.joined(latencyMs);
    },
    failed(cause) {
      log.debug({ ...fields, cause }, 'call did not join');
      metrics.failed(cause);
    },
    end: () => metrics.end(),
  };
}
