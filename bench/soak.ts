// `npm run bench:soak`: callers held in one parley conference for a long while, all speaking; parley's
// RSS and open descriptors (/proc/<pid>/fd) sampled at a fixed interval. Prints their growth from the
// baseline sample (after the first 5 minutes) to the last; the target is ≤ 5 %. Writes bench/results/soak-*.json.
//   flock -o /tmp/parley-asterisk.lock npm run bench:soak -- [--callers 100] [--rate 10] [--minutes 30] [--every 60] [--baseline 5]
import { parseArgs } from 'node:util';
import { sleep } from '../test/support/eventually.js';
import { placeCall, SPEECH_MS } from '../test/support/sipp.js';
import { ari, asteriskPid, preflight, SetupError } from './asterisk.js';
import { watchJoins } from './join-watch.js';
import { parleySide } from './parley-side.js';
import { openDescriptors, rssKb } from './proc.js';
import { runInfo, writeResult } from './results.js';
import { round } from './stats.js';

const { values } = parseArgs({
  options: {
    callers: { type: 'string', default: '100' },
    rate: { type: 'string', default: '10' },
    minutes: { type: 'string', default: '30' },
    every: { type: 'string', default: '60' },
    baseline: { type: 'string', default: '5' },
  },
});
const option = (name: keyof typeof values): number => {
  const n = Number(values[name]);
  if (!(n > 0)) throw new SetupError(`--${name} must be a number above 0, got '${values[name]}'`);
  return n;
};

interface Sample {
  readonly minute: number;
  readonly inBridge: number;
  readonly rssKb: number;
  readonly descriptors: number;
  readonly asteriskRssKb: number;
}

async function main(): Promise<void> {
  const callers = option('callers');
  const perSecond = option('rate');
  const minutes = option('minutes');
  const everyMs = option('every') * 1000;
  // A short trial has no 5 minutes to spare: its baseline is half way.
  const baselineMinutes = Math.min(option('baseline'), minutes / 2);
  const { asteriskVersion } = await preflight();
  const info = runInfo();
  const side = await parleySide({ mutes: 0 });
  const watch = await watchJoins();
  try {
    const pid = side.appPid!;
    const rampMs = Math.round((callers / perSecond) * 1000);
    const clips = Math.ceil((minutes * 60_000 + rampMs) / SPEECH_MS);
    watch.startStorm();
    const storm = placeCall(
      { number: side.number, keys: [{ afterMs: 500, keys: `${side.conferenceId}##` }], speech: clips, holdMs: 5000 },
      { count: callers, perSecond, stats: true, timeoutSeconds: Math.ceil(minutes * 60 + rampMs / 1000) + 600 },
    );
    await watch.waitForJoins(callers, rampMs + 60_000, 'soak').catch((error: Error) => console.log(`${error.message}; holding those who did`));
    console.log(`${watch.inBridge()} callers in the bridge, speaking; sampling every ${everyMs / 1000} s for ${minutes} min`);
    const samples: Sample[] = [];
    const started = Date.now();
    for (let next = started; next <= started + minutes * 60_000; next += everyMs) {
      await sleep(Math.max(0, next - Date.now()));
      const sample = { minute: round((Date.now() - started) / 60_000, 2), inBridge: watch.inBridge(), rssKb: rssKb(pid), descriptors: openDescriptors(pid), asteriskRssKb: rssKb(asteriskPid()) };
      samples.push(sample);
      console.log(`  ${sample.minute.toFixed(1)} min: ${sample.inBridge} in the bridge, parley RSS ${(sample.rssKb / 1024).toFixed(1)} MB, ${sample.descriptors} descriptors`);
    }
    const result = await storm.done;
    const baseline = samples.find((s) => s.minute >= baselineMinutes) ?? samples[0]!;
    const last = samples.at(-1)!;
    const growth = (key: 'rssKb' | 'descriptors') => round((100 * (last[key] - baseline[key])) / baseline[key], 2);
    const figures = { rssGrowthPercent: growth('rssKb'), descriptorGrowthPercent: growth('descriptors') };
    const met = figures.rssGrowthPercent <= 5 && figures.descriptorGrowthPercent <= 5;
    console.log(
      `\ngrowth from ${baseline.minute.toFixed(1)} to ${last.minute.toFixed(1)} min: RSS ${figures.rssGrowthPercent} %, descriptors ${figures.descriptorGrowthPercent} % ` +
        `(target ≤ 5 %: ${met ? 'met' : 'not met'}); SIPp: ${result.calls?.failed ?? '?'} failed calls`,
    );
    const json = writeResult('soak', info, {
      asterisk: asteriskVersion,
      load: { callers, perSecond, minutes, speechClips: clips, everySeconds: everyMs / 1000, baselineMinutes },
      joined: watch.summary().joined,
      failed: result.calls?.failed ?? null,
      samples,
      baseline,
      ...figures,
      target: { growthPercentAtMost: 5, met },
    });
    console.log(`written: ${json}`);
  } finally {
    for (const channel of watch.channelsUp()) await ari('DELETE', `/channels/${channel}`).catch(() => undefined);
    await watch.close();
    await side.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof SetupError ? `bench setup error: ${error.message}` : error);
    process.exit(error instanceof SetupError ? 2 : 1);
  },
);
