// Speech capacity: the highest rate (calls/s) at which a side still joins every caller with no SIP
// failure. Steps the rate up from `from` by `step` and stops at the first rate that fails; smaller storms
// than the main ones (a few dozen callers, one clip of speech) so a search takes minutes.
import type { CapacityStep } from './report.js';
import { runStorm, type Side } from './storm.js';

export interface CapacityOptions {
  readonly callers: number;
  readonly speechClips: number;
  readonly from: number;
  readonly step: number;
  readonly max: number;
}

export async function capacity(side: Side, options: CapacityOptions, log: (line: string) => void): Promise<{ perSecond: number | null; steps: CapacityStep[] }> {
  const steps: CapacityStep[] = [];
  let best: number | null = null;
  for (let perSecond = options.from; perSecond <= options.max; perSecond += options.step) {
    const result = await runStorm(side, { callers: options.callers, perSecond, speechClips: options.speechClips });
    const ok = result.joined === options.callers && result.failed === 0 && result.sippExitCode === 0;
    steps.push({ perSecond, joined: result.joined, failed: result.failed, ok });
    log(`  ${side.name} at ${perSecond}/s: ${result.joined} of ${options.callers} joined, ${result.failed ?? '?'} failed${ok ? '' : ' (stop)'}`);
    if (!ok) {
      log(`    SIPp exit ${result.sippExitCode}${result.sippErrors.length ? `:\n    ${result.sippErrors.join('\n    ')}` : ''}`);
      break;
    }
    best = perSecond;
  }
  return { perSecond: best, steps };
}
